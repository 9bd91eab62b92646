"""Importing the rows of an activity report from its filled Excel template.

``import_check`` reads the sheet, checks every row with the rules of the entry form
(``services.reports.row_problems``) and either answers every problem, each with its row
number and column, or stores the rows as a ``PendingImport``. ``import_confirm`` then
replaces the draft's rows by them in one transaction, through ``report_save_rows``;
``import_cancel`` forgets them. A pending import made before the report last changed is
refused: the user uploads the file again and sees the differences anew. A row may name a
facility of the registry by its code (an optional column after the total): its area is then
the facility's district. A row may name its project by the project's code (the sheet's last,
optional column), under the rules of the rows page.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from activities import excel, policy
from activities import selectors_reports as selectors
from activities.models import Activity, PendingImport, Report, ReportRow, RowStatus
from activities.services import reports
from activities.services.reports import (
    FIGURES,
    RowInput,
    fill_total,
    missing_total,
    row_place,
    row_problems,
    row_project_problem,
    unknown_facility,
    unknown_project,
)
from core.exports import unneutralise
from core.inputs import (
    MAX_PEOPLE_IN_ROW,
    UNSTORABLE_TEXT,
    is_storable_text,
    message_of,
    parse_whole_number,
)
from facilities.models import Facility
from locations.models import AdminArea, AdminLevel
from partners.models import Organisation
from projects import selectors as project_selectors
from projects.models import Project

TEXT_LIMIT = 200
TEXT_FIELDS = ("implementing_other", "donor")
COMPARED = ("donor", "facility", "project", "status", *FIGURES)


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str
    message: str


class ImportRefused(Exception):
    """The file cannot be imported: ``problems`` lists every reason (nothing was saved)."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(problem.message for problem in problems))
        self.problems = problems


def _refused(message: str) -> ImportRefused:
    return ImportRefused([Problem(None, "", message)])


# --- lookups, loaded once per file ----------------------------------------------------------------


@dataclass
class Lookups:
    activities: dict[str, Activity]
    areas: dict[str, AdminArea]
    organisations: dict[str, Organisation | None]  # None: two organisations share the key
    statuses: dict[str, str]
    facilities: dict[str, Facility]  # the sheet's facility codes, as typed
    projects: dict[str, Project]  # the sheet's project codes, as typed, with their areas
    report: Report  # the report the rows are for, which their projects are checked against

    @classmethod
    def load(
        cls, *, by, report: Report, facility_codes: list[str], project_codes: list[str]
    ) -> "Lookups":
        organisations: dict[str, Organisation | None] = {}
        for organisation in Organisation.objects.approved():
            keys = {organisation.acronym, organisation.name_en, organisation.name_ar}
            for key in {k.strip().casefold() for k in keys if k and k.strip()}:
                known = organisations.get(key, organisation)
                organisations[key] = organisation if known == organisation else None
        statuses: dict[str, str] = {}
        for language in ("en", "ar", translation.get_language() or "en"):
            with translation.override(language):
                for value, label in RowStatus.choices:
                    statuses[str(label).casefold()] = value
        for value in RowStatus.values:
            statuses[value] = value
        return cls(
            activities={a.code.casefold(): a for a in Activity.objects.all()},
            areas={
                a.pcode.casefold(): a for a in AdminArea.objects.filter(level=AdminLevel.ADMIN2)
            },
            organisations=organisations,
            statuses=statuses,
            facilities=selectors.facilities_by_code(by, facility_codes),
            projects=project_selectors.projects_by_row_code(by, project_codes),
            report=report,
        )


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # A code or name the template wrote with the quote that keeps it from being a formula.
    return unneutralise(str(value)).strip()


def _number(value) -> int | None:
    """A whole number from a cell; None when empty; ValidationError when it is not one."""
    return parse_whole_number(value, maximum=MAX_PEOPLE_IN_ROW)


def _read_row(row: excel.SheetRow, lookups: Lookups) -> tuple[RowInput | None, list[Problem]]:
    problems: list[Problem] = []

    def problem(key: str, message: str) -> None:
        problems.append(Problem(row.number, excel.column_header(key), message))

    for key in row.formulas:
        problem(
            key,
            _(
                "Row %(number)s: a formula, not a value. Type the figure itself, or save the "
                "file in Excel so that it keeps the formula's result."
            )
            % {"number": row.number},
        )
    values = row.values
    code = _text(values["activity_code"])
    activity = lookups.activities.get(code.casefold()) if code else None
    if not code:
        problem("activity_code", _("Enter the activity code."))
    elif activity is None:
        problem(
            "activity_code",
            _("%(code)s is not an activity code of the catalogue.") % {"code": code},
        )
    facility_code = _text(values["facility_code"])
    facility = lookups.facilities.get(facility_code) if facility_code else None
    if facility_code and facility is None:
        problem("facility_code", unknown_facility(facility_code))
    pcode = _text(values["area_pcode"])
    area = lookups.areas.get(pcode.casefold()) if pcode else None
    if not pcode:
        if not facility_code:  # a facility's district is the row's area
            problem("area_pcode", _("Enter the p-code of the district (admin2)."))
    elif area is None:
        problem(
            "area_pcode",
            _("%(pcode)s is not the p-code of a district (admin2).") % {"pcode": pcode},
        )
    partner = _text(values["implementing_partner"])
    organisation = None
    if partner:
        key = partner.casefold()
        if key not in lookups.organisations:
            problem(
                "implementing_partner",
                _(
                    "%(name)s is not an approved partner of the directory. Write its name in the "
                    "column for organisations not in the directory instead."
                )
                % {"name": partner},
            )
        elif lookups.organisations[key] is None:
            problem(
                "implementing_partner",
                _("%(name)s names more than one partner; write the partner's full name.")
                % {"name": partner},
            )
        else:
            organisation = lookups.organisations[key]
    texts = {}
    for key in TEXT_FIELDS:
        texts[key] = _text(values[key])
        if len(texts[key]) > TEXT_LIMIT:
            problem(key, _("Write at most %(limit)s characters.") % {"limit": TEXT_LIMIT})
        elif not is_storable_text(texts[key]):
            problem(key, str(UNSTORABLE_TEXT))
    status_text = _text(values["status"])
    status = lookups.statuses.get(status_text.casefold())
    if not status_text:
        problem("status", _("Choose the status: planned, ongoing or completed."))
    elif status is None:
        problem(
            "status",
            _("%(value)s is not a status; choose planned, ongoing or completed.")
            % {"value": status_text},
        )
    if facility is not None and (area is not None or not pcode):
        area, message = row_place(area=area, facility=facility)
        if message:
            problem("area_pcode", message)
    project_code = _text(values["project_code"])
    project = lookups.projects.get(project_code) if project_code else None
    if project_code and project is None:
        problem("project_code", unknown_project(project_code))
    elif project is not None and area is not None:
        message = row_project_problem(project, area=area, report=lookups.report)
        if message:
            problem("project_code", message)
    figures: dict[str, int | None] = {}
    for key in FIGURES:
        try:
            figures[key] = _number(values[key])
        except ValidationError as error:
            problem(key, message_of(error))
            figures[key] = None
    if problems or activity is None:
        return None, problems
    fill_total(activity, figures)
    if figures["total"] is None:
        empty = [name for name in activity.groups if figures[name] is None]
        problem(
            "total" if activity.total_is_entered else empty[0], missing_total(activity, figures)
        )
        return None, problems
    values_in = RowInput(
        activity=activity,
        area=area,
        status=status,
        implementing_organisation=organisation,
        implementing_other=texts["implementing_other"],
        donor=texts["donor"],
        facility=facility,
        project=project,
        **figures,
    )
    for message in row_problems(values_in):
        problems.append(Problem(row.number, "", message))
    return (None if problems else values_in), problems


# --- checking an upload -------------------------------------------------------------------------


def _check_sheet_belongs(sheet: excel.Sheet, report: Report) -> None:
    if sheet.reference == excel.reference(report):
        return
    match = excel.REFERENCE_RE.match(sheet.reference)
    if not match:
        raise _refused(
            _(
                "This file is not the portal's template for activity reports: its reference "
                "was changed. Download the template from the report's page and fill it in."
            )
        )
    organisation_pk, year, month = (int(part) for part in match.groups())
    if organisation_pk != report.organisation_id:
        raise _refused(
            _(
                "This sheet was made for another organisation's report. Download the template "
                "of this report and copy your rows into it."
            )
        )
    raise _refused(
        _(
            "This sheet was made for the report of %(found)s, not %(period)s. Download the "
            "template of this report and copy your rows into it."
        )
        % {"found": f"{year:04d}-{month:02d}", "period": report.period}
    )


def _as_json(row: RowInput) -> dict:
    return {
        "activity": row.activity.pk,
        "area": row.area.pk,
        "implementing_organisation": (
            row.implementing_organisation.pk if row.implementing_organisation else None
        ),
        "implementing_other": row.implementing_other,
        "donor": row.donor,
        "facility": row.facility.pk if row.facility else None,
        "project": row.project.pk if row.project else None,
        "status": row.status,
        **{name: getattr(row, name) for name in FIGURES},
    }


def _check_may_edit(report: Report, by) -> None:
    policy.can_edit(by, report).enforce()


def read_rows(upload, report: Report, *, by) -> list[RowInput]:
    """Every row of the uploaded template, checked; ImportRefused with every problem. The
    facilities and projects are those ``by`` sees."""
    try:
        sheet = excel.read_sheet(upload)
    except ValidationError as error:
        raise ImportRefused([Problem(None, "", message) for message in error.messages]) from None
    except excel.SheetRefused as error:
        raise _refused(error.message) from None
    _check_sheet_belongs(sheet, report)
    if not sheet.rows:
        raise _refused(_("The sheet holds no rows under the column headers; nothing to import."))
    lookups = Lookups.load(
        by=by,
        report=report,
        facility_codes=[_text(row.values["facility_code"]) for row in sheet.rows],
        project_codes=[_text(row.values["project_code"]) for row in sheet.rows],
    )
    rows: list[RowInput] = []
    problems: list[Problem] = []
    for sheet_row in sheet.rows:
        row, row_errors = _read_row(sheet_row, lookups)
        problems.extend(row_errors)
        if row is not None:
            rows.append(row)
    if problems:
        raise ImportRefused(problems)
    return rows


@transaction.atomic
def import_check(*, report: Report, by, upload) -> PendingImport:
    """Read and check the upload; keep its rows as a pending import when all are right."""
    _check_may_edit(report, by)
    rows = read_rows(upload, report, by=by)
    PendingImport.objects.filter(report=report, uploaded_by=by).delete()
    return PendingImport.objects.create(
        report=report,
        uploaded_by=by,
        file_name=(getattr(upload, "name", "") or "")[:255],
        rows={
            "report_changed_at": report.updated_at.isoformat(),
            "rows": [_as_json(r) for r in rows],
        },
    )


# --- the differences ------------------------------------------------------------------------------


def _key(values: dict) -> tuple:
    other = (values.get("implementing_other") or "").strip().casefold()
    return (values["activity"], values["area"], values["implementing_organisation"] or other)


def _row_values(row: ReportRow) -> dict:
    return {
        "activity": row.activity_id,
        "area": row.area_id,
        "implementing_organisation": row.implementing_organisation_id,
        "implementing_other": row.implementing_other,
        "donor": row.donor,
        "facility": row.facility_id,
        "project": row.project_id,
        "status": row.status,
        **{name: getattr(row, name) for name in FIGURES},
    }


@dataclass
class Difference:
    kind: str  # "added", "changed" or "removed"
    old: dict | None
    new: dict | None


@dataclass
class Comparison:
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    differences: list[Difference] = field(default_factory=list)
    matches: dict[int, int] = field(default_factory=dict)  # imported index -> existing row pk


def compare(report: Report, imported: list[dict]) -> Comparison:
    """What the imported rows change in the report: matched by activity, area and implementer."""
    existing: dict[tuple, list[ReportRow]] = defaultdict(list)
    for row in report.rows.order_by("order", "pk"):
        existing[_key(_row_values(row))].append(row)
    comparison = Comparison()
    for index, values in enumerate(imported):
        candidates = existing.get(_key(values))
        if not candidates:
            comparison.added += 1
            comparison.differences.append(Difference("added", None, values))
            continue
        row = candidates.pop(0)
        comparison.matches[index] = row.pk
        old = _row_values(row)
        # A pending import kept before rows named facilities names none.
        if any(old[name] != values.get(name) for name in COMPARED):
            comparison.changed += 1
            comparison.differences.append(Difference("changed", old, values))
        else:
            comparison.unchanged += 1
    for rows in existing.values():
        for row in rows:
            comparison.removed += 1
            comparison.differences.append(Difference("removed", _row_values(row), None))
    return comparison


def pending_rows(pending: PendingImport) -> list[dict]:
    return list(pending.rows.get("rows", []))


def is_stale(pending: PendingImport, report: Report) -> bool:
    return pending.rows.get("report_changed_at") != report.updated_at.isoformat()


def stale_message() -> str:
    return _(
        "The report changed after this file was uploaded. Upload the file again to see what it "
        "would change now."
    )


# --- confirming and cancelling ----------------------------------------------------------------


@transaction.atomic
def import_confirm(*, pending: PendingImport, by) -> Report:
    """Replace the draft's rows by the pending import's, in one transaction."""
    report = Report.objects.select_for_update(of=("self",)).get(pk=pending.report_id)
    if pending.uploaded_by_id != by.pk:
        raise PermissionDenied(_("Only the person who uploaded the file can confirm it."))
    _check_may_edit(report, by)
    if is_stale(pending, report):
        pending.delete()
        raise ValidationError(stale_message(), code="stale")
    imported = pending_rows(pending)
    comparison = compare(report, imported)
    activities = Activity.objects.in_bulk({values["activity"] for values in imported})
    areas = AdminArea.objects.in_bulk({values["area"] for values in imported})
    organisations = Organisation.objects.in_bulk(
        {values["implementing_organisation"] for values in imported} - {None}
    )
    facilities = Facility.objects.select_related("area__parent").in_bulk(
        {values.get("facility") for values in imported} - {None}
    )
    projects = project_selectors.projects_with_areas(values.get("project") for values in imported)
    rows = []
    for index, values in enumerate(imported):
        try:
            activity = activities[values["activity"]]
            area = areas[values["area"]]
            facility = facilities[values["facility"]] if values.get("facility") else None
            project = projects[values["project"]] if values.get("project") else None
        except KeyError:
            pending.delete()
            raise ValidationError(stale_message(), code="stale") from None
        rows.append(
            RowInput(
                pk=comparison.matches.get(index),
                activity=activity,
                area=area,
                status=values["status"],
                implementing_organisation=organisations.get(values["implementing_organisation"]),
                implementing_other=values["implementing_other"],
                donor=values["donor"],
                facility=facility,
                project=project,
                **{name: values[name] for name in FIGURES},
            )
        )
    report = reports.report_save_rows(report=report, by=by, rows=rows)
    PendingImport.objects.filter(report=report).delete()
    return report


@transaction.atomic
def import_cancel(*, pending: PendingImport, by) -> None:
    """Forget a pending import; the report keeps its rows."""
    if pending.uploaded_by_id != by.pk:
        raise PermissionDenied(_("Only the person who uploaded the file can cancel it."))
    pending.delete()
