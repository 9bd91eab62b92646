"""The upload form of an activity report's filled Excel template."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.excel import MAX_UPLOAD_BYTES


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Filled Excel template (.xlsx)"),
        help_text=gettext_lazy("At most 5 MB. Importing replaces all the rows of the draft."),
        widget=forms.ClearableFileInput(
            attrs={
                "class": "form-control",
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MB.")
                % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload
