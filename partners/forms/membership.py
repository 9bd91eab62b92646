"""Forms of the membership workflow: asking to join an organisation, finding one."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import add_bootstrap_classes


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the focal point (optional)"),
        help_text=_("Say who you are and what you do in the organisation."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_bootstrap_classes(self)


class OrganisationSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find your organisation"),
        help_text=_("Type part of its name or acronym, in English or Arabic."),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_bootstrap_classes(self)
