"""Hypothesis strategies that damage a valid file the way people and attackers do.

Workbooks are changed through openpyxl (cell values of every type, formulas, sheet names and
order, inserted and deleted columns, merged cells, thousands of rows) and then, now and
then, as bytes (cut short, a byte changed, junk after the end, a huge member that
compresses to nothing). CSV files are changed as rows of text (cells, columns, header,
quoting, delimiter, line endings, encoding, size). Each mutation describes itself, so a
finding names what was done to the file.
"""

import contextlib
import csv
import datetime
import io
import math
import zipfile
from dataclasses import dataclass

from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, MergedCell

from tests.fuzz.hostile import describe, hostile_values
from tests.fuzz.profile import DEEP

FORMULAS = [
    "=1/0",
    "=A1",
    "=I6*2",
    "=SUM(A1:O20000)",
    '=HYPERLINK("https://example.org","click")',
    '=CONCAT("=1","+1")',
    "=NOW()",
    "=1E+308*10",
    "=" + "(" * 300 + "1" + ")" * 300,
    "=cmd|' /C calc'!A0",
]
SHEET_TITLES = ["Findings", "findings", "Findings ", "Report", "Lists", "Sheet1", "تقرير", "١٢٣"]
# Up to just past the imports' limits under `make fuzz`; a few hundred rows in `make test`.
ROW_COUNTS = [1, 10, 300, *([2_000, 20_001] if DEEP else [])]
CSV_ROW_COUNTS = [1, 100, *([20_000, 95_000] if DEEP else [])]


def cell_values() -> st.SearchStrategy:
    """What a cell can hold: numbers of any size, text, booleans, dates and formulas.

    The simplest, tried first, is a number past a PostgreSQL integer; None empties the cell.
    """
    return st.one_of(
        st.sampled_from([2**31, 2**63, -(2**31) - 1, -1, 10**20, 2**31 - 1, 0, None]),
        hostile_values(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.sampled_from([math.inf, -math.inf, math.nan, 1e308, -0.0, 0.5, 12.0, 1e-300]),
        st.booleans(),
        st.datetimes(min_value=datetime.datetime(1900, 3, 1)),  # noqa: DTZ001 - cells are naive
        st.sampled_from([datetime.date(1900, 1, 1), datetime.time(12, 30)]),
        st.sampled_from(FORMULAS),
    )


def _storable(value):
    # openpyxl refuses the characters XML 1.0 cannot hold; a workbook cannot carry them.
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
        return value.encode("utf-8", "replace").decode("utf-8")
    return value


# Copies of a row stop at this many characters: past every upload's limit, short of a file
# of gigabytes when the row holds a text of 100,000 characters.
MAX_COPIED = 25_000_000


def _copies(count: int, row_size: int) -> int:
    return min(count, MAX_COPIED // max(row_size, 1))


# Workbook mutations -----------------------------------------------------------------------


@dataclass(frozen=True)
class SetCell:
    sheet: int
    row: int
    column: int
    value: object

    def apply(self, workbook) -> None:
        sheet = workbook.worksheets[self.sheet % len(workbook.worksheets)]
        cell = sheet.cell(row=self.row, column=self.column)
        if isinstance(cell, MergedCell):
            return  # inside a merge (an earlier change): Excel keeps no value there either
        cell.value = _storable(self.value)

    def __str__(self) -> str:
        value = describe(self.value) if isinstance(self.value, str) else repr(self.value)
        value = "emptied" if self.value is None else value
        return f"cell ({self.row}, {self.column}) of sheet {self.sheet} = {value}"


@dataclass(frozen=True)
class RenameSheet:
    sheet: int
    title: str

    def apply(self, workbook) -> None:
        title = "".join(c for c in self.title if c not in "[]:*?/\\")[:31] or "x"
        sheet = workbook.worksheets[self.sheet % len(workbook.worksheets)]
        if title not in workbook.sheetnames:
            sheet.title = _storable(title)

    def __str__(self) -> str:
        return f"sheet {self.sheet} renamed {describe(self.title)}"


@dataclass(frozen=True)
class MoveSheet:
    sheet: int
    offset: int

    def apply(self, workbook) -> None:
        workbook.move_sheet(workbook.worksheets[self.sheet % len(workbook.worksheets)], self.offset)

    def __str__(self) -> str:
        return f"sheet {self.sheet} moved by {self.offset}"


@dataclass(frozen=True)
class AddSheet:
    index: int
    title: str

    def apply(self, workbook) -> None:
        if self.title not in workbook.sheetnames:
            workbook.create_sheet(self.title, self.index)

    def __str__(self) -> str:
        return f"empty sheet {self.title!r} added at {self.index}"


@dataclass(frozen=True)
class RemoveSheet:
    sheet: int

    def apply(self, workbook) -> None:
        if len(workbook.worksheets) > 1:
            workbook.remove(workbook.worksheets[self.sheet % len(workbook.worksheets)])

    def __str__(self) -> str:
        return f"sheet {self.sheet} removed"


@dataclass(frozen=True)
class CopyLastRow:
    sheet: int
    count: int

    def apply(self, workbook) -> None:
        sheet = workbook.worksheets[self.sheet % len(workbook.worksheets)]
        last = [cell.value for cell in sheet[sheet.max_row]]
        for _ in range(_copies(self.count, sum(len(str(value)) for value in last))):
            sheet.append(last)

    def __str__(self) -> str:
        return f"last row of sheet {self.sheet} copied {self.count:,} times"


@dataclass(frozen=True)
class Columns:
    sheet: int
    index: int
    insert: bool

    def apply(self, workbook) -> None:
        sheet = workbook.worksheets[self.sheet % len(workbook.worksheets)]
        (sheet.insert_cols if self.insert else sheet.delete_cols)(self.index)

    def __str__(self) -> str:
        return (
            f"column {self.index} of sheet {self.sheet} {'inserted' if self.insert else 'deleted'}"
        )


@dataclass(frozen=True)
class Merge:
    sheet: int
    row: int
    width: int

    def apply(self, workbook) -> None:
        sheet = workbook.worksheets[self.sheet % len(workbook.worksheets)]
        sheet.merge_cells(
            start_row=self.row, start_column=1, end_row=self.row, end_column=self.width
        )

    def __str__(self) -> str:
        return f"row {self.row} of sheet {self.sheet} merged over {self.width} columns"


@dataclass(frozen=True)
class Layout:
    """Where a template keeps its data: the sheet (its index), the row the valid file
    fills, and the columns of numbers in it."""

    sheet: int
    row: int
    numbers: tuple[int, ...] = ()


def data_cells(layout: Layout) -> st.SearchStrategy:
    """A cell of the row of data the valid file holds, given any value; the columns of
    numbers first."""
    columns = [*layout.numbers, *(c for c in range(1, 16) if c not in layout.numbers)]
    return st.builds(
        SetCell, st.just(layout.sheet), st.just(layout.row), st.sampled_from(columns), cell_values()
    )


def workbook_mutations(layout: Layout) -> st.SearchStrategy:
    """A change to the workbook's shape, or to any cell near the data or elsewhere."""
    sheet, near_data = st.just(layout.sheet), st.integers(1, layout.row + 3)
    return st.one_of(
        st.builds(SetCell, sheet, near_data, st.integers(1, 17), cell_values()),
        st.builds(
            SetCell, st.integers(0, 4), st.integers(1, 40), st.integers(1, 20), cell_values()
        ),
        st.builds(RenameSheet, st.integers(0, 3), st.sampled_from(SHEET_TITLES) | hostile_values()),
        st.builds(MoveSheet, st.integers(0, 3), st.integers(-3, 3)),
        st.builds(AddSheet, st.integers(0, 3), st.sampled_from(["Blank", "Sheet1", "Findings"])),
        st.builds(RemoveSheet, st.integers(0, 3)),
        st.builds(CopyLastRow, sheet, st.sampled_from(ROW_COUNTS)),
        st.builds(Columns, sheet, st.integers(1, 16), st.booleans()),
        st.builds(Merge, sheet, near_data, st.integers(2, 16)),
    )


def workbook_changes(layout: Layout) -> st.SearchStrategy[list]:
    """Hostile values in the row of data (always), and now and then a change of shape."""
    return st.builds(
        lambda cells, others: [*cells, *others],
        st.lists(data_cells(layout), min_size=1, max_size=3),
        st.lists(workbook_mutations(layout), max_size=3),
    )


# Byte mutations, after the workbook is saved ----------------------------------------------


@dataclass(frozen=True)
class Cut:
    fraction: float

    def apply(self, data: bytes) -> bytes:
        return data[: int(len(data) * self.fraction)]

    def __str__(self) -> str:
        return f"cut at {self.fraction:.0%}"


@dataclass(frozen=True)
class Poke:
    fraction: float
    byte: int

    def apply(self, data: bytes) -> bytes:
        at = min(int(len(data) * self.fraction), len(data) - 1)
        return data[:at] + bytes([self.byte]) + data[at + 1 :]

    def __str__(self) -> str:
        return f"byte at {self.fraction:.0%} set to {self.byte:#04x}"


@dataclass(frozen=True)
class Junk:
    junk: bytes

    def apply(self, data: bytes) -> bytes:
        return data + self.junk

    def __str__(self) -> str:
        return f"{len(self.junk):,} bytes appended"


@dataclass(frozen=True)
class Bomb:
    """A member that unpacks to many megabytes from a few kilobytes."""

    megabytes: int

    def apply(self, data: bytes) -> bytes:
        buffer = io.BytesIO(data)
        if not zipfile.is_zipfile(buffer):
            return data  # a PDF, or an archive already cut short
        try:
            with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
                name = f"xl/media/padding{len(archive.namelist())}.bin"
                archive.writestr(name, bytes(self.megabytes * 1024 * 1024))
        except zipfile.BadZipFile:
            return data
        return buffer.getvalue()

    def __str__(self) -> str:
        return f"a member of {self.megabytes} MB of zeros added"


def byte_mutations() -> st.SearchStrategy:
    return st.one_of(
        st.builds(Cut, st.floats(0, 0.999)),
        st.builds(Poke, st.floats(0, 1), st.integers(0, 255)),
        st.builds(Junk, st.binary(min_size=1, max_size=64)),
        st.builds(Bomb, st.sampled_from([2, 120] if DEEP else [2, 20])),
    )


def now_and_then(strategy: st.SearchStrategy) -> st.SearchStrategy[list]:
    """No change three times out of four; else one of the strategy's."""
    return st.integers(0, 3).flatmap(
        lambda draw: st.lists(strategy, min_size=1, max_size=1) if draw == 3 else st.just([])
    )


def mutated_workbook(data: bytes, changes: list, damage: list) -> bytes:
    """The workbook with the changes that openpyxl can make (a merge over a merge, say, it
    refuses), saved, then damaged as bytes."""
    workbook = load_workbook(io.BytesIO(data))
    for change in changes:
        with contextlib.suppress(ValueError, KeyError, IndexError, TypeError):
            change.apply(workbook)
    if all(sheet.sheet_state != "visible" for sheet in workbook.worksheets):
        # Only the hidden lists are left: openpyxl saves no workbook without a visible sheet.
        workbook.worksheets[0].sheet_state = "visible"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return damaged_bytes(buffer.getvalue(), damage)


def damaged_bytes(data: bytes, damage: list) -> bytes:
    for change in damage:
        data = change.apply(data)
    return data


# CSV mutations ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CsvCell:
    row: int
    column: int
    value: str

    def apply(self, rows: list[list[str]]) -> None:
        line = rows[self.row % len(rows)]
        line.extend([""] * (self.column + 1 - len(line)))
        line[self.column] = self.value

    def __str__(self) -> str:
        return f"cell ({self.row}, {self.column}) = {describe(self.value)}"


@dataclass(frozen=True)
class CsvRows:
    count: int

    def apply(self, rows: list[list[str]]) -> None:
        copies = _copies(self.count, sum(len(value) for value in rows[-1]))
        rows.extend(list(rows[-1]) for _ in range(copies))

    def __str__(self) -> str:
        return f"last line copied {self.count:,} times"


@dataclass(frozen=True)
class CsvColumn:
    index: int
    insert: bool

    def apply(self, rows: list[list[str]]) -> None:
        for line in rows:
            if self.insert:
                line.insert(self.index, "")
            elif self.index < len(line):
                del line[self.index]

    def __str__(self) -> str:
        return f"column {self.index} {'inserted' if self.insert else 'deleted'}"


@dataclass(frozen=True)
class CsvShape:
    delimiter: str
    newline: str
    encoding: str
    quoting: int

    def __str__(self) -> str:
        return f"{self.encoding}, delimiter {self.delimiter!r}, line end {self.newline!r}"


def csv_mutations() -> st.SearchStrategy:
    """A change to any cell (the header's too), the number of lines or of columns."""
    return st.one_of(
        st.builds(CsvCell, st.integers(0, 5), st.integers(0, 12), hostile_values()),
        st.builds(CsvRows, st.sampled_from(CSV_ROW_COUNTS)),
        st.builds(CsvColumn, st.integers(0, 9), st.booleans()),
    )


def csv_changes() -> st.SearchStrategy[list]:
    """Hostile values in the line of data (always), and now and then other changes."""
    data = st.builds(CsvCell, st.just(1), st.integers(0, 7), hostile_values())
    return st.builds(
        lambda cells, others: [*cells, *others],
        st.lists(data, min_size=1, max_size=3),
        st.lists(csv_mutations(), max_size=3),
    )


def csv_shapes() -> st.SearchStrategy:
    return st.builds(
        CsvShape,
        st.sampled_from([",", ";", "\t", "|"]),
        st.sampled_from(["\n", "\r\n", "\r"]),
        st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1256", "latin-1"]),
        st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONE]),
    )


def mutated_csv(data: bytes, changes: list, shape: CsvShape) -> bytes:
    rows = [list(line) for line in csv.reader(io.StringIO(data.decode("utf-8")))]
    for change in changes:
        change.apply(rows)
    text = io.StringIO()
    writer = csv.writer(
        text,
        delimiter=shape.delimiter,
        lineterminator=shape.newline,
        quoting=shape.quoting,
        escapechar="\\",
    )
    writer.writerows(rows)
    errors = "surrogatepass" if shape.encoding.startswith("utf-8") else "replace"
    return text.getvalue().encode(shape.encoding, errors)
