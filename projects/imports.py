"""Importing projects from the filled Excel template, all or nothing, as drafts.

``projects_import`` is the import's service: atomic, it asks ``projects.policy`` first,
reads the workbook (``projects.sheets``), then checks every row of every sheet: the cells
as cells (a reference, an organisation, dates, numbers, codes that exist), then each
project whole with the rules of its form (``services.project_problems``: the content, the
budget split, the planned activities). Every problem is reported at once, each a sentence
naming its sheet, row and column (``facilities.imports.Problem``, as the facilities' imports
report theirs); nothing is written unless every row is right, nor on a dry run, which says
what the file would add. Members import their own organisation's projects; coordinators
those of any organisation, named on each row. Each project is then added by
``services.project_import``, with its history under the importing user.
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from activities.models import SEX_AND_AGE, Activity
from core.errors import reading_input
from core.inputs import ascii_digits, is_storable_text, message_of, parse_decimal
from core.inputs import parse_whole_number as whole_number
from core.sheets import SheetRow, cell_text
from facilities.imports import ImportRefused, Problem
from locations.models import AdminArea
from partners.access import is_coordinator, user_organisation
from partners.models import Organisation
from projects import policy, services, sheets
from projects.models import Project, ProjectStatus
from projects.services import SHARE_LEVELS, Planned
from strategy.models import StrategicObjective

LIST_SEPARATORS = re.compile("[;\u061b\n]")
ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
ISO_MONTH = re.compile(r"([0-9]{4})-([0-9]{1,2})(?:-([0-9]{1,2}))?")
MOST_LISTED = 40
REFERENCE_LENGTH = 40
BUDGET_MAX = 10**12 - 1
TARGET_MAX = 2_000_000_000
TEXT_LIMITS = {
    name: Project._meta.get_field(name).max_length
    for name in ("title_en", "title_ar", "plan_code", "donors")
}
# The service's fields, by the column of the projects sheet they come from.
SHARE_FIELDS = {"objective_shares": "objective", "area_shares": "area"}


def _normal(text: str) -> str:
    return " ".join(str(text).casefold().split())


def _keyed(records, *attributes: str) -> dict[str, object]:
    """Records by each of their ``attributes`` as words; None for words two records share."""
    found: dict[str, object] = {}
    for record in records:
        for key in {_normal(getattr(record, name) or "") for name in attributes} - {""}:
            found[key] = record if found.get(key, record) == record else None
    return found


def _status_words() -> dict[str, str]:
    words = {_normal(value): value for value in ProjectStatus.values}
    for language in ("en", "ar", translation.get_language() or "en"):
        with translation.override(language):
            words |= {_normal(str(label)): value for value, label in ProjectStatus.choices}
    return words


class _Cells:
    """One row being read: its cells, and the problems found, once per column."""

    def __init__(self, sheet: sheets.Sheet, row: SheetRow, problems: list[Problem]):
        self.sheet, self.row, self.problems = sheet, row, problems
        self.refused: set[str] = set()
        for key in row.formulas:
            self.problem(
                key,
                _(
                    "The cell holds a formula. Type the value itself: formulas are not "
                    "calculated when a file is imported."
                ),
            )

    def problem(self, key: str, message: str) -> None:
        if key in self.refused:
            return
        self.refused.add(key)
        column = sheets.column_header(self.sheet.kind, key) if key else ""
        self.problems.append(Problem(str(message), self.sheet.title, self.row.number, column))

    def text(self, key: str, *, limit: int | None = None) -> str:
        text = cell_text(self.row.cells.get(key))
        if limit is not None and len(text) > limit:
            self.problem(key, _("Write at most %(limit)s characters.") % {"limit": limit})
        elif not is_storable_text(text):
            self.problem(
                key,
                _("The text holds an invisible character that cannot be saved; type it again."),
            )
        return text

    def listed(self, key: str) -> list[str]:
        pieces = [piece.strip() for piece in LIST_SEPARATORS.split(self.text(key))]
        pieces = [piece for piece in pieces if piece]
        if len(pieces) > MOST_LISTED:
            self.problem(key, _("The cell lists too many values."))
            return []
        return pieces

    def number(self, key: str, read) -> object:
        try:
            return read(self.row.cells.get(key))
        except ValidationError as error:
            self.problem(key, message_of(error))
            return None

    def day(self, key: str, *, month: bool = False) -> datetime.date | None:
        value = self.row.cells.get(key)
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return value.replace(day=1) if month else value
        text = ascii_digits(cell_text(value))
        match = (ISO_MONTH if month else ISO_DATE).fullmatch(text)
        try:
            if match and month:
                return datetime.date(int(match.group(1)), int(match.group(2)), 1)
            if match:
                return datetime.date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
        if not text:
            message = _("Give the month.") if month else _("Give the day.")
        elif month:
            message = _("“%(value)s” is not a month; write it as 2026-03.") % {"value": text[:20]}
        else:
            message = _("“%(value)s” is not a day; write it as 2026-03-31.") % {"value": text[:20]}
        self.problem(key, message)
        return None


@dataclass
class _Project:
    cells: _Cells
    ref: str
    organisation: Organisation | None
    values: dict
    partners: list[Organisation]
    objectives: list[StrategicObjective]
    objective_shares: list = field(default_factory=list)
    area_shares: list = field(default_factory=list)
    planned: list[Planned] = field(default_factory=list)
    # The rows of the other sheets, to say where a problem of the whole project is.
    share_rows: dict[str, list[_Cells]] = field(default_factory=lambda: defaultdict(list))
    planned_rows: list[_Cells] = field(default_factory=list)


@dataclass
class ProjectsImported:
    """What a file added, or on a dry run would add."""

    dry_run: bool
    projects: list[Project]
    shares: int = 0
    planned: int = 0


class _Lookups:
    """Everything the rows name, each read once."""

    def __init__(self, by):
        organisations = list(Organisation.objects.approved())
        self.organisations = _keyed(organisations, "acronym", "name_en", "name_ar")
        # The latest cycle's objective for a code two cycles share.
        objectives = StrategicObjective.objects.select_related("cycle").order_by(
            "cycle__start_year", "pk"
        )
        self.objectives = {_normal(objective.code): objective for objective in objectives}
        self.activities = {
            _normal(activity.code): activity for activity in Activity.objects.filter(is_active=True)
        }
        self.areas = {
            _normal(area.pcode): area
            for area in AdminArea.objects.filter(level__in=SHARE_LEVELS).only(
                "pk", "pcode", "level", "path", "name_en", "name_ar"
            )
        }
        self.statuses = _status_words()
        self.coordinator = is_coordinator(by)
        self.own = user_organisation(by)


def _organisation(cells: _Cells, lookups: _Lookups) -> Organisation | None:
    text = cells.text("organisation")
    if not lookups.coordinator:
        if text and _normal(text) not in {
            _normal(lookups.own.acronym or ""),
            _normal(lookups.own.name_en),
            _normal(lookups.own.name_ar or ""),
        }:
            cells.problem(
                "organisation",
                _("You import your own organisation's projects only: leave the cell empty."),
            )
        return lookups.own
    if not text:
        cells.problem("organisation", _("Name the organisation whose project it is."))
        return None
    organisation = lookups.organisations.get(_normal(text))
    if organisation is None:
        cells.problem(
            "organisation",
            _("“%(value)s” is not the acronym or name of one approved partner.")
            % {"value": text[:60]},
        )
    return organisation


def _named(cells: _Cells, key: str, found: dict, message: str) -> list:
    records = []
    for piece in cells.listed(key):
        record = found.get(_normal(piece))
        if record is None:
            cells.problem(key, message % {"value": piece[:60]})
        elif record not in records:
            records.append(record)
    return records


def _project(cells: _Cells, lookups: _Lookups, refs: dict) -> _Project | None:
    ref = cells.text("ref", limit=REFERENCE_LENGTH)
    if not ref:
        cells.problem("ref", _("Give the project a reference, such as P1."))
    elif _normal(ref) in refs:
        cells.problem(
            "ref",
            _("Row %(row)s has this reference already: give each project its own.")
            % {"row": refs[_normal(ref)].cells.row.number},
        )
    organisation = _organisation(cells, lookups)
    values = {name: cells.text(name, limit=limit) for name, limit in TEXT_LIMITS.items()}
    values["start"] = cells.day("start")
    values["end"] = cells.day("end")
    status = cells.text("status")
    values["status"] = lookups.statuses.get(_normal(status))
    if values["status"] is None:
        cells.problem(
            "status",
            _("“%(value)s” is not one of the statuses: %(answers)s.")
            % {
                "value": status[:60],
                "answers": "; ".join(str(label) for label in ProjectStatus.labels),
            },
        )
    values["budget_required_usd"] = cells.number(
        "budget_required_usd",
        lambda value: parse_decimal(value, minimum=0, maximum=BUDGET_MAX, places=2),
    )
    partners = _named(
        cells,
        "implementing_partners",
        lookups.organisations,
        _("“%(value)s” is not the acronym or name of one approved partner."),
    )
    objectives = _named(
        cells,
        "objectives",
        lookups.objectives,
        _("“%(value)s” is not the code of a strategic objective."),
    )
    project = _Project(cells, ref, organisation, values, partners, objectives)
    if ref and _normal(ref) not in refs:
        refs[_normal(ref)] = project
    return project


def _owner(cells: _Cells, refs: dict) -> _Project | None:
    ref = cells.text("ref")
    if not ref:
        cells.problem("ref", _("Give the reference of the project on the projects sheet."))
        return None
    project = refs.get(_normal(ref))
    if project is None:
        cells.problem(
            "ref",
            _("No project of the projects sheet has the reference “%(value)s”.")
            % {"value": ref[:40]},
        )
    return project


def _share(cells: _Cells, lookups: _Lookups, refs: dict) -> None:
    project = _owner(cells, refs)
    objective_code, pcode = cells.text("objective"), cells.text("area")
    percent = cells.number(
        "share_percent", lambda value: parse_decimal(value, minimum=0, maximum=100, places=2)
    )
    if percent is None and "share_percent" not in cells.refused:
        cells.problem("share_percent", _("Give the share in per cent."))
    if bool(objective_code) == bool(pcode):
        cells.problem(
            "objective",
            _("Give either a strategic objective's code or an area's p-code: a share is of one."),
        )
        return
    target = None
    if objective_code:
        target = lookups.objectives.get(_normal(objective_code))
        if target is None:
            cells.problem(
                "objective",
                _("“%(value)s” is not the code of a strategic objective.")
                % {"value": objective_code[:40]},
            )
    else:
        target = lookups.areas.get(_normal(pcode))
        if target is None:
            cells.problem(
                "area",
                _("“%(value)s” is not the p-code of an admin1 or admin2 area.")
                % {"value": pcode[:40]},
            )
    if project is None or target is None or percent is None:
        return
    kind = "objective_shares" if objective_code else "area_shares"
    getattr(project, kind).append((target, percent))
    project.share_rows[kind].append(cells)


def _planned(cells: _Cells, lookups: _Lookups, refs: dict) -> None:
    project = _owner(cells, refs)
    code, pcode = cells.text("activity"), cells.text("area")
    activity = lookups.activities.get(_normal(code))
    if activity is None:
        cells.problem(
            "activity",
            _("“%(value)s” is not the code of an activity of the catalogue.") % {"value": code[:40]}
            if code
            else _("Give the activity's code."),
        )
    area = lookups.areas.get(_normal(pcode))
    if area is None:
        cells.problem(
            "area",
            _("“%(value)s” is not the p-code of an admin1 or admin2 area.") % {"value": pcode[:40]}
            if pcode
            else _("Give the area's p-code."),
        )
    first, last = cells.day("first_month", month=True), cells.day("last_month", month=True)
    target = cells.number(
        "target", lambda value: whole_number(value, minimum=1, maximum=TARGET_MAX)
    )
    if target is None and "target" not in cells.refused:
        cells.problem("target", _("Give the target."))
    groups = {
        name: cells.number(name, lambda value: whole_number(value, minimum=0, maximum=TARGET_MAX))
        for name in SEX_AND_AGE
    }
    if project is None or None in (activity, area, first, last, target) or cells.refused:
        return
    project.planned.append(Planned(activity, area, first, last, target, **groups))
    project.planned_rows.append(cells)


def _check_whole(project: _Project) -> None:
    """The project's content with the rules of its form, each problem on its cell."""
    _cleaned, errors = services.project_problems(
        project.values,
        objective_shares=project.objective_shares,
        area_shares=project.area_shares,
        planned=project.planned,
    )
    for name, messages in errors.items():
        if name == services.PLANNED:
            for error in messages:
                row = project.planned_rows[error.params["index"]]
                row.problem(error.params["field"], error.message)
        elif name in SHARE_FIELDS:
            rows = project.share_rows[name]
            text = " ".join(str(message) for message in messages)
            if rows:
                rows[0].problem("share_percent", text)
            else:
                project.cells.problem("ref", text)
        else:
            project.cells.problem(name, " ".join(str(message) for message in messages))


def _same_plan_code(projects: list[_Project]) -> None:
    seen: dict[str, _Project] = {}
    for project in projects:
        code = _normal(project.values.get("plan_code") or "")
        if not code:
            continue
        if code in seen:
            project.cells.problem(
                "plan_code",
                _("Row %(row)s has this response plan code already.")
                % {"row": seen[code].cells.row.number},
            )
        seen.setdefault(code, project)


def _read(upload) -> dict[str, sheets.Sheet]:
    refusal = None
    with reading_input(gettext_lazy("the projects workbook")):
        try:
            return sheets.read_workbook(upload)
        except ValidationError as error:
            refusal = [Problem(message) for message in error.messages]
    raise ImportRefused(refusal)


def _checked(found: dict[str, sheets.Sheet], by) -> list[_Project]:
    problems: list[Problem] = []
    lookups = _Lookups(by)
    refs: dict[str, _Project] = {}
    projects = [
        _project(_Cells(found[sheets.PROJECTS], row, problems), lookups, refs)
        for row in found[sheets.PROJECTS].rows
    ]
    for kind, read in ((sheets.SHARES, _share), (sheets.PLANNED, _planned)):
        if kind in found:
            for row in found[kind].rows:
                read(_Cells(found[kind], row, problems), lookups, refs)
    _same_plan_code(projects)
    for project in projects:
        _check_whole(project)
    if problems:
        raise ImportRefused(sorted(problems, key=_order(found)))
    return projects


def _order(found: dict[str, sheets.Sheet]):
    """Problems by sheet, in the template's order, then by row, then by column."""
    titles = [sheet.title for sheet in found.values()]
    headers = {
        sheet.title: [str(column.header) for column in sheets.COLUMNS[sheet.kind]]
        for sheet in found.values()
    }

    def key(problem: Problem) -> tuple:
        columns = headers.get(problem.sheet, [])
        return (
            titles.index(problem.sheet) if problem.sheet in titles else -1,
            problem.row or 0,
            columns.index(problem.column) if problem.column in columns else -1,
        )

    return key


def _unsaved(project: _Project) -> Project:
    return Project(organisation=project.organisation, **project.values)


@transaction.atomic
def projects_import(*, upload, by, dry_run: bool = False) -> ProjectsImported:
    """Add the projects of an uploaded template as drafts, all or none; ``ImportRefused``
    lists every problem. A dry run checks and writes nothing."""
    policy.can_import(by).enforce()
    found = _read(upload)
    if not found[sheets.PROJECTS].rows:
        raise ImportRefused(
            [
                Problem(
                    _("The sheet “%(sheet)s” holds no project under its headers.")
                    % {"sheet": found[sheets.PROJECTS].title}
                )
            ]
        )
    checked = _checked(found, by)
    result = ProjectsImported(
        dry_run=dry_run,
        projects=[],
        shares=sum(len(p.objective_shares) + len(p.area_shares) for p in checked),
        planned=sum(len(p.planned) for p in checked),
    )
    if dry_run:
        result.projects = [_unsaved(project) for project in checked]
        return result
    try:
        with transaction.atomic():
            result.projects = [
                services.project_import(
                    organisation=project.organisation,
                    values=project.values,
                    implementing_partners=project.partners,
                    objectives=project.objectives,
                    objective_shares=project.objective_shares,
                    area_shares=project.area_shares,
                    planned=project.planned,
                    by=by,
                )
                for project in checked
            ]
    except (IntegrityError, ValidationError):
        # Another project took one of these plan codes meanwhile.
        raise ImportRefused(
            [
                Problem(
                    _(
                        "The projects changed while the file was imported, and a response plan "
                        "code of the file was given meanwhile; nothing was saved. Upload the "
                        "file again."
                    )
                )
            ]
        ) from None
    return result


def summary(result: ProjectsImported) -> str:
    """What an import did, or would do, in a sentence."""
    values = {
        "count": number_format(len(result.projects), force_grouping=True),
        "shares": number_format(result.shares, force_grouping=True),
        "planned": number_format(result.planned, force_grouping=True),
    }
    if result.dry_run:
        return (
            ngettext(
                "The file is correct; nothing was saved yet. Importing it would add %(count)s "
                "draft project, with %(shares)s budget shares and %(planned)s planned "
                "activities.",
                "The file is correct; nothing was saved yet. Importing it would add %(count)s "
                "draft projects, with %(shares)s budget shares and %(planned)s planned "
                "activities.",
                len(result.projects),
            )
            % values
        )
    return (
        ngettext(
            "%(count)s draft project was added, with %(shares)s budget shares and %(planned)s "
            "planned activities. Submit it for review from its page.",
            "%(count)s draft projects were added, with %(shares)s budget shares and "
            "%(planned)s planned activities. Submit each for review from its page.",
            len(result.projects),
        )
        % values
    )


def template_lists(user) -> sheets.Lists:
    """What the template's drop-down lists offer the user."""
    objectives = StrategicObjective.objects.select_related("cycle").order_by(
        "-cycle__start_year", "order", "code"
    )
    return sheets.Lists(
        organisations=[
            (organisation.acronym or organisation.name_en, str(organisation.name))
            for organisation in Organisation.objects.approved().order_by("name_en")
        ]
        if is_coordinator(user)
        else [],
        objectives=[(objective.code, str(objective.title)) for objective in objectives],
        areas=[
            (area.pcode, str(area.name))
            for area in AdminArea.objects.filter(level__in=SHARE_LEVELS).order_by("path")
        ],
        activities=[
            (activity.code, str(activity.name))
            for activity in Activity.objects.filter(is_active=True)
        ],
    )


def template(user):
    """The projects template for the user, as a temporary file."""
    return sheets.build_template(template_lists(user), coordinator=is_coordinator(user))
