"""The upload form of an activity report's filled Excel template."""

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.excel import MAX_ROWS, MAX_UPLOAD_BYTES


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Filled Excel template (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "class": "form-control",
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "At most %(rows)s rows and %(size)s MB. Importing replaces all the rows of the draft."
        ) % {
            "rows": number_format(MAX_ROWS, force_grouping=True),
            "size": MAX_UPLOAD_BYTES // (1024 * 1024),
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MB.")
                % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload
