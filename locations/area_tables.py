"""Reading a table of one row per area, from a CSV file or a sheet of an XLSX workbook.

What the readers of such tables share: the COD-PS population table (``locations.population``)
and the needs overview's caseloads (``planning.caseload_file``). A CSV file is read a line
at a time, as the COD-AB table is (``locations.loader``): UTF-8, commas or semicolons. A
sheet's header is its first row that is not blank, and a row of HXL hashtags right under
the header is passed over, as are blank rows. Each reader keeps its own columns, limits and
messages, and what a problem of the file as a whole raises.
"""

import csv
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.inputs import csv_problem
from core.spreadsheets import sheet_rows
from locations import loader, uploads
from locations.population_columns import Column, cell_text

# Excel's own limit bounds the rows read, whatever size a sheet declares.
EXCEL_MAX_ROWS = 1_048_576


@dataclass(frozen=True)
class RowProblem:
    """One reason the file cannot be loaded; ``row`` is None for the file as a whole."""

    row: int | None
    pcode: str
    message: str
    sheet: str = ""
    sheet_index: int = 0

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if self.sheet:
            where = _("Sheet “%(sheet)s”, row %(row)s") % {"sheet": self.sheet, "row": self.row}
        else:
            where = _("Row %(row)s") % {"row": self.row}
        if self.pcode:
            where = _("%(where)s (%(pcode)s)") % {"where": where, "pcode": self.pcode}
        return _("%(where)s: %(problem)s") % {"where": where, "problem": self.message}


def is_workbook(data) -> bool:
    """Whether the file (bytes, or a file opened in binary) is an XLSX workbook, by its
    first bytes."""
    if isinstance(data, bytes | bytearray):
        return bytes(data[:4]) in uploads.ZIP_MAGIC
    return uploads.population_kind(data) == uploads.XLSX


def cell_at(cells: Sequence, column: Column | None):
    """The row's cell in ``column``; None when the row stops short of it."""
    if column is None or column.position >= len(cells):
        return None
    return cells[column.position]


def is_blank(cells: Sequence) -> bool:
    return not any(cell_text(cell) for cell in cells)


def is_hashtag_row(cells: Sequence) -> bool:
    """The HXL row HDX puts under the header: every cell filled is a hashtag."""
    texts = [cell_text(cell) for cell in cells if cell_text(cell)]
    return bool(texts) and all(text.startswith("#") for text in texts)


def body_rows(rows: Iterable[tuple[int, Sequence]]) -> Iterator[tuple[int, Sequence]]:
    """The numbered rows under a header, without the blank ones and the HXL row right
    under it."""
    first = True
    for number, cells in rows:
        if is_blank(cells):
            continue
        if first:
            first = False
            if is_hashtag_row(cells):
                continue
        yield number, cells


# --- CSV ----------------------------------------------------------------------------------


def csv_table(data, refuse: Callable[[str], ValidationError]):
    """The CSV reader of the file, and its header line; ``refuse`` makes the error raised
    when the file is empty or its header cannot be read."""
    lines = loader.text_lines(data)
    opening = loader.opening_lines(lines)
    if not opening:
        raise refuse(_("The file is empty."))
    reader = csv.reader(
        chain(opening, lines), delimiter=loader.sniff_delimiter(opening[-1]), strict=True
    )
    try:
        header = next(reader)
    except csv.Error as error:
        raise refuse(
            _("The header line cannot be read as CSV (%(error)s).") % {"error": csv_problem(error)}
        ) from error
    return reader, header


def csv_rows(reader, problems: list[RowProblem]) -> Iterator[tuple[int, list[str]]]:
    """The reader's rows with their line numbers, up to the first that is not CSV, whose
    problem is added to ``problems``."""
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            problems.append(
                RowProblem(
                    line,
                    "",
                    _("This line cannot be read as CSV (%(error)s).")
                    % {"error": csv_problem(error)},
                )
            )
            return
        yield line, cells


# --- XLSX ---------------------------------------------------------------------------------


def sheet_table(upload, sheet) -> tuple[Sequence | None, Iterator[tuple[int, Sequence]]]:
    """A sheet's header (None when the sheet is blank) and its numbered rows below it."""
    # The size a sheet declares may be wrong; Excel's own limit bounds the rows read.
    sheet.reset_dimensions()
    rows = enumerate(sheet_rows(upload, sheet.iter_rows(max_row=EXCEL_MAX_ROWS, values_only=True)))
    numbered = ((number + 1, cells) for number, cells in rows)
    header = next((cells for _number, cells in numbered if not is_blank(cells)), None)
    return header, numbered
