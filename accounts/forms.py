"""The profile form: the name other people see and the language of the user's emails."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "language"]
        labels = {"language": _("Language of your emails")}
        help_texts = {
            "full_name": _(
                "Shown to your organisation's focal point and the cluster coordinators."
            ),
            "language": _("The portal writes to you in this language."),
        }
        widgets = {
            "full_name": forms.TextInput(attrs={"class": "form-control", "autocomplete": "name"}),
            "language": forms.RadioSelect(attrs={"class": "form-check-input"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        self.fields["full_name"].error_messages["required"] = _("Enter your full name.")


class AccountDeleteForm(forms.Form):
    """Deleting an account cannot be undone: the user confirms with their password."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(
            attrs={"class": "form-control", "autocomplete": "current-password"}
        ),
        error_messages={"required": _("Enter your password to confirm.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("That is not your password. Nothing was deleted."), code="wrong_password"
            )
        return password
