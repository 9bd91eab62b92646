"""The Excel template of projects, and reading a filled one back.

One workbook, three sheets of data: the projects (one row each, with a reference of the
user's choosing), their budget shares and their planned activities (each row naming its
project by that reference). Each data sheet has a row of headers in the user's language,
then a row of HXL hashtags, then the data from row 3. A "Lists" sheet holds what the
drop-down lists offer, with the names beside the codes; an "Instructions" sheet explains
each column. Every cell is written through ``core.exports.new_workbook``, so text that
looks like a formula is written as text, which ``cell_text`` reads back.

Reading finds each sheet by its row of HXL hashtags, whatever it is called, and each column
by its hashtag, as the facilities' templates do (``facilities.sheets``, whose tag and cell
readers are used here). The workbook is opened by ``core.spreadsheets`` (size, zip bomb and
macro checks, defusedxml, read-only); a formula is never calculated, and a cell holding one
is reported. At most ``MAX_ROWS`` rows a sheet (fewer projects, each written with its
history, than shares and planned activities): a sheet declaring more is refused before a
row is read, and a value found below is refused at once.
"""

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.exports import XLSX_CONTENT_TYPE, clean_sheet_title, new_workbook
from core.spreadsheets import open_workbook, sheet_rows
from facilities.sheets import SheetRow, normal_tag
from projects.models import ProjectStatus

PROJECTS = "projects"
SHARES = "shares"
PLANNED = "planned"
# A project is written with its history in some thirty statements (about 20 ms): 300 take
# some seven seconds, well within a request; shares and planned activities go in bulk.
MAX_ROWS = {PROJECTS: 300, SHARES: 2000, PLANNED: 2000}
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
HEADER_ROW = 1
TAG_ROW = 2
FIRST_DATA_ROW = 3
LAST_DATA_ROW = {kind: FIRST_DATA_ROW + most - 1 for kind, most in MAX_ROWS.items()}
MAX_COLUMNS = 60
LISTS_SHEET = "Lists"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
CONTENT_TYPE = XLSX_CONTENT_TYPE
FILENAME = "projects.xlsx"

KINDS = (PROJECTS, SHARES, PLANNED)
REFERENCE_TAG = "#activity+project+id"


@dataclass(frozen=True)
class SheetColumn:
    key: str
    header: str  # lazy: in the language of the template
    tag: str
    width: int = 18
    read: bool = True  # a column to help fill the sheet in is not read


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


def _list_rule(column: str, count: int, title: str) -> DataValidation:
    # A warning, not a refusal: names are read as well as codes.
    return DataValidation(
        type="list",
        formula1=f"{LISTS_SHEET}!${column}$2:${column}${max(count, 1) + 1}",
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle=title[:32],
        error=_("Choose a value from the list, or write a code the instructions give."),
    )


def _cells(kind: str, key: str) -> str:
    keys = [column.key for column in COLUMNS[kind]]
    letter = get_column_letter(keys.index(key) + 1)
    return f"{letter}{FIRST_DATA_ROW}:{letter}{LAST_DATA_ROW[kind]}"


def _data_sheet(workbook, kind: str, *, first: bool):
    sheet = workbook.active if first else workbook.create_sheet(SHEET_TITLES[kind])
    if first:
        sheet.title = clean_sheet_title(SHEET_TITLES[kind])
    sheet.sheet_view.rightToLeft = translation.get_language_bidi()
    columns = COLUMNS[kind]
    sheet.append([column.header for column in columns])
    sheet.append([column.tag for column in columns])
    for cell in (*sheet[HEADER_ROW], *sheet[TAG_ROW]):
        cell.font = Font(bold=cell.row == HEADER_ROW, italic=cell.row == TAG_ROW)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    return sheet


def _side_by_side(lists: list[list]) -> Iterable[list]:
    longest = max((len(values) for values in lists), default=0)
    for index in range(longest):
        yield [values[index] if index < len(values) else None for values in lists]


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
    for values in _side_by_side(columns):
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
        rule = _list_rule(letters[name], counts[name], column_header(kind, key))
        rule.add(_cells(kind, key))
        sheets[kind].add_data_validation(rule)

    instructions = workbook.create_sheet(_("Instructions"))
    instructions.sheet_view.rightToLeft = translation.get_language_bidi()
    instructions.column_dimensions["A"].width = 120
    for line in _instructions(coordinator=coordinator):
        instructions.append([line])
    instructions["A1"].font = Font(bold=True, size=14)
    for (cell,) in instructions.iter_rows(min_row=2):
        cell.alignment = Alignment(wrap_text=True, vertical="top")

    handle = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    workbook.save(handle)
    handle.seek(0)
    return handle


# --- reading a filled one ------------------------------------------------------------------------


@dataclass
class Sheet:
    kind: str
    title: str
    rows: list[SheetRow]


def _positions(tags, kind: str) -> dict[str, int] | None:
    """Where each column read is, by its hashtag; None when the row is not the kind's."""
    found: dict[str, int] = {}
    for index, tag in enumerate(tags):
        found.setdefault(normal_tag(tag), index)
    positions = {}
    for column in COLUMNS[kind]:
        if column.read:
            position = found.get(normal_tag(column.tag))
            if position is None:
                return None
            positions[column.key] = position
    return positions


def _tag_row(upload, worksheet) -> tuple:
    rows = worksheet.iter_rows(
        min_row=TAG_ROW, max_row=TAG_ROW, max_col=MAX_COLUMNS, values_only=True
    )
    return next(sheet_rows(upload, rows), ())


def _check_declared_size(worksheet, kind: str) -> None:
    last = worksheet.max_row  # from the sheet's <dimension>; None when it has none
    if last is not None and last > LAST_DATA_ROW[kind]:
        raise ValidationError(
            _(
                "The sheet “%(sheet)s” uses rows down to row %(last)s; it may hold at most "
                "%(limit)s rows, from row %(first)s to row %(end)s. Split the file, or delete "
                "the rows below your data, even those that look empty."
            )
            % {
                "sheet": worksheet.title,
                "last": number_format(last, force_grouping=True),
                "limit": number_format(MAX_ROWS[kind], force_grouping=True),
                "first": FIRST_DATA_ROW,
                "end": number_format(LAST_DATA_ROW[kind], force_grouping=True),
            },
            code="too_many_rows",
        )


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _rows(upload, worksheet, positions: dict[str, int], kind: str) -> list[SheetRow]:
    _check_declared_size(worksheet, kind)
    end = LAST_DATA_ROW[kind]
    width = max(positions.values()) + 1
    # Never past the row after the last allowed, whatever the sheet says of its size.
    cells_of = worksheet.iter_rows(min_row=FIRST_DATA_ROW, max_row=end + 1, max_col=width)
    rows: list[SheetRow] = []
    for number, cells in enumerate(sheet_rows(upload, cells_of), start=FIRST_DATA_ROW):
        values, formulas = {}, []
        for key, position in positions.items():
            cell = cells[position] if position < len(cells) else None
            if cell is not None and getattr(cell, "data_type", None) == "f":
                formulas.append(key)
                values[key] = None
            else:
                values[key] = getattr(cell, "value", None)
        if not formulas and all(_blank(value) for value in values.values()):
            continue
        if number > end:
            raise ValidationError(
                _(
                    "The sheet “%(sheet)s” holds more than %(limit)s rows; it was not "
                    "imported. Split it into several files."
                )
                % {
                    "sheet": worksheet.title,
                    "limit": number_format(MAX_ROWS[kind], force_grouping=True),
                },
                code="too_many_rows",
            )
        rows.append(SheetRow(number=number, cells=values, formulas=tuple(formulas)))
    return rows


def read_workbook(upload) -> dict[str, Sheet]:
    """The data rows of each sheet of an uploaded projects template; the budget shares and
    the planned activities may be missing (none). A ``ValidationError`` says why when the
    file as a whole cannot be imported (no safe, readable workbook, not the template, too
    many rows)."""
    with open_workbook(upload, max_bytes=MAX_UPLOAD_BYTES, keep_formulas=True) as workbook:
        found: dict[str, tuple] = {}
        for worksheet in workbook.worksheets:
            tags = _tag_row(upload, worksheet)
            for kind in KINDS:
                positions = _positions(tags, kind)
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
            kind: Sheet(kind, worksheet.title, _rows(upload, worksheet, positions, kind))
            for kind, (worksheet, positions) in found.items()
        }
