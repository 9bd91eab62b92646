"""Forms of the projects. They read what is typed; the rules are the services'
(``projects/services.py``), whose errors land on the fields they name."""

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from activities.models import SEX_AND_AGE, Activity
from core.forms import DateInput, MonthField
from core.inputs import TextField
from core.widgets import (
    DirectCheckboxSelectMultiple,
    DirectNumberInput,
    SharedOptions,
    SharedOptionsSelect,
)
from locations.models import AdminArea
from partners.models import Organisation
from projects import sheets
from projects.access import visible_projects
from projects.models import FundingUpdate, Project, ProjectStatus, ReviewState
from projects.services import SHARE_LEVELS, Planned
from strategy.models import StrategicObjective

# Rows offered for each split; a project spread wider is split by admin1 instead.
SHARE_ROWS = 6
# Empty rows offered under a project's planned activities, and the most it may have.
PLANNED_EXTRA = 3
MOST_PLANNED = 200


def _money(label, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=14,
        decimal_places=2,
        min_value=0,
        widget=DirectNumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        **kwargs,
    )


class ProjectForm(forms.Form):
    title_en = TextField(label=_("Title (English)"), max_length=250)
    title_ar = TextField(label=_("Title (Arabic)"), max_length=250, required=False)
    plan_code = TextField(
        label=_("Response plan code"),
        max_length=40,
        required=False,
        help_text=Project._meta.get_field("plan_code").help_text,
    )
    implementing_partners = forms.ModelMultipleChoiceField(
        label=_("Implementing partners"),
        queryset=Organisation.objects.approved().order_by("name_en"),
        required=False,
        widget=DirectCheckboxSelectMultiple,
    )
    donors = TextField(label=_("Donors"), max_length=500, required=False)
    start = forms.DateField(label=_("Start"), widget=DateInput())
    end = forms.DateField(label=_("End"), widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=ProjectStatus.choices)
    budget_required_usd = _money(_("Budget required (US$)"))
    objectives = forms.ModelMultipleChoiceField(
        label=_("Strategic objectives served"),
        queryset=StrategicObjective.objects.select_related("cycle").order_by(
            "-cycle__start_year", "order", "code"
        ),
        required=False,
        widget=DirectCheckboxSelectMultiple,
    )

    def __init__(self, *args, organisation=None, project: Project | None = None, **kwargs):
        if project is not None:
            kwargs.setdefault(
                "initial",
                {
                    **{name: getattr(project, name) for name in SERVICE_FIELDS},
                    "implementing_partners": list(project.implementing_partners.all()),
                    "objectives": list(project.objectives.all()),
                },
            )
        super().__init__(*args, **kwargs)
        if organisation is not None:
            # The organisation itself is no implementing partner of its own project.
            field = self.fields["implementing_partners"]
            field.queryset = field.queryset.exclude(pk=organisation.pk)

    def service_values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in SERVICE_FIELDS}


SERVICE_FIELDS = (
    "title_en",
    "title_ar",
    "plan_code",
    "donors",
    "start",
    "end",
    "status",
    "budget_required_usd",
)


class _ShareForm(forms.Form):
    share_percent = forms.DecimalField(
        label=_("Share (per cent)"),
        max_digits=5,
        decimal_places=2,
        required=False,
        widget=DirectNumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )

    def clean(self):
        cleaned = super().clean()
        target, percent = cleaned.get("target"), cleaned.get("share_percent")
        if target is not None and percent is None:
            self.add_error("share_percent", _("Give the share."))
        elif target is None and percent is not None:
            self.add_error("target", _("Choose what this share goes to."))
        return cleaned


class ObjectiveShareForm(_ShareForm):
    target = forms.ModelChoiceField(
        label=_("Strategic objective"),
        queryset=StrategicObjective.objects.select_related("cycle").order_by(
            "-cycle__start_year", "order", "code"
        ),
        required=False,
        empty_label=_("Choose an objective"),
    )
    field_order = ["target", "share_percent"]


class AreaShareForm(_ShareForm):
    target = forms.ModelChoiceField(
        label=_("Area"),
        queryset=AdminArea.objects.filter(level__in=SHARE_LEVELS),
        required=False,
        empty_label=_("Choose an area"),
    )
    field_order = ["target", "share_percent"]


ObjectiveShareFormSet = forms.formset_factory(
    ObjectiveShareForm, extra=0, min_num=SHARE_ROWS, max_num=SHARE_ROWS, absolute_max=SHARE_ROWS
)
AreaShareFormSet = forms.formset_factory(
    AreaShareForm, extra=0, min_num=SHARE_ROWS, max_num=SHARE_ROWS, absolute_max=SHARE_ROWS
)


def share_formsets(data, project: Project | None) -> tuple:
    """The two splits of the budget, filled from the project's shares."""
    by_objective, by_area = [], []
    if project is not None:
        for share in project.shares.select_related("objective", "area"):
            row = {"target": share.objective or share.area, "share_percent": share.share_percent}
            (by_objective if share.objective_id else by_area).append(row)
    formsets = (
        ObjectiveShareFormSet(data, prefix="objective_shares", initial=by_objective),
        AreaShareFormSet(data, prefix="area_shares", initial=by_area),
    )
    for formset in formsets:
        share_choices(formset, ("target",))
    return formsets


def share_choices(formset, names: tuple[str, ...]) -> None:
    """Every row offers the same lists: each read once and rendered once per page
    (``core.widgets``), not once per row and option (3,414 options in 21 selects)."""
    for name in names:
        choices = list(formset.empty_form.fields[name].choices)
        options = SharedOptions(choices)
        for form in formset.forms:
            field = form.fields[name]
            field.widget = SharedOptionsSelect(options, attrs=field.widget.attrs)


def filled_shares(formset) -> list[tuple[object, object]]:
    return [
        (form.cleaned_data["target"], form.cleaned_data["share_percent"])
        for form in formset.forms
        if form.cleaned_data.get("target") is not None
    ]


def _count(label) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=2_000_000_000,
        required=False,
        widget=DirectNumberInput(attrs={"inputmode": "numeric"}),
    )


class PlannedActivityForm(forms.Form):
    """One planned activity; a row left empty is none."""

    activity = forms.ModelChoiceField(
        label=_("Activity"),
        queryset=Activity.objects.filter(is_active=True),
        required=False,
        empty_label=_("Choose an activity"),
    )
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=AdminArea.objects.filter(level__in=SHARE_LEVELS),
        required=False,
        empty_label=_("Choose an area"),
    )
    first_month = MonthField(label=_("First month"), required=False, help_text="")
    last_month = MonthField(label=_("Last month"), required=False, help_text="")
    target = forms.IntegerField(
        label=_("Target"),
        min_value=1,
        max_value=2_000_000_000,
        required=False,
        widget=DirectNumberInput(attrs={"inputmode": "numeric"}),
    )
    girls = _count(_("Girls"))
    boys = _count(_("Boys"))
    women = _count(_("Women"))
    men = _count(_("Men"))

    def is_empty(self) -> bool:
        return not any(self.cleaned_data.get(name) not in (None, "") for name in self.fields)

    def clean(self):
        cleaned = super().clean()
        if self.is_empty():
            return cleaned
        for name, message in (
            ("activity", _("Choose the activity.")),
            ("area", _("Choose the area.")),
            ("first_month", _("Give the first month.")),
            ("last_month", _("Give the last month.")),
            ("target", _("Give the target.")),
        ):
            if cleaned.get(name) is None and name not in self.errors:
                self.add_error(name, message)
        return cleaned

    def planned(self) -> Planned:
        data = self.cleaned_data
        return Planned(
            activity=data["activity"],
            area=data["area"],
            first_month=data["first_month"],
            last_month=data["last_month"],
            target=data["target"],
            **{name: data.get(name) for name in SEX_AND_AGE},
        )


PlannedActivityFormSet = forms.formset_factory(
    PlannedActivityForm,
    extra=PLANNED_EXTRA,
    max_num=MOST_PLANNED,
    absolute_max=MOST_PLANNED,
    validate_max=True,
)


def planned_formset(data, project: Project | None) -> forms.BaseFormSet:
    """The project's planned activities, and a few empty rows to add more."""
    initial = []
    if project is not None:
        for row in project.planned_activities.select_related("activity", "area").order_by(
            "first_month", "pk"
        ):
            initial.append(
                {
                    "activity": row.activity,
                    "area": row.area,
                    "first_month": row.first_month,
                    "last_month": row.last_month,
                    "target": row.target,
                    **{name: getattr(row, name) for name in SEX_AND_AGE},
                }
            )
    formset = PlannedActivityFormSet(data, prefix="planned", initial=initial)
    share_choices(formset, ("activity", "area"))
    return formset


def filled_planned(formset) -> list[Planned]:
    return [form.planned() for form in formset.forms if not form.is_empty()]


def add_planned_errors(formset, errors: list) -> None:
    """The service's problems with the planned activities, each on its row's field (the
    service counts the rows filled in, as ``filled_planned`` gives them)."""
    filled = [form for form in formset.forms if not form.is_empty()]
    for error in errors:
        params = error.params or {}
        index, field = params.get("index"), params.get("field")
        if index is not None and index < len(filled):
            filled[index].add_error(field, error.message)


class ReturnForm(forms.Form):
    comment = TextField(
        label=_("What should be corrected"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent by email to the project's organisation, and shown with the project."),
    )


class FundingForm(forms.Form):
    date = forms.DateField(label=_("As of"), widget=DateInput())
    amount_received_usd = _money(
        _("Funding received so far (US$)"),
        help_text=FundingUpdate._meta.get_field("amount_received_usd").help_text,
    )
    source = TextField(
        label=_("Source"),
        max_length=300,
        help_text=_("Where the figure comes from: the donor's agreement, FTS, a finance report."),
    )


class ImportForm(forms.Form):
    """A filled projects template, and whether only to check it."""

    file = forms.FileField(
        label=_("Filled Excel template (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "class": "form-control",
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file; do not import it"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "At most %(projects)s projects, %(rows)s rows of budget shares and of planned "
            "activities, and %(size)s MB. If any row has a problem, nothing is imported."
        ) % {
            "projects": number_format(sheets.MAX_ROWS[sheets.PROJECTS], force_grouping=True),
            "rows": number_format(sheets.MAX_ROWS[sheets.SHARES], force_grouping=True),
            "size": sheets.MAX_UPLOAD_BYTES // (1024 * 1024),
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > sheets.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MB.")
                % {"limit": sheets.MAX_UPLOAD_BYTES // (1024 * 1024)},
                code="too_large",
            )
        return upload


class ProjectFilterForm(forms.Form):
    """The list's filters; a value that is not one of the choices is ignored."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.filter(projects__isnull=False).distinct().order_by("name_en"),
        required=False,
        empty_label=_("Every organisation"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Every status")), *ProjectStatus.choices],
        required=False,
    )
    state = forms.ChoiceField(
        label=_("Review"),
        choices=[("", _("Every review state")), *ReviewState.choices],
        required=False,
    )
    objective = forms.ModelChoiceField(
        label=_("Strategic objective"),
        queryset=StrategicObjective.objects.select_related("cycle").order_by(
            "-cycle__start_year", "order", "code"
        ),
        required=False,
        empty_label=_("Every objective"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the organisations whose projects the user sees: a draft's is not revealed.
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=visible_projects(user).values("organisation")
        ).order_by("name_en")

    def filters(self) -> dict:
        """The valid filters only: one bad value does not drop the others."""
        self.is_valid()
        return {
            name: self.cleaned_data.get(name) or ("" if name in ("status", "state") else None)
            for name in self.fields
            if name not in self.errors
        }
