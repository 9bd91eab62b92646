"""The bulletin forms: its number and months, each edition's text, and the choices made
when publishing, revising and withdrawing."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from bulletins.models import (
    MAX_HIGHLIGHTS,
    Bulletin,
    BulletinRedirect,
    Edition,
    edition_languages,
    split_highlights,
)
from bulletins.publication import NOTE_MAX_LENGTH
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


class MonthField(forms.DateField):
    """A month (``<input type="month">``, "2026-03"), kept as the first day of the month."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value) -> datetime.date | None:
        date = super().to_python(value)
        return date.replace(day=1) if date else None


class BulletinForm(forms.ModelForm):
    """A bulletin's number and months: what every edition covers."""

    first_month = MonthField(label=_("First month"), help_text=_("For example 2026-01."))
    last_month = MonthField(label=_("Last month"), help_text=_("The same month for one month."))

    class Meta:
        model = Bulletin
        fields = ["number", "first_month", "last_month"]
        help_texts = {"number": _("Fixed once an edition is published.")}
        error_messages = {
            "number": {"unique": _("Another bulletin already has this number.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_bootstrap_classes(self)

    def clean_number(self) -> int:
        number = self.cleaned_data["number"]
        if BulletinRedirect.objects.filter(number=number).exists():
            raise ValidationError(
                _("This number was an earlier bulletin's and now leads to it; choose another."),
                code="number_taken",
            )
        return number

    def clean(self) -> dict:
        cleaned = super().clean()
        first, last = cleaned.get("first_month"), cleaned.get("last_month")
        if first and last and last < first:
            self.add_error("last_month", _("The last month cannot be before the first month."))
        return cleaned


class BulletinCreateForm(BulletinForm):
    """A new bulletin: its number and months, and a title per language; the text of each
    edition is written in its editor next.

    The next number is offered, and a title left empty is made from the cluster's name and
    the months, in the edition's language.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].help_text = _("The next number is offered. Fixed once published.")
        for language, name in edition_languages():
            self.fields[f"title_{language}"] = forms.CharField(
                label=_("Title in %(language)s") % {"language": name},
                max_length=200,
                required=False,
                help_text=_(
                    "Leave it empty for the cluster's name and the months, such as “Health "
                    "Cluster Bulletin, January to March 2026”. Fixed once published."
                ),
                widget=forms.TextInput(attrs={"lang": language, "dir": "auto"}),
            )
        add_bootstrap_classes(self)

    def title_fields(self) -> list:
        return [self[f"title_{language}"] for language, _name in edition_languages()]


class EditionForm(forms.ModelForm):
    """An edition's text. On a published edition it is the revision's: the title is fixed,
    and the revision may take today's figures instead of the published ones."""

    class Meta:
        model = Edition
        fields = ["title", "highlights", *NARRATIVE_FIELDS, "refresh_figures"]
        widgets = {
            "highlights": forms.Textarea(attrs={"rows": 4}),
            **{name: forms.Textarea(attrs={"rows": 8}) for name in NARRATIVE_FIELDS},
        }
        help_texts = {
            "highlights": _("At most four key messages, one a line. Plain text."),
            **dict.fromkeys(NARRATIVE_FIELDS, MARKDOWN_HELP),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # What is written is in the edition's language; the labels stay in the page's.
        direction = "rtl" if self.instance.is_rtl else "ltr"
        for name in ["title", "highlights", *NARRATIVE_FIELDS]:
            self.fields[name].widget.attrs.update(lang=self.instance.language, dir=direction)
        if self.instance.is_public:
            self.fields["title"].disabled = True
            self.fields["title"].help_text = _("Fixed once the edition is published.")
        else:
            del self.fields["refresh_figures"]
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


class PublishForm(forms.Form):
    """Which editions to publish; every one that can be is ticked."""

    languages = forms.MultipleChoiceField(
        label=_("Editions to publish"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one edition to publish.")},
    )

    def __init__(self, *args, editions, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["languages"]
        field.choices = [(e.language, e.get_language_name()) for e in editions]
        field.initial = [e.language for e in editions]


class RevisionForm(forms.Form):
    note = forms.CharField(
        label=_("What was revised"),
        max_length=NOTE_MAX_LENGTH,
        help_text=_(
            "One line, shown on the public page as “Revised on <date>: <note>”, for example: "
            "the figures for the north were corrected."
        ),
        error_messages={
            "required": _("Say in one line what was revised: it is shown on the public page.")
        },
    )
    email_subscribers = forms.BooleanField(
        label=_("Email the subscribers of this language about the revision"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_bootstrap_classes(self)


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
