"""The signed links of subscription emails.

A confirmation link carries the subscriber's random id and the language asked for, and
expires after ``SUBSCRIPTION_CONFIRMATION_DAYS``. An unsubscribe link carries the id only
and never expires: an unsubscribe link in an old email must still work. Both are signed
with SECRET_KEY (and its fallbacks) under their own salt, so one cannot stand for the other.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "subscribers.confirm"
UNSUBSCRIBE_SALT = "subscribers.unsubscribe"


class InvalidToken(Exception):
    """A link that was forged, mangled or has expired."""


@dataclass(frozen=True)
class Confirmation:
    uid: uuid.UUID
    language: str


def confirmation_days() -> int:
    return getattr(settings, "SUBSCRIPTION_CONFIRMATION_DAYS", 7)


def confirmation_token(uid: uuid.UUID, language: str) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign_object({"s": uid.hex, "l": language})


def read_confirmation_token(token: str) -> Confirmation:
    try:
        value = signing.TimestampSigner(salt=CONFIRM_SALT).unsign_object(
            token, max_age=datetime.timedelta(days=confirmation_days())
        )
        confirmation = Confirmation(uid=uuid.UUID(hex=value["s"]), language=value["l"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise InvalidToken from error
    if confirmation.language not in dict(settings.LANGUAGES):
        raise InvalidToken
    return confirmation


def unsubscribe_token(uid: uuid.UUID) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(uid.hex)


def read_unsubscribe_token(token: str) -> uuid.UUID:
    try:
        return uuid.UUID(hex=signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token))
    except (signing.BadSignature, ValueError) as error:
        raise InvalidToken from error
