"""Every spreadsheet and CSV file the portal writes: exports and the writers behind them.

An export is a list of ``Column`` (a header label, an HXL tag and a way to read the
value from a row) applied to an iterable of rows, typically a queryset ``iterator()``.
CSV streams: rows are written as the client reads them, so a large export never sits
in memory. XLSX is written by openpyxl's write-only mode to a temporary file on disk
and sent from there. Either way the rows are read inside one transaction: a queryset's
``iterator()`` is a server-side cursor, which outside a transaction is declared WITH HOLD
and read by later statements, and behind PgBouncer in transaction mode each statement may
go to another server connection, where the cursor does not exist.

Every cell of every file goes through ``neutralise``, so a value typed by a partner such
as ``=HYPERLINK(...)`` is shown as text by Excel or LibreOffice, never run as a formula.
This module is the one place that writes cells: other modules make their workbooks with
``new_workbook`` and their CSV with ``csv_writer``, whose rows and cells are neutralised
(``tests/core/test_exports.py`` refuses a module that writes with openpyxl or ``csv``
directly). Readers of the portal's own templates undo it with ``unneutralise``.
"""

import csv
import datetime
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter
from typing import Any

import openpyxl
from django.db import transaction
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Excel reads a CSV as UTF-8 (and so shows Arabic) only when the file starts with a BOM.
BOM = "\ufeff"

# What makes a spreadsheet read a cell as a formula, including the full-width forms
# some spreadsheets also accept. Tab and carriage return start a formula in some
# importers even before the sign, so they are neutralised as they stand.
FORMULA_SIGNS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
FORMULA_CONTROL = frozenset("\t\r")

# Rows are sent in chunks of about this many characters: small enough to start the
# download at once on a slow link, large enough not to cost a write per row.
CSV_CHUNK_SIZE = 16 * 1024

# Characters Excel does not allow in a sheet's name.
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_TITLE_MAX = 31


@dataclass(frozen=True)
class Column:
    """One column of an export.

    ``value`` is a function of the row, or a dotted attribute path (``"area.pcode"``).
    ``hxl`` is the Humanitarian Exchange Language hashtag for the HXL variant
    (``"#adm1+code"``); a column without one gets an empty cell in the tag row.
    """

    header: str
    hxl: str
    value: Callable[[Any], Any] | str

    def read(self, row: Any) -> Any:
        if callable(self.value):
            return self.value(row)
        try:
            return attrgetter(self.value)(row)
        except AttributeError:
            # A missing link on the way (``area.parent`` of a country) is an empty cell.
            return None


def neutralise(value: Any) -> Any:
    """A cell value that no spreadsheet will run as a formula.

    Text that begins with ``=``, ``+``, ``-`` or ``@`` (also after leading spaces),
    or with a tab or a carriage return, gets a leading single quote. Numbers, dates
    and empty cells are returned unchanged.
    """
    if not isinstance(value, str) or not value:
        return value
    if value[0] in FORMULA_CONTROL or value.lstrip()[:1] in FORMULA_SIGNS:
        return "'" + value
    return value


def unneutralise(value: Any) -> Any:
    """The text ``neutralise`` was given, for a cell read back from the portal's own template.

    Only the quote ``neutralise`` adds is taken off: a quote before text no spreadsheet
    would run stays. (Excel keeps a quote typed at the start of a cell as a format, not as
    part of the value, so such a quote comes from the portal.)
    """
    if isinstance(value, str) and value.startswith("'") and neutralise(value[1:]) == value:
        return value[1:]
    return value


def _plain(value: Any) -> Any:
    """The value as a spreadsheet cell holds it: numbers, dates, text or nothing."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, datetime.datetime):
        # Spreadsheets know no time zones: show the time as the cluster reads it.
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, datetime.date):
        return value
    # Lazy translations, bilingual text and choices become plain strings.
    return neutralise(str(value))


def _headers(columns: Sequence[Column]) -> list[str]:
    return [str(column.header) for column in columns]


def _tags(columns: Sequence[Column]) -> list[str]:
    return [column.hxl for column in columns]


def clean_sheet_title(title: str) -> str:
    """A sheet name Excel accepts: without its forbidden characters, 31 at most."""
    cleaned = SHEET_TITLE_FORBIDDEN.sub(" ", str(title)).strip().strip("'")
    cleaned = ILLEGAL_CHARACTERS_RE.sub("", cleaned)
    return cleaned[:SHEET_TITLE_MAX] or "Sheet1"


def csv_value(value: Any) -> Any:
    """A value as a CSV cell holds it, neutralised; empty for None."""
    value = _plain(value)
    return "" if value is None else value


def spreadsheet_value(value: Any) -> Any:
    """A value as a workbook cell holds it: neutralised, without the control characters
    that make a file unreadable to Excel."""
    value = _plain(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


class NeutralisedCsvWriter:
    """``csv.writer`` whose every cell goes through ``csv_value``."""

    def __init__(self, file: Any) -> None:
        self._writer = csv.writer(file)

    def writerow(self, values: Iterable[Any]) -> Any:
        return self._writer.writerow([csv_value(value) for value in values])


def csv_writer(file: Any) -> NeutralisedCsvWriter:
    """The writer of every CSV file the portal makes."""
    return NeutralisedCsvWriter(file)


def _sheet_cell(value: Any) -> Any:
    if isinstance(value, Cell):  # a styled cell of a write-only sheet
        value.value = spreadsheet_value(value.value)
        return value
    return spreadsheet_value(value)


class NeutralisedSheet:
    """An openpyxl worksheet whose values all go through ``spreadsheet_value``.

    ``append``, ``cell`` and ``sheet["A1"] = value`` neutralise; everything else (styles,
    widths, data validation, reading cells back to style them) reaches the worksheet itself.
    """

    def __init__(self, worksheet: Any) -> None:
        object.__setattr__(self, "_worksheet", worksheet)

    def append(self, values: Iterable[Any]) -> None:
        self._worksheet.append([_sheet_cell(value) for value in values])

    def cell(self, row: int, column: int, value: Any = None) -> Cell:
        cell = self._worksheet.cell(row=row, column=column)
        if value is not None:
            cell.value = spreadsheet_value(value)
        return cell

    def new_cell(self, value: Any) -> Cell:
        """A cell to style and append to a write-only sheet."""
        return WriteOnlyCell(self._worksheet, value=spreadsheet_value(value))

    def __setitem__(self, key: str, value: Any) -> None:
        self._worksheet[key] = spreadsheet_value(value)

    def __getitem__(self, key: Any) -> Any:
        return self._worksheet[key]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._worksheet, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._worksheet, name, value)


class NeutralisedWorkbook:
    """An openpyxl workbook whose sheets are ``NeutralisedSheet``; ``save``, ``move_sheet``
    and the rest are the workbook's own."""

    def __init__(self, *, write_only: bool = False) -> None:
        object.__setattr__(self, "_workbook", openpyxl.Workbook(write_only=write_only))

    @property
    def active(self) -> NeutralisedSheet | None:
        worksheet = self._workbook.active
        return None if worksheet is None else NeutralisedSheet(worksheet)

    def create_sheet(self, title: str, index: int | None = None) -> NeutralisedSheet:
        return NeutralisedSheet(
            self._workbook.create_sheet(title=clean_sheet_title(title), index=index)
        )

    def __getattr__(self, name: str) -> Any:
        return getattr(self._workbook, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._workbook, name, value)


def new_workbook(*, write_only: bool = False) -> NeutralisedWorkbook:
    """The workbook of every spreadsheet the portal makes."""
    return NeutralisedWorkbook(write_only=write_only)


class _Echo:
    """A file-like object whose ``write`` hands the text back, for ``csv.writer``."""

    def write(self, value: str) -> str:
        return value


def _csv_chunks(
    rows: Iterable[Any], columns: Sequence[Column], *, hxl: bool, language: str | None
) -> Iterator[str]:
    # The response body is produced after the view has returned; keep the language
    # the request asked for, so headers and bilingual values match the page.
    with translation.override(language):
        writer = csv_writer(_Echo())
        buffer = [BOM, writer.writerow(_headers(columns))]
        if hxl:
            buffer.append(writer.writerow(_tags(columns)))
        size = sum(len(part) for part in buffer)
        # Closed early (the client went away), the generator leaves the block and rolls back.
        with transaction.atomic():
            for row in rows:
                line = writer.writerow(column.read(row) for column in columns)
                buffer.append(line)
                size += len(line)
                if size >= CSV_CHUNK_SIZE:
                    yield "".join(buffer)
                    buffer, size = [], 0
        if buffer:
            yield "".join(buffer)


def stream_csv(
    rows: Iterable[Any], columns: Sequence[Column], *, filename: str, hxl: bool = False
) -> StreamingHttpResponse:
    """A CSV download written while it is sent; with ``hxl`` a row of HXL tags under the header."""
    response = StreamingHttpResponse(
        _csv_chunks(rows, columns, hxl=hxl, language=translation.get_language()),
        content_type=CSV_CONTENT_TYPE,
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def xlsx_response(
    rows: Iterable[Any],
    columns: Sequence[Column],
    *,
    filename: str,
    sheet_title: str,
    hxl: bool = False,
) -> FileResponse:
    """An Excel workbook of one sheet: a bold header row (and the HXL tags), then the rows."""
    workbook = new_workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    bold = Font(bold=True)

    def header_cells(values: list[str]) -> list[Cell]:
        cells = []
        for text in values:
            cell = sheet.new_cell(text)
            cell.font = bold
            cells.append(cell)
        return cells

    sheet.append(header_cells(_headers(columns)))
    if hxl:
        sheet.append(header_cells(_tags(columns)))
    with transaction.atomic():
        for row in rows:
            sheet.append(column.read(row) for column in columns)

    # A temporary file rather than memory: a large export stays off the heap, and
    # the file disappears when the response closes it.
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
