"""Forms of the coordinators' pages: decisions with a reason, and granting the role."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ReasonForm(forms.Form):
    """A decision that must be explained to the organisation (reject, suspend)."""

    reason = forms.CharField(
        label=_("Reason, sent to the organisation"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        error_messages={"required": _("Give the reason: the organisation will read it.")},
    )


class OptionalReasonForm(forms.Form):
    """A decision where a note is welcome but not needed (reinstate)."""

    reason = forms.CharField(
        label=_("Note to the organisation (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


class CoordinatorGrantForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address of the person"),
        help_text=_("They must already have an account on the portal."),
        widget=forms.EmailInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
