"""The public subscription form: an address and a language."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Language
from core.forms import add_bootstrap_classes


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    language = forms.ChoiceField(
        label=_("Language of the emails"),
        choices=Language.choices,
        widget=forms.RadioSelect,
        help_text=_("The bulletin is announced in English and in Arabic; choose one."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        current = (get_language() or Language.ENGLISH)[:2]
        self.fields["language"].initial = (
            current if current in Language.values else Language.ENGLISH
        )
        add_bootstrap_classes(self)
