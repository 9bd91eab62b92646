"""The Excel template of projects, and reading a filled one back.

One workbook, three sheets of data: the projects (one row each, with a reference of the
user's choosing), their budget shares and their planned activities (each row naming its
project by that reference). Each data sheet has a row of headers in the user's language,
then a row of HXL hashtags, then the data from row 3. A "Lists" sheet holds what the
drop-down lists offer, with the names beside the codes; an "Instructions" sheet explains
each column. Every cell is written through ``core.exports.new_workbook``, so text that
looks like a formula is written as text, which ``core.sheets.cell_text`` reads back.

Reading finds each sheet by its row of HXL hashtags, whatever it is called, and each column
by its hashtag, as the facilities' templates do (the layout, the lists and the reading they
share are in ``core.sheets``). The workbook is opened by ``core.spreadsheets`` (size, zip bomb and
macro checks, defusedxml, read-only); a formula is never calculated, and a cell holding one
is reported. At most ``MAX_ROWS`` rows a sheet (fewer projects, each written with its
history, than shares and planned activities): a sheet declaring more is refused before a
row is read, and a value found below is refused at once.
"""

import tempfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils import get_column_letter

from core.exports import XLSX_CONTENT_TYPE, clean_sheet_title, new_workbook
from core.sheets import (
    LISTS_SHEET,
    SheetColumn,
    SheetRow,
    add_instructions,
    column_positions,
    data_cells,
    data_rows,
    list_rule,
    saved,
    side_by_side,
    start_data_sheet,
    tag_row,
)
from core.spreadsheets import open_workbook
from projects.models import ProjectStatus

PROJECTS = "projects"
SHARES = "shares"
PLANNED = "planned"
# A project is written with its history in some thirty statements (about 20 ms): 300 take
# some seven seconds, well within a request; shares and planned activities go in bulk.
MAX_ROWS = {PROJECTS: 300, SHARES: 2000, PLANNED: 2000}
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
CONTENT_TYPE = XLSX_CONTENT_TYPE
FILENAME = "projects.xlsx"

KINDS = (PROJECTS, SHARES, PLANNED)
REFERENCE_TAG = "#activity+project+id"


PROJECT_COLUMNS = (
    SheetColumn("ref", gettext_lazy("Project reference"), REFERENCE_TAG, 14),
    SheetColumn("organisation", gettext_lazy("Organisation"), "#org+name", 22),
    SheetColumn("title_en", gettext_lazy("Title (English)"), "#activity+project+name+i_en", 40),
    SheetColumn("title_ar", gettext_lazy("Title (Arabic)"), "#activity+project+name+i_ar", 40),
    SheetColumn("plan_code", gettext_lazy("Response plan code"), "#activity+project+code", 18),
    SheetColumn("implementing_partners", gettext_lazy("Implementing partners"), "#org+impl", 28),
    SheetColumn("donors", gettext_lazy("Donors"), "#org+funder", 28),
    SheetColumn("start", gettext_lazy("Start"), "#date+start", 14),
    SheetColumn("end", gettext_lazy("End"), "#date+end", 14),
    SheetColumn("status", gettext_lazy("Status"), "#status", 14),
    SheetColumn(
        "budget_required_usd",
        gettext_lazy("Budget required (US$)"),
        "#value+funding+required+usd",
        18,
    ),
    SheetColumn(
        "objectives", gettext_lazy("Strategic objectives served"), "#meta+objective+code", 22
    ),
)
SHARE_COLUMNS = (
    SheetColumn("ref", gettext_lazy("Project reference"), REFERENCE_TAG, 14),
    SheetColumn("objective", gettext_lazy("Strategic objective"), "#meta+objective+code", 22),
    SheetColumn("area", gettext_lazy("Area p-code"), "#loc+area+code", 16),
    SheetColumn("share_percent", gettext_lazy("Share (per cent)"), "#value+share+pct", 14),
)
PLANNED_COLUMNS = (
    SheetColumn("ref", gettext_lazy("Project reference"), REFERENCE_TAG, 14),
    SheetColumn("activity", gettext_lazy("Activity code"), "#activity+code", 16),
    SheetColumn("area", gettext_lazy("Area p-code"), "#loc+area+code", 16),
    SheetColumn("first_month", gettext_lazy("First month"), "#date+start", 14),
    SheetColumn("last_month", gettext_lazy("Last month"), "#date+end", 14),
    SheetColumn("target", gettext_lazy("Target"), "#targeted", 12),
    SheetColumn("girls", gettext_lazy("Girls"), "#targeted+f+children", 10),
    SheetColumn("boys", gettext_lazy("Boys"), "#targeted+m+children", 10),
    SheetColumn("women", gettext_lazy("Women"), "#targeted+f+adults", 10),
    SheetColumn("men", gettext_lazy("Men"), "#targeted+m+adults", 10),
)
COLUMNS = {PROJECTS: PROJECT_COLUMNS, SHARES: SHARE_COLUMNS, PLANNED: PLANNED_COLUMNS}
SHEET_TITLES = {
    PROJECTS: gettext_lazy("Projects"),
    SHARES: gettext_lazy("Budget shares"),
    PLANNED: gettext_lazy("Planned activities"),
}


def column_header(kind: str, key: str) -> str:
    return str(next(column.header for column in COLUMNS[kind] if column.key == key))


# --- the template --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lists:
    """What the drop-down lists offer: (code, name) pairs; organisations for coordinators."""

    organisations: list[tuple[str, str]]
    objectives: list[tuple[str, str]]
    areas: list[tuple[str, str]]
    activities: list[tuple[str, str]]


def _instructions(*, coordinator: bool) -> list[str]:
    limits = {
        "projects": number_format(MAX_ROWS[PROJECTS], force_grouping=True),
        "count": number_format(MAX_ROWS[SHARES], force_grouping=True),
        "size": MAX_UPLOAD_BYTES // (1024 * 1024),
    }
    statuses = "; ".join(f"{value} ({label})" for value, label in ProjectStatus.choices)
    lines = [
        _("How to fill in the projects template"),
        "",
        _(
            "Three sheets: the projects, their budget shares and their planned activities. "
            "Fill each from row 3: row 1 holds the column headers and row 2 the HXL hashtags, "
            "which tell the portal what each column is. Keep row 2 as it is; you may reorder "
            "the columns or add your own, which are not read."
        ),
        _(
            "Give each project a reference of your choosing in the first column, such as P1, "
            "and name its project by that reference on each row of the other two sheets."
        ),
        _("Type values, not formulas: a cell holding a formula is refused."),
        _(
            "Every row is checked first. If any row has a problem, nothing is imported and "
            "every problem is listed with its sheet, row and column. Tick the box to only "
            "check the file first."
        ),
        _(
            "The projects are added as drafts: check them on their pages, then submit each "
            "for review."
        ),
        _(
            "The projects sheet may hold at most %(projects)s projects, the two others "
            "%(count)s rows each; the file may weigh %(size)s MB."
        )
        % limits,
        "",
        _("Projects"),
        _(
            "Organisation: the acronym or the name of the organisation whose project it is "
            "(the Lists sheet has them)."
        )
        if coordinator
        else _("Organisation: leave it empty; the projects are your organisation's."),
        _("Title (English) is required; the Arabic title is optional."),
        _("Response plan code: the humanitarian response plan's project code, if it has one."),
        _(
            "Implementing partners: the acronyms or names of partner organisations, "
            "separated by semicolons."
        ),
        _("Donors: as text, such as ECHO; CERF."),
        _("Start and end: days, such as 2026-01-01 and 2026-12-31."),
        _("Status: %(statuses)s.") % {"statuses": statuses},
        _("Budget required: in US dollars, a number such as 250000."),
        _(
            "Strategic objectives served: their codes, separated by semicolons (the Lists "
            "sheet has them)."
        ),
        "",
        _("Budget shares"),
        _(
            "One row per share: the project's reference, then either a strategic objective's "
            "code or an area's p-code (admin1 or admin2), and the share in per cent. The "
            "shares of each kind add up to at most 100 per cent, and to 100 before the "
            "project is submitted. A project without shares of a kind is not broken down "
            "that way."
        ),
        "",
        _("Planned activities"),
        _(
            "One row per activity, area and period: the project's reference, the activity's "
            "code, the area's p-code (admin1 or admin2, one of the project's areas or inside "
            "one when its budget is split by area), the first and last months within the "
            "project's dates (such as 2026-03), and the target in the activity's unit. Girls, "
            "boys, women and men are optional, for an activity that counts them."
        ),
    ]
    return lines


def _data_sheet(workbook, kind: str, *, first: bool):
    sheet = workbook.active if first else workbook.create_sheet(SHEET_TITLES[kind])
    if first:
        sheet.title = clean_sheet_title(SHEET_TITLES[kind])
    start_data_sheet(sheet, COLUMNS[kind])
    return sheet


def build_template(lists: Lists, *, coordinator: bool) -> tempfile.TemporaryFile:
    """The projects template, saved to a temporary file positioned at its start."""
    workbook = new_workbook()
    sheets = {kind: _data_sheet(workbook, kind, first=kind == PROJECTS) for kind in KINDS}

    # Each list as two columns of the Lists sheet: the codes offered, and their names.
    offered = [
        ("objectives", _("Strategic objective"), lists.objectives),
        ("areas", _("Area p-code"), lists.areas),
        ("activities", _("Activity code"), lists.activities),
        ("statuses", _("Status"), [(str(label), "") for label in ProjectStatus.labels]),
    ]
    if coordinator:
        offered.insert(0, ("organisations", _("Organisation"), lists.organisations))
    lists_sheet = workbook.create_sheet(LISTS_SHEET)
    header, columns = [], []
    for _name, title, pairs in offered:
        header += [title, _("Name")]
        columns += [[code for code, _label in pairs], [label for _code, label in pairs]]
    lists_sheet.append(header)
    for values in side_by_side(columns):
        lists_sheet.append(values)
    letters = {
        name: get_column_letter(index * 2 + 1) for index, (name, _t, _p) in enumerate(offered)
    }
    counts = {name: len(pairs) for name, _t, pairs in offered}
    rules = [
        (PROJECTS, "status", "statuses"),
        (SHARES, "objective", "objectives"),
        (SHARES, "area", "areas"),
        (PLANNED, "area", "areas"),
        (PLANNED, "activity", "activities"),
    ]
    if coordinator:
        rules.append((PROJECTS, "organisation", "organisations"))
    for kind, key, name in rules:
        rule = list_rule(letters[name], counts[name], column_header(kind, key))
        rule.add(data_cells(COLUMNS[kind], key, most=MAX_ROWS[kind]))
        sheets[kind].add_data_validation(rule)

    add_instructions(workbook, _instructions(coordinator=coordinator))
    return saved(workbook)


# --- reading a filled one ------------------------------------------------------------------------


@dataclass
class Sheet:
    kind: str
    title: str
    rows: list[SheetRow]


def read_workbook(upload) -> dict[str, Sheet]:
    """The data rows of each sheet of an uploaded projects template; the budget shares and
    the planned activities may be missing (none). A ``ValidationError`` says why when the
    file as a whole cannot be imported (no safe, readable workbook, not the template, too
    many rows)."""
    with open_workbook(upload, max_bytes=MAX_UPLOAD_BYTES, keep_formulas=True) as workbook:
        found: dict[str, tuple] = {}
        for worksheet in workbook.worksheets:
            tags = tag_row(upload, worksheet)
            for kind in KINDS:
                positions = column_positions(tags, COLUMNS[kind])
                if kind not in found and positions is not None:
                    found[kind] = (worksheet, positions)
                    break
        if PROJECTS not in found:
            tags = ", ".join(column.tag for column in PROJECT_COLUMNS)
            raise ValidationError(
                _(
                    "No sheet of this workbook has the row of HXL hashtags of the projects "
                    "template in its row 2 (%(tags)s). Download the template, fill it in and "
                    "keep its row 2."
                )
                % {"tags": tags},
                code="not_the_template",
            )
        return {
            kind: Sheet(
                kind,
                worksheet.title,
                data_rows(upload, worksheet, positions, most=MAX_ROWS[kind]),
            )
            for kind, (worksheet, positions) in found.items()
        }
