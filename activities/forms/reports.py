"""Forms of the activity reports: the rows of a report (a formset), review and correction.

The row formset is one page of a report's rows (``ROWS_PER_PAGE``) and works without
JavaScript: blank rows at the end of the last page, a "delete" box on each row, and an
"add more rows" submit button that shows the form again with more blank rows. Its select
boxes share options rendered once per page (``core.widgets``), so the page makes the same
number of queries, and nearly the same work, with 3 rows or 500. A row may name the health
facility where the activity took place by its code, typed: the codes of a page are looked up
in the registry together, in one query. A row may name its project, chosen from the few
projects of the reporting organisation that its rows may name this month
(``projects.selectors.projects_for_rows``); the area of the row is checked against it.
"""

from collections.abc import Callable, Iterable, Sequence
from itertools import groupby

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.models import (
    REPORT_MAX_ROWS,
    Activity,
    Report,
    ReportingPeriod,
    ReportRow,
    ReportStatus,
    RowStatus,
)
from activities.services.reports import (
    FIGURES,
    ROW_FIELDS,
    RowInput,
    UnfinishedInput,
    facility_district,
    fill_total,
    missing_total,
    row_place,
    row_problems,
    row_project_problem,
    unknown_facility,
)
from core.bilingual import bilingual_expression
from core.inputs import MAX_PEOPLE_IN_ROW, TextField, WholeNumberField, whole_number_or_none
from core.widgets import (
    DirectCheckboxInput,
    DirectHiddenInput,
    DirectTextarea,
    DirectTextInput,
    SharedOptions,
    SharedOptionsSelect,
)
from facilities.models import Facility
from locations.models import AdminArea
from partners.models import Organisation
from projects.models import Project

EXTRA_ROWS = 3
ADD_ROWS_BUTTON = "_add_rows"
ADD_ROWS_STEP = 5
MAX_ROWS = REPORT_MAX_ROWS
ROWS_PER_PAGE = 25
# The rows of a page and the blank rows added to it; more is refused before any form is
# built, whatever the posted form count says.
PAGE_MAX_FORMS = 100
EMPTY = (None, "")
# What a blank row starts with, so it does not count as typed.
_PRESET = "implementing_organisation"
STATUS_CHOICES = [("", "—"), *RowStatus.choices]


class ObjectChoiceField(forms.Field):
    """A choice of objects loaded beforehand: no query when the form renders or cleans, and
    no list of choices built per form (its select shares options rendered once a page)."""

    default_error_messages = {"invalid_choice": gettext_lazy("Choose one of the list.")}

    def __init__(self, *, objects: dict[str, object], options: SharedOptions, attrs: dict, **kw):
        self.objects = objects
        super().__init__(widget=SharedOptionsSelect(options, attrs=attrs), **kw)

    def to_python(self, value):
        return str(value) if value not in self.empty_values else None

    def validate(self, value):
        if value is None:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return
        if value not in self.objects:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")

    def clean(self, value):
        value = self.to_python(value)
        self.validate(value)
        return self.objects[value] if value is not None else None

    def prepare_value(self, value):
        if hasattr(value, "pk"):
            return str(value.pk)
        return value

    def has_changed(self, initial, data) -> bool:
        return str(self.prepare_value(initial) or "") != str(data or "")


def figures_sentence(activity: Activity) -> str:
    return _("Figures of this activity: %(figures)s.") % {"figures": activity.figures_text()}


class EntryChoices:
    """The activities, areas and partners the row selects offer, loaded once per page, and
    the facilities the rows' codes name, found by ``find_facilities`` (codes as typed to
    facilities) when the page is checked. ``projects`` are those the report's rows may name,
    and any other its saved rows name (shown, so that the row says what is wrong with it
    rather than lose it), each with its ``area_paths``; ``report`` is the report they are
    checked for."""

    def __init__(
        self,
        *,
        activities: Sequence[Activity],
        areas: Sequence[AdminArea],
        organisations: Sequence[Organisation],
        find_facilities: Callable[[Iterable[str]], dict[str, Facility]] | None = None,
        projects: Sequence[Project] = (),
        report: Report | None = None,
    ):
        self._find_facilities = find_facilities
        self.report = report
        self.projects = {str(project.pk): project for project in projects}
        self.project_options = SharedOptions(
            [("", "—")]
            + [(str(project.pk), f"{project.row_code} {project.title}") for project in projects]
        )
        self.facilities: dict[str, Facility] = {}
        self._looked_up: set[str] = set()
        self.activities = {str(activity.pk): activity for activity in activities}
        self.areas = {str(area.pk): area for area in areas}
        self.organisations = {str(org.pk): org for org in organisations}
        blank = [("", "—")]
        self.activity_options = SharedOptions(
            blank
            + [(str(activity.pk), f"{activity.code} {activity.name}") for activity in activities]
        )
        # Admin2 areas grouped under their admin1 area, as <optgroup>s.
        self.area_options = SharedOptions(
            blank
            + [
                (
                    str(parent.name) if parent else _("Other areas"),
                    [(str(area.pk), f"{area.name} ({area.pcode})") for area in group],
                )
                for parent, group in groupby(areas, key=lambda area: area.parent)
            ]
        )
        self.organisation_options = SharedOptions(
            blank + [(str(org.pk), str(org)) for org in organisations]
        )
        self.status_options = SharedOptions(STATUS_CHOICES)

    def load_facilities(self, codes: Iterable[str]) -> None:
        """Look up in the registry, together, the codes not looked up yet."""
        wanted = {code.strip() for code in codes if code and code.strip()} - self._looked_up
        if wanted and self._find_facilities is not None:
            self.facilities.update(self._find_facilities(wanted))
        self._looked_up |= wanted

    def facility(self, code: str) -> Facility | None:
        """The facility a code names; None when the registry has none of that code."""
        self.load_facilities([code])
        return self.facilities.get(code.strip())

    def figures(self) -> dict[str, dict]:
        """What each activity collects, for the page's script that fits a row to its activity."""
        return {
            pk: {
                "figures": list(activity.figures),
                "added_up": not activity.total_is_entered,
                "text": figures_sentence(activity),
            }
            for pk, activity in self.activities.items()
        }


def _figure(label: str) -> WholeNumberField:
    return WholeNumberField(
        label=label,
        required=False,
        min_value=0,
        max_value=MAX_PEOPLE_IN_ROW,
        # Text that asks phones for digits: a number input would show a figure kept as typed
        # but not a number ("ten", "1O") as an empty box, and send it back empty.
        widget=DirectTextInput(
            attrs={"class": "form-control form-control-sm", "inputmode": "numeric"}
        ),
        error_messages={"min_value": gettext_lazy("Enter zero or more.")},
    )


class ReportRowForm(forms.Form):
    """One row of the report."""

    id = WholeNumberField(required=False, min_value=1, widget=DirectHiddenInput)
    # The unfinished row (activities.models.UnfinishedRow) the row was shown from, if any.
    draft = WholeNumberField(required=False, min_value=1, widget=DirectHiddenInput)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=STATUS_CHOICES,
        error_messages={
            "required": gettext_lazy("Choose the status: planned, ongoing or completed.")
        },
    )
    donor = TextField(
        label=gettext_lazy("Donor"),
        required=False,
        max_length=200,
        widget=DirectTextInput(attrs={"class": "form-control form-control-sm"}),
    )
    # The code as typed: a select of thousands of facilities per row would weigh the page
    # down, and partners know the codes of the facilities they support.
    facility = TextField(
        label=gettext_lazy("Facility code"),
        required=False,
        max_length=Facility._meta.get_field("code").max_length,
        widget=DirectTextInput(
            attrs={
                "class": "form-control form-control-sm",
                "inputmode": "text",
                "autocomplete": "off",
                "dir": "ltr",
            }
        ),
    )
    implementing_other = TextField(
        label=gettext_lazy("Or another organisation"),
        required=False,
        max_length=200,
        widget=DirectTextInput(attrs={"class": "form-control form-control-sm"}),
    )
    girls = _figure(gettext_lazy("Girls"))
    boys = _figure(gettext_lazy("Boys"))
    women = _figure(gettext_lazy("Women"))
    men = _figure(gettext_lazy("Men"))
    older_people = _figure(gettext_lazy("Older people"))
    people_with_disabilities = _figure(gettext_lazy("People with disabilities"))
    total = _figure(gettext_lazy("Total reached"))

    field_order = [
        "id",
        "draft",
        "activity",
        "area",
        "facility",
        "project",
        "implementing_organisation",
        "implementing_other",
        "donor",
        "status",
        *FIGURES,
    ]

    def __init__(self, *args, choices: EntryChoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.entry_choices = choices
        select = {"class": "form-select form-select-sm"}
        self.fields["activity"] = ObjectChoiceField(
            label=_("Activity"),
            objects=choices.activities,
            options=choices.activity_options,
            attrs=select,
            error_messages={"invalid_choice": _("Choose an activity of the catalogue.")},
        )
        self.fields["area"] = ObjectChoiceField(
            label=_("Area"),
            objects=choices.areas,
            options=choices.area_options,
            attrs=select,
            error_messages={"invalid_choice": _("Choose an area of the list (admin level 2).")},
        )
        if self.is_bound and str(self.data.get(self.add_prefix("facility")) or "").strip():
            self.fields["area"].required = False  # the facility's district, when left empty
        self.fields["implementing_organisation"] = ObjectChoiceField(
            label=_("Implementing partner"),
            objects=choices.organisations,
            options=choices.organisation_options,
            attrs=select,
            required=False,
            error_messages={
                "invalid_choice": _("Choose an approved partner organisation of the list.")
            },
        )
        self.fields["project"] = ObjectChoiceField(
            label=_("Project"),
            objects=choices.projects,
            options=choices.project_options,
            attrs=select,
            required=False,
            error_messages={
                "invalid_choice": _(
                    "Choose a project of the list: your organisation's projects accepted into "
                    "the plan for this month."
                )
            },
        )
        self.fields["status"].widget = SharedOptionsSelect(choices.status_options, attrs=select)
        self.order_fields(self.field_order)

    def has_changed(self) -> bool:
        """Whether anything was typed in the row. The implementing partner alone does not
        count: a blank row starts with the reporting organisation chosen."""
        return any(name != "implementing_organisation" for name in self.changed_data)

    def typed(self) -> dict[str, str]:
        """The row's values as posted, text as typed (for a row that is not finished)."""
        names = [name for name in ROW_FIELDS if name in self.fields]
        return {name: self.data.get(self.add_prefix(name), "") for name in names}

    def is_unfinished(self) -> bool:
        return bool(self.is_bound and self.errors)

    def is_empty(self) -> bool:
        """Nothing typed but the implementing partner every row starts with."""
        typed = self.typed()
        return not any(value.strip() for name, value in typed.items() if name != _PRESET)

    def posted_number(self, name: str) -> int | None:
        return whole_number_or_none(self.data.get(self.add_prefix(name)), minimum=1)

    def clean_facility(self) -> Facility | None:
        code = self.cleaned_data.get("facility") or ""
        if not code:
            return None
        facility = self.entry_choices.facility(code)
        if facility is None:
            raise ValidationError(unknown_facility(code), code="unknown_facility")
        return facility

    def clean(self):
        data = super().clean()
        if data.get("facility") and not self.has_error("area"):
            area, problem = row_place(area=self._chosen_area(data), facility=data["facility"])
            if problem:
                self.add_error("area", problem)
            else:
                data["area"] = area
        report = self.entry_choices.report
        if data.get("project") and data.get("area") and report and not self.has_error("area"):
            problem = row_project_problem(data["project"], area=data["area"], report=report)
            if problem:
                self.add_error("project", problem)
        if self.errors or not data.get("activity"):
            return data
        activity = data["activity"]
        fill_total(activity, data)
        if data.get("total") is None:
            field = "total" if activity.total_is_entered else None
            self.add_error(field, missing_total(activity, data))
            return data
        for problem in row_problems(self.as_input(data)):
            self.add_error(None, problem)
        return data

    def _chosen_area(self, data: dict) -> AdminArea | None:
        """The area the partner chose. A saved row that names a facility has its area from
        it: left as it was, that area follows the facility now typed (a mistyped code
        corrected), rather than contradict it."""
        saved = self.initial.get("id") and not self.initial.get("draft")
        if (
            saved
            and self.initial.get("facility")
            and "area" not in self.changed_data
            and facility_district(data["facility"]) is not None
        ):
            return None
        return data.get("area")

    def row_activity(self) -> Activity | None:
        """The activity the row names: as posted, else as saved; None for a blank row."""
        if self.is_bound:
            value = self.data.get(self.add_prefix("activity"))
        else:
            value = self.initial.get("activity")
        return self.entry_choices.activities.get(str(value)) if value else None

    def figures_sentence(self) -> str:
        activity = self.row_activity()
        return figures_sentence(activity) if activity else ""

    def figure_fields(self) -> list:
        """The figure inputs the row shows: those its activity collects (all of them while
        no activity is chosen), and any other that holds a value, so it can be emptied."""
        activity = self.row_activity()
        wanted = set(activity.figures if activity else FIGURES)
        fields = [self[name] for name in FIGURES]
        return [field for field in fields if field.name in wanted or field.value() not in EMPTY]

    @staticmethod
    def as_input(data: dict) -> RowInput:
        return RowInput(
            pk=data.get("id"),
            activity=data["activity"],
            area=data["area"],
            status=data["status"],
            total=data["total"],
            implementing_organisation=data.get("implementing_organisation"),
            implementing_other=data.get("implementing_other") or "",
            donor=data.get("donor") or "",
            facility=data.get("facility"),
            project=data.get("project"),
            **{name: data.get(name) for name in FIGURES if name != "total"},
        )


class BaseReportRowFormSet(forms.BaseFormSet):
    """The rows of one report; the summary of problems names each row by its number."""

    def __init__(
        self,
        *args,
        choices: EntryChoices,
        first_number: int = 1,
        extra=None,
        implementer=None,
        **kw,
    ):
        self.choices = choices
        self.first_number = first_number
        self.implementer = implementer  # blank rows start with it: most rows are the reporter's
        if extra is not None:
            self.extra = extra
        super().__init__(*args, form_kwargs={"choices": choices}, **kw)

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        key = default_implementer(self.implementer, self.choices)
        if i >= self.initial_form_count() and key:
            form.fields["implementing_organisation"].initial = key
        return form

    def full_clean(self):
        if self.is_bound:
            # Every code of the page looked up at once, rather than a query per row.
            self.choices.load_facilities(
                str(form.data.get(form.add_prefix("facility")) or "") for form in self.forms
            )
        super().full_clean()

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].widget = DirectCheckboxInput(attrs={"class": "form-check-input"})

    def numbered_forms(self) -> list[tuple[int, ReportRowForm]]:
        """Each form with the number of its row in the whole report."""
        return [(self.first_number + index, form) for index, form in enumerate(self.forms)]

    def clean(self):
        for name in ("id", "draft"):
            posted = [form.data.get(form.add_prefix(name)) for form in self.forms]
            posted = [value for value in posted if value not in EMPTY]
            ids = [whole_number_or_none(value, minimum=1) for value in posted]
            if None in ids or len(ids) != len(set(ids)):
                # Only a changed or replayed page sends these: nothing of it is saved.
                raise ValidationError(_("The same row was sent twice; reload the page."))

    def kept_forms(self) -> list[ReportRowForm]:
        """The filled-in rows not marked for deletion, in page order."""
        initial_count = self.initial_form_count()
        return [
            form
            for index, form in enumerate(self.forms)
            if (index < initial_count or form.has_changed()) and not self._should_delete_form(form)
        ]

    def rows(self) -> list[RowInput]:
        """The finished rows: those that pass every check of a row."""
        return [
            ReportRowForm.as_input(form.cleaned_data)
            for form in self.kept_forms()
            if not form.is_unfinished()
        ]

    def unfinished(self) -> list[UnfinishedInput]:
        """The rows kept as typed: each that does not pass the checks yet, except a new one
        emptied of everything (nothing to keep)."""
        return [
            UnfinishedInput(values=form.typed(), pk=form.posted_number("id"))
            for form in self.kept_forms()
            if form.is_unfinished() and (form.posted_number("id") or not form.is_empty())
        ]

    def unfinished_shown(self) -> set[int]:
        """The unfinished rows the page showed: what it sends back replaces them."""
        return {pk for form in self.forms if (pk := form.posted_number("draft"))}

    def deleted_ids(self) -> set[int]:
        """The saved rows of the page ticked for deletion."""
        return {
            pk
            for form in self.forms[: self.initial_form_count()]
            if self._should_delete_form(form) and (pk := form.posted_number("id"))
        }

    def error_summary(self) -> list[str]:
        """Every problem as a sentence that names its row: "Row 3: …"."""
        summary = [str(error) for error in self.non_form_errors()]
        for number, form in self.numbered_forms():
            if self._should_delete_form(form):
                continue
            for error in form.non_field_errors():
                summary.append(
                    _("Row %(number)s: %(problem)s") % {"number": number, "problem": error}
                )
            for name, errors in form.errors.items():
                if name == "__all__":
                    continue
                label = form.fields[name].label
                for error in errors:
                    summary.append(
                        _("Row %(number)s, %(field)s: %(problem)s")
                        % {"number": number, "field": str(label).lower(), "problem": error}
                    )
        return summary

    def show_without_checking(self) -> None:
        """Show the bound rows again (after "add more rows") without any error message."""
        self._errors = [ErrorDict(renderer=form.renderer) for form in self.forms]
        self._non_form_errors = self.error_class()
        for form in self.forms:
            form._errors = ErrorDict(renderer=form.renderer)
            form.cleaned_data = {}


ReportRowFormSet = forms.formset_factory(
    ReportRowForm,
    formset=BaseReportRowFormSet,
    extra=EXTRA_ROWS,
    can_delete=True,
    max_num=PAGE_MAX_FORMS,
    absolute_max=PAGE_MAX_FORMS,
    validate_max=True,
)


def row_initial(row: ReportRow) -> dict:
    return {
        "id": row.pk,
        "activity": str(row.activity_id),
        "area": str(row.area_id),
        "facility": row.facility.code if row.facility_id else "",
        "project": str(row.project_id or ""),
        "implementing_organisation": str(row.implementing_organisation_id or ""),
        "implementing_other": row.implementing_other,
        "donor": row.donor,
        "status": row.status,
        **{name: getattr(row, name) for name in FIGURES},
    }


def unfinished_initial(draft, row: ReportRow | None = None) -> dict:
    """The values a row shows for an unfinished row: as typed, over the saved row's."""
    saved = {"id": row.pk} if row else {}
    return {**saved, "draft": draft.pk, **draft.values}


def page_data(initial: Sequence[dict], extra: int, implementer: str, prefix="form") -> dict:
    """The page's rows as the browser would send them back unchanged, to show its unfinished
    rows checked: what each still lacks, in the words a save would use."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(initial) + extra),
        f"{prefix}-INITIAL_FORMS": str(len(initial)),
    }
    for index, values in enumerate(initial):
        for name, value in values.items():
            data[f"{prefix}-{index}-{name}"] = "" if value is None else str(value)
    for index in range(len(initial), len(initial) + extra):
        data[f"{prefix}-{index}-implementing_organisation"] = implementer
    return data


def default_implementer(organisation, choices: EntryChoices) -> str:
    """The implementing partner a blank row starts with: the reporting organisation, when
    it is one of the choices (an approved partner)."""
    key = str(organisation.pk) if organisation is not None else ""
    return key if key in choices.organisations else ""


def with_more_rows(
    data, *, limit: int = PAGE_MAX_FORMS, prefix: str = "form", implementer: str = ""
):
    """The POST data with more blank rows, for the "add more rows" button: at most
    ``limit`` rows on the page, and never more than a page holds; each new row starts with
    ``implementer`` as its implementing partner."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    total = whole_number_or_none(data.get(key)) or 0
    data[key] = str(min(total + ADD_ROWS_STEP, limit, PAGE_MAX_FORMS))
    if implementer:
        for index in range(total, int(data[key])):
            data[f"{prefix}-{index}-implementing_organisation"] = implementer
    return data


# --- start, review and correction ----------------------------------------------------------------


class StartReportForm(forms.Form):
    copy_previous = forms.BooleanField(
        label=gettext_lazy("Start from a copy of the rows of our last report"),
        help_text=gettext_lazy(
            "The rows, with their figures and status, are copied into the new report; "
            "change them before submitting."
        ),
        required=False,
    )


class ReturnReportForm(forms.Form):
    """A general comment, and one optional comment per row."""

    comment = forms.CharField(
        label=gettext_lazy("Comment to the organisation"),
        help_text=gettext_lazy(
            "Say what should be corrected. The organisation sees it on the report, with each"
            " row's comment beside the row."
        ),
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        max_length=4000,
    )

    def __init__(self, *args, rows: Sequence[ReportRow], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        for number, row in enumerate(self.rows, start=1):
            self.fields[f"row_{row.pk}"] = forms.CharField(
                label=_("Comment on row %(number)s") % {"number": number},
                required=False,
                max_length=2000,
                initial=row.review_comment,
                widget=DirectTextarea(attrs={"rows": 2, "class": "form-control"}),
            )

    def row_fields(self) -> list[tuple]:
        return [(row, self[f"row_{row.pk}"]) for row in self.rows]

    def row_comments(self) -> dict[int, str]:
        return {
            row.pk: self.cleaned_data.get(f"row_{row.pk}", "")
            for row in self.rows
            if self.cleaned_data.get(f"row_{row.pk}")
        }


class CorrectionRequestForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("What needs correcting, and why"),
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        max_length=4000,
    )


class OrganisationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return str(obj)


class OnBehalfForm(forms.Form):
    """A coordinator chooses the organisation and period of a report to enter for it."""

    organisation = OrganisationChoice(
        label=gettext_lazy("Organisation"),
        queryset=Organisation.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    period = forms.ModelChoiceField(
        label=gettext_lazy("Reporting period"),
        queryset=ReportingPeriod.objects.all(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Approved and suspended organisations: a suspended one may still owe past reports.
        self.fields["organisation"].queryset = Organisation.objects.filter(
            status__in=["approved", "suspended"]
        ).order_by(bilingual_expression("name"))


# --- the list of reports -------------------------------------------------------------------------


class PeriodChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: ReportingPeriod) -> str:
        return str(obj)


class ReportFilter(django_filters.FilterSet):
    """Period, status and (for coordinators) organisation of the reports listed."""

    period = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Period"),
        queryset=ReportingPeriod.objects.all(),
        empty_label=gettext_lazy("All periods"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=ReportStatus.choices,
        empty_label=gettext_lazy("All statuses"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    organisation = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Organisation"),
        queryset=Organisation.objects.none(),
        empty_label=gettext_lazy("All organisations"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    class Meta:
        model = Report
        fields = ["period", "status", "organisation"]

    def __init__(self, *args, show_organisation: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["period"].field_class = PeriodChoice
        if show_organisation:
            self.filters["organisation"].queryset = Organisation.objects.filter(
                pk__in=Report.objects.values("organisation")
            ).order_by(bilingual_expression("name"))
            self.filters["organisation"].field_class = OrganisationChoice
        else:
            del self.filters["organisation"]
