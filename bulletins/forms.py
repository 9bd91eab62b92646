"""The bulletin editor's form: what it covers, and the parts the coordinator writes."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from bulletins.models import MAX_HIGHLIGHTS, Bulletin, split_highlights
from core.forms import add_bootstrap_classes

MARKDOWN_HELP = _(
    "Markdown: ## for a heading, **bold**, *italic*, - for a list, [text](https://…) for a "
    "link. Scripts and styles are removed."
)
NARRATIVE_FIELDS = [
    "situation_overview",
    "public_health_concerns",
    "health_response",
    "gaps_and_challenges",
    "coordination",
]
# What cannot change once a bulletin is published: its readers cite it by number and title.
PUBLISHED_FIXED_FIELDS = ["number", "title", "language", "first_month", "last_month"]
BULLETIN_FIELDS = [
    "number",
    "title",
    "language",
    "first_month",
    "last_month",
    "highlights",
    *NARRATIVE_FIELDS,
]


class MonthField(forms.DateField):
    """A month (``<input type="month">``, "2026-03"), kept as the first day of the month."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value) -> datetime.date | None:
        date = super().to_python(value)
        return date.replace(day=1) if date else None


class BulletinForm(forms.ModelForm):
    first_month = MonthField(label=_("First month"), help_text=_("For example 2026-01."))
    last_month = MonthField(label=_("Last month"), help_text=_("The same month for one month."))

    class Meta:
        model = Bulletin
        fields = BULLETIN_FIELDS
        widgets = {
            "highlights": forms.Textarea(attrs={"rows": 4}),
            **{name: forms.Textarea(attrs={"rows": 8}) for name in NARRATIVE_FIELDS},
        }
        help_texts = {
            "highlights": _("At most four key messages, one a line. Plain text."),
            "language": _(
                "The bulletin is written and printed in this language; Arabic prints right to left."
            ),
            **dict.fromkeys(NARRATIVE_FIELDS, MARKDOWN_HELP),
        }
        error_messages = {
            "number": {"unique": _("Another bulletin already has this number.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.is_public:
            # Its address, its announcement and its frozen figures depend on these.
            for name in PUBLISHED_FIXED_FIELDS:
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _("Fixed once the bulletin is published.")
        add_bootstrap_classes(self)

    def clean_highlights(self) -> str:
        text = self.cleaned_data.get("highlights", "")
        count = len(split_highlights(text))
        if count > MAX_HIGHLIGHTS:
            raise ValidationError(
                ngettext(
                    "Keep to at most %(max)d key message; there is %(count)d.",
                    "Keep to at most %(max)d key messages; there are %(count)d.",
                    MAX_HIGHLIGHTS,
                )
                % {"max": MAX_HIGHLIGHTS, "count": count},
                code="too_many_highlights",
            )
        return text

    def clean(self) -> dict:
        cleaned = super().clean()
        first, last = cleaned.get("first_month"), cleaned.get("last_month")
        if first and last and last < first:
            self.add_error("last_month", _("The last month cannot be before the first month."))
        return cleaned


class BulletinCreateForm(BulletinForm):
    """A new bulletin: what it covers; the narrative is written in the editor next.

    The next number is offered, and a title left empty is made from the cluster's name and
    the months, in the bulletin's language.
    """

    class Meta(BulletinForm.Meta):
        fields = ["number", "title", "language", "first_month", "last_month"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = _(
            "Leave it empty for the cluster's name and the months, such as “Health Cluster "
            "Bulletin, January to March 2026”. Fixed once the bulletin is published."
        )
        self.fields["number"].help_text = _("The next number is offered. Fixed once published.")


class WithdrawForm(forms.Form):
    """Why a published bulletin is withdrawn; the reason is shown on its public page."""

    reason = forms.CharField(
        label=_("Reason for the withdrawal"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Shown to the public on the bulletin's page, for example: the figures for one "
            "area were counted twice; a corrected bulletin follows."
        ),
        error_messages={
            "required": _("Say why the bulletin is withdrawn: the reason is shown on its page.")
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_bootstrap_classes(self)
