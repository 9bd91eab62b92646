"""Writes of the accounts app."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Language, User


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
