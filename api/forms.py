"""The form that makes a personal API token."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from api.models import ApiToken
from api.services import DEFAULT_LIFETIME_DAYS, LIFETIME_DAYS


def _lifetime_choices() -> list[tuple[int, str]]:
    return [
        (days, ngettext_lazy("%(count)d day", "%(count)d days", days) % {"count": days})
        for days in LIFETIME_DAYS
    ]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=ApiToken._meta.get_field("name").help_text,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
        error_messages={"required": _("Give the token a name.")},
    )
    lifetime_days = forms.TypedChoiceField(
        label=_("Expires after"),
        choices=_lifetime_choices,
        coerce=int,
        initial=DEFAULT_LIFETIME_DAYS,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
