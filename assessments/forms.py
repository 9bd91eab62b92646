"""Forms of the assessment workflow: the assessment, its findings grid, files and review.

The forms only read and check input; the services in ``assessments.services`` write.
"""

from collections.abc import Iterable, Sequence

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.attachments import ACCEPT, check_upload, max_bytes
from assessments.models import Assessment, AttachmentKind, Finding, Severity
from assessments.services import EDITABLE_FIELDS, FindingInput, FindingKey
from core.forms import DateInput
from core.inputs import NOT_A_NUMBER, TOO_LARGE, WholeNumberField
from core.widgets import DirectCheckboxSelectMultiple
from locations.forms import AreaMultipleChoiceField
from locations.models import AdminArea
from partners.models import Organisation
from strategy.models import HealthDomain

SHEET_MAX_BYTES = 5 * 1024 * 1024


def severity_choices(empty: str = "—") -> list[tuple[str, str]]:
    """The severity scale as select options: the number and its meaning."""
    return [("", empty)] + [
        (str(value), _("%(number)d: %(label)s") % {"number": value, "label": label})
        for value, label in Severity.choices
    ]


class AssessmentForm(forms.ModelForm):
    """The description of an assessment. ``lead_organisation`` is offered to coordinators only,
    when they record an assessment for an organisation; members always lead for their own."""

    areas = AreaMultipleChoiceField(
        label=gettext_lazy("Areas covered"),
        help_text=gettext_lazy(
            "Search for each governorate, district or sub-district the assessment covered."
        ),
        error_messages={
            "invalid_choice": gettext_lazy(
                "%(value)s is not an area of the country's list of admin areas."
            ),
            "required": gettext_lazy("Choose at least one area the assessment covers."),
        },
    )
    participating_organisations = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Participating organisations"),
        help_text=gettext_lazy(
            "For a joint assessment: the other partner organisations that took part."
        ),
        queryset=Organisation.objects.none(),
        required=False,
        widget=DirectCheckboxSelectMultiple,
    )

    class Meta:
        model = Assessment
        fields = [
            "title_en",
            "title_ar",
            "type",
            "start_date",
            "end_date",
            "areas",
            "participating_organisations",
            "methodology",
            "sample",
            "population_covered",
            "key_findings_en",
            "key_findings_ar",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "title_ar": forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
            "methodology": forms.Textarea(attrs={"rows": 4}),
            "sample": forms.Textarea(attrs={"rows": 3}),
            "key_findings_en": forms.Textarea(attrs={"rows": 6}),
            "key_findings_ar": forms.Textarea(attrs={"rows": 6, "dir": "rtl", "lang": "ar"}),
        }
        help_texts = {
            "population_covered": gettext_lazy("The number of people living in the areas."),
            "sample": gettext_lazy("Who or what was surveyed, and how many."),
        }

    def __init__(self, *args, choose_lead: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        approved = Organisation.objects.approved().order_by("name_en")
        lead = self.instance.lead_organisation if self.instance.lead_organisation_id else None
        if choose_lead:
            self.fields["lead_organisation"] = forms.ModelChoiceField(
                label=gettext_lazy("Lead organisation"),
                queryset=approved,
                empty_label=gettext_lazy("Choose the organisation that led it"),
            )
            self.order_fields(["lead_organisation"])
        participants = approved.exclude(pk=lead.pk) if lead else approved
        self.fields["participating_organisations"].queryset = participants
        population = self.fields["population_covered"]
        self.fields["population_covered"] = WholeNumberField(
            label=population.label, help_text=population.help_text, required=False, min_value=1
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            # An error on end_date also keeps the model's date constraint from adding its own.
            self.add_error("end_date", _("The end date must be on or after the start date."))
        lead = cleaned.get("lead_organisation")
        if lead is not None:
            cleaned["participating_organisations"] = [
                organisation
                for organisation in cleaned.get("participating_organisations") or []
                if organisation.pk != lead.pk
            ]
        return cleaned

    def service_values(self) -> dict:
        """The plain fields, as ``assessment_create``/``assessment_update`` take them."""
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("What should the organisation change?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": gettext_lazy("Say what the organisation should change.")},
    )


class PublishForm(forms.Form):
    restricted = forms.BooleanField(
        label=gettext_lazy("Restrict to members of partner organisations"),
        help_text=gettext_lazy(
            "Only signed-in members of partner organisations will see it, and it is left out "
            "of public figures."
        ),
        required=False,
    )


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of file"), choices=AttachmentKind.choices, initial="report"
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A PDF, Word (DOCX) or Excel (XLSX) file of at most %(limit)s."
        ) % {"limit": filesizeformat(max_bytes())}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload(upload)
        return upload


class FindingsUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Filled findings sheet (XLSX)"),
        help_text=gettext_lazy(
            "The sheet downloaded above, filled in. It adds and changes the findings it lists; "
            "before removing any, the portal shows which and asks you to confirm."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    replace_all = forms.BooleanField(
        label=gettext_lazy("Replace every finding: also remove those the sheet does not list"),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > SHEET_MAX_BYTES:
            raise forms.ValidationError(
                _("The file %(name)s is %(size)s; the limit is %(limit)s.")
                % {
                    "name": upload.name,
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(SHEET_MAX_BYTES),
                },
                code="too_large",
            )
        return upload


def _escaped(names: dict) -> dict[str, str]:
    """Names to write into a message that the field formats again with its limit."""
    return {key: str(value).replace("%", "%%") for key, value in names.items()}


def _cell_message(escaped: dict[str, str], problem) -> str:
    return _("%(area)s, %(domain)s: %(problem)s") % {**escaped, "problem": problem}


class FindingsGridForm(forms.Form):
    """One severity select and one people-in-need box per area covered and health domain.

    Fields are named ``f-<area pk>-<domain pk>-severity`` and ``…-pin``. A cell with
    neither is no finding; a cell with people in need but no severity, or a figure that is not
    one, is unfinished: kept as typed (``unfinished``), the cell's finding left as it was.
    """

    def __init__(
        self,
        *args,
        areas: Sequence[AdminArea],
        domains: Sequence[HealthDomain],
        findings: Iterable[Finding] = (),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.areas = list(areas)
        self.domains = list(domains)
        existing = {(finding.area_id, finding.domain_id): finding for finding in findings}
        choices = severity_choices()
        self.rows = []
        for area in self.areas:
            cells = []
            for domain in self.domains:
                prefix = f"f-{area.pk}-{domain.pk}"
                finding = existing.get((area.pk, domain.pk))
                names = {"area": area.name, "domain": domain.name}
                severity = forms.TypedChoiceField(
                    label=_("Severity in %(area)s for %(domain)s") % names,
                    choices=choices,
                    coerce=int,
                    empty_value=None,
                    required=False,
                    initial=finding.severity if finding else "",
                    widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
                    error_messages={
                        "invalid_choice": _("%(area)s, %(domain)s: choose a severity from 1 to 5.")
                        % names
                    },
                )
                escaped = _escaped(names)
                people = WholeNumberField(
                    label=_("People in need in %(area)s for %(domain)s") % names,
                    min_value=0,
                    required=False,
                    initial=finding.people_in_need if finding else None,
                    error_messages={
                        "invalid": _cell_message(escaped, NOT_A_NUMBER),
                        "max_value": _cell_message(escaped, TOO_LARGE),
                        "min_value": _(
                            "%(area)s, %(domain)s: the people in need cannot be negative."
                        )
                        % escaped,
                    },
                    # Text asking for digits: a figure kept as typed shows as typed.
                    widget=forms.TextInput(
                        attrs={"inputmode": "numeric", "class": "form-control form-control-sm"}
                    ),
                )
                self.fields[f"{prefix}-severity"] = severity
                self.fields[f"{prefix}-pin"] = people
                cells.append((area, domain, f"{prefix}-severity", f"{prefix}-pin"))
            self.rows.append((area, cells))

    def clean(self):
        cleaned = super().clean()
        for _area, cells in self.rows:
            for area, domain, severity_name, pin_name in cells:
                if (
                    cleaned.get(severity_name) is None
                    and cleaned.get(pin_name) is not None
                    and severity_name not in self.errors
                ):
                    self.add_error(
                        severity_name,
                        _("%(area)s, %(domain)s: give a severity for the people in need.")
                        % {"area": area.name, "domain": domain.name},
                    )
        return cleaned

    def grid(self) -> list[tuple[AdminArea, list[tuple[HealthDomain, object, object]]]]:
        """Rows of bound fields for the template: (area, [(domain, severity, people), …])."""
        return [
            (area, [(domain, self[severity], self[pin]) for _a, domain, severity, pin in cells])
            for area, cells in self.rows
        ]

    def _cells(self):
        for _area, cells in self.rows:
            yield from cells

    def _is_unfinished(self, severity_name: str, pin_name: str) -> bool:
        return severity_name in self.errors or pin_name in self.errors

    def cleared(self) -> list[FindingKey]:
        """The (area, domain) of the cells left without a severity: no finding there."""
        return [
            (area.pk, domain.pk)
            for area, domain, severity_name, pin_name in self._cells()
            if self.cleaned_data.get(severity_name) is None
            and not self._is_unfinished(severity_name, pin_name)
        ]

    def findings(self) -> list[FindingInput]:
        """The cells that are right, with a severity."""
        return [
            FindingInput(
                area=area,
                domain=domain,
                severity=self.cleaned_data[severity_name],
                people_in_need=self.cleaned_data.get(pin_name),
            )
            for area, domain, severity_name, pin_name in self._cells()
            if self.cleaned_data.get(severity_name) is not None
            and not self._is_unfinished(severity_name, pin_name)
        ]

    def unfinished(self) -> dict[str, dict[str, str]]:
        """The cells that are not right, as typed, by ``"<area pk>-<domain pk>"``."""
        return {
            f"{area.pk}-{domain.pk}": {
                "severity": self.data.get(severity_name, ""),
                "pin": self.data.get(pin_name, ""),
            }
            for area, domain, severity_name, pin_name in self._cells()
            if self._is_unfinished(severity_name, pin_name)
        }

    def as_typed(self, unfinished: dict[str, dict[str, str]]) -> dict[str, str]:
        """The grid's values as the browser would send them back, the unfinished cells as
        typed: to show those cells checked."""
        data = {}
        for area, domain, severity_name, pin_name in self._cells():
            typed = unfinished.get(f"{area.pk}-{domain.pk}")
            for name, key in ((severity_name, "severity"), (pin_name, "pin")):
                value = typed.get(key, "") if typed else self.fields[name].initial
                data[name] = "" if value is None else str(value)
        return data


class FindingsConfirmForm(forms.Form):
    """The confirmation of a findings sheet that removes findings: the checked sheet, signed."""

    plan = forms.CharField(widget=forms.HiddenInput)
