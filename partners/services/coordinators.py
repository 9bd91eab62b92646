"""Granting and revoking the coordinator role.

The role is the ``is_coordinator`` flag on the user; django-simple-history keeps
the audit trail of who changed it and when. Site administrators act as
coordinators through their own role, which is managed in the site administration.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _


def _check_manager(by) -> None:
    if not (getattr(by, "is_authenticated", False) and by.is_cluster_coordinator):
        raise PermissionDenied(_("Only coordinators and site administrators manage coordinators."))


def coordinator_list() -> QuerySet:
    """Everyone who acts as a coordinator: flagged coordinators and site administrators."""
    return (
        get_user_model()
        .objects.filter(Q(is_coordinator=True) | Q(is_superuser=True), is_active=True)
        .order_by("email")
    )


@transaction.atomic
def coordinator_grant(*, email: str, by):
    """Give the coordinator role to the existing, active user with this email address."""
    _check_manager(by)
    address = (email or "").strip()
    if not address:
        raise ValidationError(_("Enter the email address of the person."), code="required")
    user = get_user_model().objects.select_for_update().filter(email__iexact=address).first()
    if user is None or not user.is_active:
        raise ValidationError(
            _(
                "No active account uses this email address. "
                "The person must sign up and confirm their address first."
            ),
            code="unknown_user",
        )
    if user.is_coordinator:
        raise ValidationError(_("This person is already a coordinator."), code="already")
    user.is_coordinator = True
    user._history_user = by
    user.save(update_fields=["is_coordinator"])
    return user


@transaction.atomic
def coordinator_revoke(*, user, by):
    """Take the coordinator role away from a user; nobody can revoke their own role."""
    _check_manager(by)
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if user.pk == by.pk:
        raise ValidationError(
            _("You cannot revoke your own coordinator role. Ask another coordinator."),
            code="self",
        )
    if not user.is_coordinator:
        raise ValidationError(_("This person is not a coordinator."), code="not_coordinator")
    user.is_coordinator = False
    user._history_user = by
    user.save(update_fields=["is_coordinator"])
    return user
