"""Writes of the accounts app: the profile, account deletion and the retention purge."""

import logging
from datetime import datetime, timedelta
from importlib import import_module

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, ProtectedError, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Language, User
from accounts.signals import user_erased

logger = logging.getLogger(__name__)


@transaction.atomic
def user_update_profile(*, user: User, full_name: str, language: str) -> User:
    """Change the user's name and the language the portal writes to them in."""
    full_name = " ".join((full_name or "").split())
    if not full_name:
        raise ValidationError({"full_name": _("Enter your full name.")}, code="required")
    if language not in Language.values:
        raise ValidationError({"language": _("Choose English or Arabic.")}, code="language")
    user = User.objects.select_for_update().get(pk=user.pk)
    user.full_name = full_name
    user.language = language
    user._history_user = user
    user.save(update_fields=["full_name", "language"])
    return user


def _sessions_of(user_pk: int) -> list[str]:
    """Keys of the unexpired sessions signed in as this user.

    Database sessions are not indexed by user, so each one is decoded; the table holds one
    row per signed-in browser, and expired rows are cleared every night.
    """
    session_store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = []
    rows = Session.objects.filter(expire_date__gt=timezone.now()).values_list(
        "session_key", "session_data"
    )
    for key, data in rows.iterator(chunk_size=500):
        if str(session_store().decode(data).get(SESSION_KEY)) == str(user_pk):
            keys.append(key)
    return keys


@transaction.atomic
def user_erase(*, user: User) -> User:
    """Delete a person's personal data and close their account, at their own request.

    The user row stays, anonymised, so the reports, assessments and audit history their
    organisation holds keep a valid author, shown as a former member. Their addresses,
    two-factor devices and sessions go, and so do the name and address in the row's history.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_erased:
        raise ValidationError(_("This account has already been deleted."), code="erased")
    if (
        user.is_superuser
        and not User.objects.filter(is_superuser=True, is_active=True).exclude(pk=user.pk).exists()
    ):
        raise ValidationError(
            _(
                "You are the only site administrator. Make someone else a site administrator "
                "before you delete your account, so that somebody can still run the portal."
            ),
            code="last_admin",
        )
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    Session.objects.filter(session_key__in=_sessions_of(user.pk)).delete()

    anonymous_email = f"deleted-{user.pk}@invalid"
    user.email = anonymous_email
    user.full_name = ""
    user.language = Language.ENGLISH
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.is_coordinator = False
    user.erased_at = timezone.now()
    user.set_unusable_password()
    user._history_user = user
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    # The audit history of the user row itself held their earlier names and addresses.
    User.history.filter(id=user.pk).update(email=anonymous_email, full_name="")
    user_erased.send(sender=User, user=user)
    return user


def unconfirmed_signups(*, now: datetime | None = None) -> QuerySet[User]:
    """Accounts that signed up, never confirmed their address and never signed in, for longer
    than ``UNCONFIRMED_SIGNUP_RETENTION_DAYS``.

    Only sign-ups count (they have an unverified address from the sign-up form); an account
    a site administrator created by hand is theirs to remove.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.UNCONFIRMED_SIGNUP_RETENTION_DAYS)
    addresses = EmailAddress.objects.filter(user=OuterRef("pk"))
    return User.objects.filter(
        date_joined__lt=cutoff,
        last_login__isnull=True,
        erased_at__isnull=True,
        is_staff=False,
        is_superuser=False,
        is_coordinator=False,
    ).filter(Exists(addresses.filter(verified=False)), ~Exists(addresses.filter(verified=True)))


def purge_unconfirmed_signups(*, now: datetime | None = None) -> int:
    """Delete the abandoned sign-ups with their history; returns how many went.

    One transaction per account: an account something else protects (a record points to it)
    is left and logged, and the others still go.
    """
    deleted = 0
    for pk in unconfirmed_signups(now=now).values_list("pk", flat=True):
        try:
            with transaction.atomic():
                User.objects.get(pk=pk).delete()
                User.history.filter(id=pk).delete()
        except ProtectedError:
            logger.warning("Unconfirmed account %s is referenced by records; kept.", pk)
            continue
        deleted += 1
    return deleted


def sessions_clear_expired() -> int:
    """Delete expired sessions: they still name the user they belonged to."""
    deleted, _by_model = Session.objects.filter(expire_date__lte=timezone.now()).delete()
    return deleted


def personal_data_purge(*, now: datetime | None = None) -> dict[str, int]:
    """Everything past its retention period: run nightly by the beat and by the command."""
    return {
        "unconfirmed_signups": purge_unconfirmed_signups(now=now),
        "expired_sessions": sessions_clear_expired(),
    }
