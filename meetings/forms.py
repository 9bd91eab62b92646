"""The coordinators' meeting form, with its checks on times and minutes."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import add_bootstrap_classes
from meetings.models import Meeting

MAX_MINUTES_BYTES = 10 * 1024 * 1024
PDF_SIGNATURE = b"%PDF-"
DATETIME_INPUT = "%Y-%m-%dT%H:%M"


def check_minutes(minutes: UploadedFile) -> UploadedFile:
    """Accept a PDF of at most 10 MB, judged by its content, not by its name."""
    if minutes.size > MAX_MINUTES_BYTES:
        raise ValidationError(
            _("The minutes are larger than 10 MB. Upload a smaller PDF."),
            code="minutes_too_large",
        )
    minutes.seek(0)
    head = minutes.read(1024)
    minutes.seek(0)
    # The header may follow a few bytes of junk; PDF readers accept it within the first 1 KB.
    if PDF_SIGNATURE not in head:
        raise ValidationError(
            _("The minutes must be a PDF file. This file is not a PDF; nothing was saved."),
            code="minutes_not_pdf",
        )
    minutes.name = "minutes.pdf"
    minutes.content_type = "application/pdf"
    return minutes


def _datetime_widget() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT)


class MeetingForm(forms.ModelForm):
    online_url = forms.URLField(
        label=_("Online meeting link"),
        required=False,
        assume_scheme="https",
        help_text=_("The address to join online, if the meeting can be followed remotely."),
    )
    minutes = forms.FileField(
        label=_("Minutes"),
        required=False,
        help_text=_(
            "A PDF of at most 10 MB. Public once uploaded, unless the meeting is for members only."
        ),
        widget=forms.FileInput(attrs={"accept": "application/pdf"}),
    )
    remove_minutes = forms.BooleanField(label=_("Remove the current minutes"), required=False)

    class Meta:
        model = Meeting
        fields = [
            "title_en",
            "title_ar",
            "kind",
            "starts_at",
            "ends_at",
            "place_en",
            "place_ar",
            "online_url",
            "agenda_en",
            "agenda_ar",
            "is_members_only",
        ]
        widgets = {
            "title_ar": forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
            "place_ar": forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
            "starts_at": _datetime_widget(),
            "ends_at": _datetime_widget(),
            "agenda_en": forms.Textarea(attrs={"rows": 8}),
            "agenda_ar": forms.Textarea(attrs={"rows": 8, "dir": "rtl", "lang": "ar"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = timezone.get_current_timezone_name()
        for name in ("starts_at", "ends_at"):
            self.fields[name].help_text = _("In the cluster's time zone (%(zone)s).") % {
                "zone": zone
            }
        agenda_help = _("Markdown: - for a list, **bold**, [text](https://…) for a link.")
        self.fields["agenda_en"].help_text = agenda_help
        self.fields["agenda_ar"].help_text = agenda_help
        if not (self.instance.pk and self.instance.minutes):
            del self.fields["remove_minutes"]
        add_bootstrap_classes(self)

    def clean_minutes(self):
        minutes = self.cleaned_data.get("minutes")
        if isinstance(minutes, UploadedFile):
            return check_minutes(minutes)
        return None

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at:
            if ends_at < starts_at:
                self.add_error(
                    "ends_at",
                    ValidationError(_("The meeting ends before it starts."), code="ends_before"),
                )
            elif ends_at == starts_at:
                self.add_error(
                    "ends_at",
                    ValidationError(_("The meeting must end after it starts."), code="no_duration"),
                )
        return cleaned
