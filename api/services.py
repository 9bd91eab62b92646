"""Writes of API tokens: creating one (its secret returned once), revoking, noting its use."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from api import policy
from api.models import ApiToken
from api.selectors import hash_secret

SECRET_PREFIX = "hcp_"  # noqa: S105  (the recognisable start of every secret, not a secret)
DEFAULT_LIFETIME_DAYS = 180
LIFETIME_DAYS = (7, 30, 90, DEFAULT_LIFETIME_DAYS)
# A token used many times a minute writes its last use at most once a minute.
LAST_USE_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


def token_create(*, user, name: str, lifetime_days: int = DEFAULT_LIFETIME_DAYS) -> NewToken:
    policy.can_create_token(user).enforce()
    if lifetime_days not in LIFETIME_DAYS:
        raise ValueError(f"lifetime_days must be one of {LIFETIME_DAYS}")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=secret[: len(SECRET_PREFIX) + 6],
        key_hash=hash_secret(secret),
        expires_at=now + timedelta(days=lifetime_days),
    )
    return NewToken(token=token, secret=secret)


@transaction.atomic
def token_revoke(*, token: ApiToken, by) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    policy.can_revoke_token(by, token).enforce()
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return token


def token_note_use(*, token: ApiToken, now=None) -> None:
    """Record that the token was used, unless that was already done within the last minute:
    one UPDATE, and none at all for most requests of a busy token."""
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USE_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
