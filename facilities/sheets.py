"""The Excel templates of the facility registry, and reading a filled one back.

Two templates, one sheet of data each: the facilities (coordinators add and change them) and
their statuses (partners record those of the facilities they support, coordinators any).
Each data sheet has a row of headers in the user's language, then a row of HXL hashtags,
then the data from row 3. A hidden "Lists" sheet holds what the drop-down lists offer (in
the language of the template; codes and the words of either language are read as well) and
an "Instructions" sheet explains each column. Every cell is written through
``core.exports.new_workbook``, so a name that looks like a formula is written as text (with
a leading quote), which ``cell_text`` takes off again.

Reading finds the data sheet by its row of HXL hashtags, whatever the sheet is called and
in whatever language its headers are, and each column by its hashtag (so a column added to
help fill the sheet is left alone). The workbook is opened by ``core.spreadsheets`` (size,
zip bomb and macro checks, defusedxml, read-only); a formula is never calculated, and a cell
holding one is reported with its row, so that only values typed are imported. At most
``MAX_ROWS`` rows, rows 3 to ``LAST_DATA_ROW``: a sheet declaring more is refused before a
row is read, and a value found below is refused at once.
"""

import datetime
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.exports import XLSX_CONTENT_TYPE, clean_sheet_title, new_workbook, unneutralise
from core.spreadsheets import open_workbook, sheet_rows
from facilities import selectors
from facilities.models import Accessibility, BuildingCondition, Cause, Functionality, Ownership
from facilities.services import MAX_BEDS
from partners.access import is_coordinator

MAX_ROWS = 10_000
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
HEADER_ROW = 1
TAG_ROW = 2
FIRST_DATA_ROW = 3
LAST_DATA_ROW = FIRST_DATA_ROW + MAX_ROWS - 1
LISTS_SHEET = "Lists"
# Columns of row 2 searched for the hashtags: the template's and a good many of one's own.
MAX_COLUMNS = 60
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
CONTENT_TYPE = XLSX_CONTENT_TYPE

FACILITIES = "facilities"
STATUSES = "statuses"


@dataclass(frozen=True)
class SheetColumn:
    key: str
    header: str  # lazy: in the language of the template
    tag: str
    width: int = 18
    read: bool = True  # a column to help fill the sheet in (a facility's name) is not read


FACILITY_COLUMNS = (
    SheetColumn("code", gettext_lazy("Code"), "#loc+code", 16),
    SheetColumn("name_en", gettext_lazy("Name (English)"), "#loc+name+i_en", 34),
    SheetColumn("name_ar", gettext_lazy("Name (Arabic)"), "#loc+name+i_ar", 34),
    SheetColumn("type", gettext_lazy("Type"), "#loc+type", 30),
    SheetColumn("ownership", gettext_lazy("Ownership"), "#loc+ownership", 14),
    SheetColumn("area", gettext_lazy("Admin area p-code"), "#loc+area+code", 18),
    SheetColumn("longitude", gettext_lazy("Longitude"), "#geo+lon", 14),
    SheetColumn("latitude", gettext_lazy("Latitude"), "#geo+lat", 14),
    SheetColumn("domains", gettext_lazy("Services offered (health domains)"), "#subsector", 40),
)
STATUS_COLUMNS = (
    SheetColumn("code", gettext_lazy("Facility code"), "#loc+code", 16),
    SheetColumn("name", gettext_lazy("Facility name"), "#loc+name", 34, read=False),
    SheetColumn("as_of", gettext_lazy("Status on"), "#date", 14),
    SheetColumn("functionality", gettext_lazy("Functionality"), "#status", 24),
    SheetColumn("building", gettext_lazy("Building condition"), "#status+building", 22),
    SheetColumn("accessibility", gettext_lazy("Accessibility"), "#status+access", 22),
    SheetColumn("causes", gettext_lazy("Causes"), "#status+causes", 34),
    SheetColumn("beds", gettext_lazy("Beds"), "#capacity+beds", 10),
    SheetColumn("source", gettext_lazy("Source"), "#meta+source", 34),
    SheetColumn("organisation", gettext_lazy("Reported by (organisation)"), "#org+acronym", 22),
)
COLUMNS = {FACILITIES: FACILITY_COLUMNS, STATUSES: STATUS_COLUMNS}
SHEET_TITLES = {
    FACILITIES: gettext_lazy("Facilities"),
    STATUSES: gettext_lazy("Statuses"),
}


def column_header(kind: str, key: str) -> str:
    return str(next(column.header for column in COLUMNS[kind] if column.key == key))


def template_filename(kind: str) -> str:
    return f"health-facility-{kind}.xlsx"


def normal_tag(tag: object) -> str:
    """An HXL hashtag as compared: lower case, its attributes in any order."""
    parts = str(tag or "").strip().lower().replace(" ", "").split("+")
    return "+".join([parts[0], *sorted(part for part in parts[1:] if part)])


def cell_text(value: object) -> str:
    """A cell as text, without the quote the template put before text that looks like a
    formula; a whole number written by a spreadsheet as 12.0 reads 12."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        value = value.date()
    return unneutralise(str(value)).strip()


# --- the templates -------------------------------------------------------------------------------


def _labels(choices) -> list[str]:
    return [str(label) for label in choices.labels]


def _choices_line(name: str, choices) -> str:
    listed = "; ".join(f"{value} ({label})" for value, label in choices.choices)
    return _("%(name)s: %(choices)s.") % {"name": name, "choices": listed}


def _common_lines() -> list[str]:
    return [
        _(
            "Fill in the first sheet from row 3: row 1 holds the column headers and row 2 the "
            "HXL hashtags, which tell the portal what each column is. Keep row 2 as it is; "
            "you may reorder the columns or add your own, which are not read."
        ),
        _(
            "Where a cell offers a list, choose from it, or write the code or the words in "
            "English or Arabic."
        ),
        _("Type values, not formulas: a cell holding a formula is refused."),
        _(
            "Every row is checked first. If any row has a problem, nothing is imported and "
            "every problem is listed with its sheet and row. Tick the box to only check the "
            "file first."
        ),
        _("A sheet may hold at most %(count)s rows (rows 3 to %(last)s) and weigh %(size)s MB.")
        % {
            "count": number_format(MAX_ROWS, force_grouping=True),
            "last": number_format(LAST_DATA_ROW, force_grouping=True),
            "size": MAX_UPLOAD_BYTES // (1024 * 1024),
        },
    ]


def _facility_lines(lists: dict[str, list[str]], *, truncated: bool) -> list[str]:
    lines = [
        _("How to fill in the facilities template"),
        "",
        *_common_lines(),
        "",
        _(
            "Code: the facility's HeRAMS or Ministry of Health code. A row with the code of a "
            "facility of the registry changes that facility; a row with a new code adds a "
            "facility with it; a row without a code adds a facility, to which the portal "
            "gives a code such as HF-00042."
        ),
        _(
            "A row gives the whole facility, as its form does: an empty cell empties the "
            "value (the coordinates, the Arabic name, the services)."
        ),
        _("Name (English) is required; the Arabic name is optional."),
        _("Type: %(types)s.") % {"types": "; ".join(lists["types"])},
        _choices_line(_("Ownership"), Ownership),
        _(
            "Admin area p-code: the area the facility is in. With coordinates and the "
            "boundaries loaded, the area is found from them (the p-code may then be left "
            "empty, or name a finer area inside that one)."
        ),
        _(
            "Longitude and latitude: in decimal degrees, east and north positive, such as "
            "35.204 and 31.768; both or neither."
        ),
        _("Services offered: the codes of the health domains, separated by commas: %(domains)s.")
        % {"domains": ", ".join(lists["domains"])},
    ]
    if truncated:
        lines.append(
            _(
                "The registry holds more facilities than a sheet can: the template lists none. "
                "Export the registry to see them."
            )
        )
    return lines


def _status_lines(*, member: bool) -> list[str]:
    lines = [
        _("How to fill in the statuses template"),
        "",
        *_common_lines(),
        "",
        _(
            "One row per status: the facility's code, the day it was in this state (not after "
            "today, such as 2026-11-30), the three dimensions, the causes, the beds and the "
            "source. Rows with only the facility's code and name are left out."
        ),
        _choices_line(_("Functionality"), Functionality),
        _choices_line(_("Building condition"), BuildingCondition),
        _choices_line(_("Accessibility"), Accessibility),
        _(
            "Causes: why the facility is not fully functioning, as codes or words separated "
            "by commas; none when it is fully functioning."
        ),
        _choices_line(_("Causes"), Cause),
        _("Beds: functioning inpatient beds, a whole number from 0 to %(limit)s, or empty.")
        % {"limit": number_format(MAX_BEDS, force_grouping=True)},
        _("Source: where the status comes from: a visit, a call, a report."),
        _(
            "Each status waits for the coordinators' review before it counts, as one recorded "
            "on its form."
        ),
    ]
    if member:
        lines.append(
            _(
                "Reported by: leave it empty; the statuses are your organisation's. The sheet "
                "lists the facilities your organisation supports, which must have been "
                "supported on each status's day."
            )
        )
    else:
        lines.append(
            _(
                "Reported by: the acronym or name of the partner whose status it is, which must "
                "support the facility on that day; empty for the cluster's own."
            )
        )
    return lines


def _list_rule(column: str, count: int, title: str) -> DataValidation:
    # A warning, not a refusal: codes and the words of the other language are read too.
    return DataValidation(
        type="list",
        formula1=f"{LISTS_SHEET}!${column}$2:${column}${max(count, 1) + 1}",
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle=title[:32],
        error=_("Choose a value from the list, or write a code the instructions give."),
    )


def _number_rule(kind: str, low, high, title: str, message: str) -> DataValidation:
    return DataValidation(
        type=kind,
        operator="between",
        formula1=str(low),
        formula2=str(high),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=title[:32],
        error=message,
    )


def _cells(kind: str, key: str) -> str:
    keys = [column.key for column in COLUMNS[kind]]
    letter = get_column_letter(keys.index(key) + 1)
    return f"{letter}{FIRST_DATA_ROW}:{letter}{LAST_DATA_ROW}"


def _rules(kind: str, lists: dict[str, list[str]], letters: dict[str, str]) -> list:
    """The data validation of each column of the data sheet."""
    rules = []
    for key, values in lists.items():
        rule = _list_rule(letters[key], len(values), column_header(kind, key))
        rule.add(_cells(kind, key))
        rules.append(rule)
    if kind == FACILITIES:
        for key, limit in (("longitude", 180), ("latitude", 90)):
            rule = _number_rule(
                "decimal",
                -limit,
                limit,
                column_header(kind, key),
                _("In decimal degrees, from -%(limit)s to %(limit)s.") % {"limit": limit},
            )
            rule.add(_cells(kind, key))
            rules.append(rule)
    else:
        rule = _number_rule(
            "whole",
            0,
            MAX_BEDS,
            column_header(kind, "beds"),
            _("A whole number from 0 to %(limit)s.") % {"limit": MAX_BEDS},
        )
        rule.add(_cells(kind, "beds"))
        causes = DataValidation(
            allow_blank=True,
            showInputMessage=True,
            promptTitle=column_header(kind, "causes")[:32],
            prompt=", ".join(Cause.values)[:255],
        )
        causes.add(_cells(kind, "causes"))
        rules += [rule, causes]
    return rules


def build_template(
    kind: str,
    *,
    rows: Iterable[Sequence],
    lists: dict[str, list[str]],
    member: bool = False,
    truncated=False,
) -> tempfile.TemporaryFile:
    """The template of ``kind``, with ``rows`` (values in the order of its columns) already
    filled in, saved to a temporary file positioned at its start."""
    columns = COLUMNS[kind]
    workbook = new_workbook()
    rtl = translation.get_language_bidi()
    sheet = workbook.active
    sheet.title = clean_sheet_title(SHEET_TITLES[kind])
    sheet.sheet_view.rightToLeft = rtl
    sheet.append([column.header for column in columns])
    sheet.append([column.tag for column in columns])
    for cell in (*sheet[HEADER_ROW], *sheet[TAG_ROW]):
        cell.font = Font(bold=cell.row == HEADER_ROW, italic=cell.row == TAG_ROW)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    for row in rows:
        sheet.append(row)

    if kind == FACILITIES:
        offered = {
            "type": lists["types"],
            "ownership": _labels(Ownership),
            "area": lists["areas"],
        }
    else:
        offered = {
            "functionality": _labels(Functionality),
            "building": _labels(BuildingCondition),
            "accessibility": _labels(Accessibility),
        }
        if not member:
            offered["organisation"] = lists["organisations"]
    lists_sheet = workbook.create_sheet(LISTS_SHEET)
    lists_sheet.sheet_state = "hidden"
    lists_sheet.append([column_header(kind, key) for key in offered])
    for values in _side_by_side(list(offered.values())):
        lists_sheet.append(values)
    letters = {key: get_column_letter(index) for index, key in enumerate(offered, start=1)}
    for rule in _rules(kind, offered, letters):
        sheet.add_data_validation(rule)

    instructions = workbook.create_sheet(_("Instructions"))
    instructions.sheet_view.rightToLeft = rtl
    instructions.column_dimensions["A"].width = 120
    lines = (
        _facility_lines(lists, truncated=truncated)
        if kind == FACILITIES
        else _status_lines(member=member)
    )
    for line in lines:
        instructions.append([line])
    instructions["A1"].font = Font(bold=True, size=14)
    for (cell,) in instructions.iter_rows(min_row=2):
        cell.alignment = Alignment(wrap_text=True, vertical="top")

    handle = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    workbook.save(handle)
    handle.seek(0)
    return handle


def _side_by_side(lists: list[list[str]]) -> Iterable[list]:
    longest = max((len(values) for values in lists), default=0)
    for index in range(longest):
        yield [values[index] if index < len(values) else None for values in lists]


def facilities_template() -> tempfile.TemporaryFile:
    """The facilities template, filled with the registry when a sheet can hold it."""
    facilities = selectors.template_facilities(limit=MAX_ROWS)
    ownership = dict(Ownership.choices)
    rows = [
        [
            facility.code,
            facility.name_en,
            facility.name_ar,
            facility.type.name,
            ownership.get(facility.ownership, facility.ownership),
            facility.area.pcode,
            facility.longitude,
            facility.latitude,
            ", ".join(domain.code for domain in facility.domains.all()),
        ]
        for facility in facilities or []
    ]
    return build_template(
        FACILITIES, rows=rows, lists=selectors.template_lists(), truncated=facilities is None
    )


def statuses_template(user) -> tempfile.TemporaryFile:
    """The statuses template, listing the facilities whose status the user may record."""
    facilities = selectors.template_status_facilities(user, limit=MAX_ROWS) or []
    return build_template(
        STATUSES,
        rows=[[facility.code, facility.name] for facility in facilities],
        lists=selectors.template_lists(),
        member=not is_coordinator(user),
    )


# --- reading a filled one ------------------------------------------------------------------------


@dataclass
class SheetRow:
    number: int  # as the spreadsheet shows it
    cells: dict[str, object]  # key -> value (None when empty)
    formulas: tuple[str, ...]  # keys of the cells holding a formula


@dataclass
class Sheet:
    title: str
    rows: list[SheetRow]


def _positions(tags: Sequence, kind: str) -> dict[str, int] | None:
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


def _find_sheet(upload, workbook, kind: str) -> tuple[object, dict[str, int]]:
    other = STATUSES if kind == FACILITIES else FACILITIES
    tags = [_tag_row(upload, worksheet) for worksheet in workbook.worksheets]
    for worksheet, row in zip(workbook.worksheets, tags, strict=True):
        positions = _positions(row, kind)
        if positions is not None:
            return worksheet, positions
    if any(_positions(row, other) is not None for row in tags):
        if kind == FACILITIES:
            message = _(
                "This is the template of facility statuses, not of facilities: upload it on "
                "the page that imports statuses."
            )
        else:
            message = _(
                "This is the template of facilities, not of their statuses: upload it on the "
                "page that imports facilities."
            )
        raise ValidationError(message, code="other_template")
    tags = {"tags": ", ".join(column.tag for column in COLUMNS[kind] if column.read)}
    if kind == FACILITIES:
        message = _(
            "No sheet of this workbook has the row of HXL hashtags of the facilities template "
            "in its row 2 (%(tags)s). Download the template, fill it in and keep its row 2."
        )
    else:
        message = _(
            "No sheet of this workbook has the row of HXL hashtags of the statuses template "
            "in its row 2 (%(tags)s). Download the template, fill it in and keep its row 2."
        )
    raise ValidationError(message % tags, code="not_the_template")


def _check_declared_size(worksheet) -> None:
    """Refuse a sheet declaring more rows than it may hold before one is read."""
    last = worksheet.max_row  # from the sheet's <dimension>; None when it has none
    if last is not None and last > LAST_DATA_ROW:
        raise ValidationError(
            _(
                "The sheet “%(sheet)s” uses rows down to row %(last)s; it may hold at most "
                "%(limit)s rows, from row %(first)s to row %(end)s. Split the file, or delete "
                "the rows below your data, even those that look empty."
            )
            % {
                "sheet": worksheet.title,
                "last": number_format(last, force_grouping=True),
                "limit": number_format(MAX_ROWS, force_grouping=True),
                "first": FIRST_DATA_ROW,
                "end": number_format(LAST_DATA_ROW, force_grouping=True),
            },
            code="too_many_rows",
        )


def _too_many_rows(title: str) -> ValidationError:
    return ValidationError(
        _(
            "The sheet “%(sheet)s” holds more than %(limit)s rows; it was not imported. Split "
            "it into several files."
        )
        % {"sheet": title, "limit": number_format(MAX_ROWS, force_grouping=True)},
        code="too_many_rows",
    )


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_sheet(upload, kind: str) -> Sheet:
    """The data rows of an uploaded template of ``kind``; a ``ValidationError`` saying why
    when the file as a whole cannot be imported (no safe, readable workbook, not the
    template, too many rows)."""
    with open_workbook(upload, max_bytes=MAX_UPLOAD_BYTES, keep_formulas=True) as workbook:
        worksheet, positions = _find_sheet(upload, workbook, kind)
        _check_declared_size(worksheet)
        width = max(positions.values()) + 1
        # Never past the row after the last allowed, whatever the sheet says of its size.
        cells_of = worksheet.iter_rows(
            min_row=FIRST_DATA_ROW, max_row=LAST_DATA_ROW + 1, max_col=width
        )
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
            if number > LAST_DATA_ROW:
                raise _too_many_rows(worksheet.title)
            rows.append(SheetRow(number=number, cells=values, formulas=tuple(formulas)))
        return Sheet(title=worksheet.title, rows=rows)
