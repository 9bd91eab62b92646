"""The layout the portal's Excel templates share, and reading a filled one back by it.

A data sheet has a row of headers in the user's language, then a row of HXL hashtags, then
the data from row 3; a "Lists" sheet holds what the drop-down lists offer and an
"Instructions" sheet explains each column. Reading finds a sheet's columns by their
hashtags, whatever the headers' language or the columns' order, refuses a sheet declaring
more rows than it may hold before a row is read, and a value found below the last allowed
row at once; a cell holding a formula is reported, never calculated. The workbook is opened
by ``core.spreadsheets``. What each template holds (its columns, limits, instructions and the
messages that name its own things) is in its app: ``facilities.sheets``, ``projects.sheets``.
"""

import datetime
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.exports import unneutralise
from core.inputs import is_blank
from core.spreadsheets import sheet_rows

HEADER_ROW = 1
TAG_ROW = 2
FIRST_DATA_ROW = 3
LISTS_SHEET = "Lists"
# Columns of row 2 searched for the hashtags: the template's and a good many of one's own.
MAX_COLUMNS = 60
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


@dataclass(frozen=True)
class SheetColumn:
    key: str
    header: str  # lazy: in the language of the template
    tag: str
    width: int = 18
    read: bool = True  # a column to help fill the sheet in (a facility's name) is not read


@dataclass
class SheetRow:
    number: int  # as the spreadsheet shows it
    cells: dict[str, object]  # key -> value (None when empty)
    formulas: tuple[str, ...]  # keys of the cells holding a formula


def last_data_row(most: int) -> int:
    """The last row a sheet holding at most ``most`` rows of data may use."""
    return FIRST_DATA_ROW + most - 1


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


def start_data_sheet(sheet, columns: Sequence[SheetColumn]) -> None:
    """Write the headers and the hashtags of ``columns`` at the top of an empty sheet."""
    sheet.sheet_view.rightToLeft = translation.get_language_bidi()
    sheet.append([column.header for column in columns])
    sheet.append([column.tag for column in columns])
    for cell in (*sheet[HEADER_ROW], *sheet[TAG_ROW]):
        cell.font = Font(bold=cell.row == HEADER_ROW, italic=cell.row == TAG_ROW)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width


def side_by_side(lists: list[list]) -> Iterable[list]:
    """The rows that lay ``lists`` out as columns, the shorter ones ending in empty cells."""
    longest = max((len(values) for values in lists), default=0)
    for index in range(longest):
        yield [values[index] if index < len(values) else None for values in lists]


def list_rule(column: str, count: int, title: str) -> DataValidation:
    """A drop-down list of the ``count`` values in ``column`` of the Lists sheet."""
    # A warning, not a refusal: the list offers one spelling of what is read (codes, names,
    # the words of either language).
    return DataValidation(
        type="list",
        formula1=f"{LISTS_SHEET}!${column}$2:${column}${max(count, 1) + 1}",
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle=title[:32],
        error=_("Choose a value from the list, or write a code the instructions give."),
    )


def data_cells(columns: Sequence[SheetColumn], key: str, *, most: int) -> str:
    """The range of the data cells of the column ``key``, such as D3:D10002."""
    keys = [column.key for column in columns]
    letter = get_column_letter(keys.index(key) + 1)
    return f"{letter}{FIRST_DATA_ROW}:{letter}{last_data_row(most)}"


def add_instructions(workbook, lines: Iterable[str]) -> None:
    """The Instructions sheet: a title, then one line a row."""
    instructions = workbook.create_sheet(_("Instructions"))
    instructions.sheet_view.rightToLeft = translation.get_language_bidi()
    instructions.column_dimensions["A"].width = 120
    for line in lines:
        instructions.append([line])
    instructions["A1"].font = Font(bold=True, size=14)
    for (cell,) in instructions.iter_rows(min_row=2):
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def saved(workbook) -> tempfile.TemporaryFile:
    """The workbook saved to a temporary file positioned at its start."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    workbook.save(handle)
    handle.seek(0)
    return handle


# --- reading a filled one ------------------------------------------------------------------------


def column_positions(tags: Sequence, columns: Sequence[SheetColumn]) -> dict[str, int] | None:
    """Where each column read is, by its hashtag; None when a row of ``tags`` lacks one."""
    found: dict[str, int] = {}
    for index, tag in enumerate(tags):
        found.setdefault(normal_tag(tag), index)
    positions = {}
    for column in columns:
        if column.read:
            position = found.get(normal_tag(column.tag))
            if position is None:
                return None
            positions[column.key] = position
    return positions


def tag_row(upload, worksheet) -> tuple:
    """The row of hashtags of a sheet, as far as ``MAX_COLUMNS``."""
    rows = worksheet.iter_rows(
        min_row=TAG_ROW, max_row=TAG_ROW, max_col=MAX_COLUMNS, values_only=True
    )
    return next(sheet_rows(upload, rows), ())


def check_declared_size(worksheet, *, most: int) -> None:
    """Refuse a sheet declaring more rows than it may hold before one is read."""
    last = worksheet.max_row  # from the sheet's <dimension>; None when it has none
    end = last_data_row(most)
    if last is not None and last > end:
        raise ValidationError(
            _(
                "The sheet “%(sheet)s” uses rows down to row %(last)s; it may hold at most "
                "%(limit)s rows, from row %(first)s to row %(end)s. Split the file, or delete "
                "the rows below your data, even those that look empty."
            )
            % {
                "sheet": worksheet.title,
                "last": number_format(last, force_grouping=True),
                "limit": number_format(most, force_grouping=True),
                "first": FIRST_DATA_ROW,
                "end": number_format(end, force_grouping=True),
            },
            code="too_many_rows",
        )


def _too_many_rows(title: str, most: int) -> ValidationError:
    return ValidationError(
        _(
            "The sheet “%(sheet)s” holds more than %(limit)s rows; it was not imported. Split "
            "it into several files."
        )
        % {"sheet": title, "limit": number_format(most, force_grouping=True)},
        code="too_many_rows",
    )


def data_rows(upload, worksheet, positions: dict[str, int], *, most: int) -> list[SheetRow]:
    """The rows of data of a sheet holding at most ``most``, the cells of the columns at
    ``positions``; blank rows are left out. A ``ValidationError`` when the sheet declares
    more rows, or holds a value below its last allowed row."""
    check_declared_size(worksheet, most=most)
    end = last_data_row(most)
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
        if not formulas and all(is_blank(value) for value in values.values()):
            continue
        if number > end:
            raise _too_many_rows(worksheet.title, most)
        rows.append(SheetRow(number=number, cells=values, formulas=tuple(formulas)))
    return rows
