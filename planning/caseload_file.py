"""Reading the humanitarian needs overview's caseload table, without touching the database.

The layout (the downloadable template, ``planning.views.caseload_template``, writes it):
one row per area, its p-code in ``ADM1_PCODE`` or ``ADM2_PCODE`` (the deepest of the two with
a value names the row's area, as in OCHA's COD tables; a district's row may repeat its
admin1 p-code), then the people in need and the people targeted per population group:

============  ============  ==========================  ============================
group         in need       targeted                    HXL (in need / targeted)
============  ============  ==========================  ============================
all people    ``PIN_T``     ``TGT_T``                   ``#inneed`` / ``#targeted``
girls         ``PIN_F_CHILD``  ``TGT_F_CHILD``          ``+f+children``
boys          ``PIN_M_CHILD``  ``TGT_M_CHILD``          ``+m+children``
women         ``PIN_F_ADULT``  ``TGT_F_ADULT``          ``+f+adults``
men           ``PIN_M_ADULT``  ``TGT_M_ADULT``          ``+m+adults``
============  ============  ==========================  ============================

Names are read whatever their case; other columns (names of areas, notes) are ignored, and
so is a row of HXL hashtags right under the header. A group whose two cells are empty has no
caseload in that area; a targeted figure needs its in-need figure. CSV (UTF-8, commas or
semicolons) and XLSX (the first sheet with a p-code column) are read with the population
table's readers and limits (``locations.population``, ``locations.uploads``), and each cell
as a number of people is read there too (``locations.population_columns.figure``).
"""

import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import reading_input
from core.inputs import csv_problem, message_of
from core.spreadsheets import open_workbook, sheet_rows
from locations import loader, uploads
from locations.population import RowProblem
from locations.population_columns import Column, Refused, cell_text, figure, shown
from planning.models import PopulationGroup

MAX_ROWS = 5_000  # a country's districts, with room; the needs overview has one row each
EXCEL_MAX_ROWS = 1_048_576
PCODE_COLUMNS = {"ADM1_PCODE": 1, "ADM2_PCODE": 2}
GROUP_SUFFIXES = {
    PopulationGroup.ALL: "T",
    PopulationGroup.GIRLS: "F_CHILD",
    PopulationGroup.BOYS: "M_CHILD",
    PopulationGroup.WOMEN: "F_ADULT",
    PopulationGroup.MEN: "M_ADULT",
}
GROUP_HXL = {
    PopulationGroup.ALL: "",
    PopulationGroup.GIRLS: "+f+children",
    PopulationGroup.BOYS: "+m+children",
    PopulationGroup.WOMEN: "+f+adults",
    PopulationGroup.MEN: "+m+adults",
}


def in_need_column(group: str) -> str:
    return f"PIN_{GROUP_SUFFIXES[group]}"


def targeted_column(group: str) -> str:
    return f"TGT_{GROUP_SUFFIXES[group]}"


class CaseloadFileError(ValidationError):
    """The file has problems and nothing was loaded; ``problems`` lists them by row."""

    def __init__(self, problems: list[RowProblem]):
        self.problems = sorted(problems, key=lambda p: p.row or 0)
        super().__init__(
            [ValidationError(str(problem), code="invalid_row") for problem in self.problems]
        )


def _file_problem(message: str) -> CaseloadFileError:
    return CaseloadFileError([RowProblem(None, "", message)])


@dataclass(frozen=True)
class FileCaseload:
    pcode: str
    level: int
    row: int
    group: str
    in_need: int
    targeted: int | None


@dataclass
class CaseloadFile:
    caseloads: list[FileCaseload] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    rows: int = 0
    seen: dict[str, tuple[int, int]] = field(default_factory=dict)  # p-code → (row, level)


@dataclass(frozen=True)
class _Layout:
    pcodes: tuple[tuple[int, Column], ...]  # deepest first
    groups: tuple[tuple[str, Column, Column | None], ...]  # (group, in need, targeted)


def _layout(header: Sequence) -> tuple[_Layout | None, list[str]]:
    positions = {}
    for index, cell in enumerate(header):
        name = cell_text(cell).upper()
        if name and name not in positions:
            positions[name] = Column(cell_text(cell), index)
    pcodes = tuple(
        (level, positions[name])
        for name, level in sorted(PCODE_COLUMNS.items(), key=lambda item: -item[1])
        if name in positions
    )
    groups = []
    for group in PopulationGroup:
        need = positions.get(in_need_column(group))
        target = positions.get(targeted_column(group))
        if need is not None:
            groups.append((group.value, need, target))
        elif target is not None:
            return None, [
                _("The file has a %(targeted)s column but no %(in_need)s column beside it.")
                % {"targeted": target.name, "in_need": in_need_column(group)}
            ]
    missing = []
    if not pcodes:
        missing.append(_("The header has no ADM1_PCODE or ADM2_PCODE column."))
    if not groups:
        missing.append(
            _(
                "The header has no people-in-need column (PIN_T, PIN_F_CHILD, PIN_M_CHILD, "
                "PIN_F_ADULT or PIN_M_ADULT)."
            )
        )
    if missing:
        return None, missing
    return _Layout(pcodes, tuple(groups)), []


def _cell(cells: Sequence, column: Column | None):
    if column is None or column.position >= len(cells):
        return None
    return cells[column.position]


def _is_blank(cells: Sequence) -> bool:
    return all(not cell_text(cell) for cell in cells)


def _is_hashtag_row(cells: Sequence) -> bool:
    texts = [cell_text(cell) for cell in cells if cell_text(cell)]
    return bool(texts) and all(text.startswith("#") for text in texts)


def _read_row(result: CaseloadFile, layout: _Layout, cells: Sequence, row: int) -> None:
    found = next(
        (
            (level, cell_text(_cell(cells, column)))
            for level, column in layout.pcodes
            if cell_text(_cell(cells, column))
        ),
        None,
    )
    if found is None:
        names = " / ".join(column.name for _level, column in layout.pcodes)
        result.problems.append(
            RowProblem(row, "", _("The row has no p-code in %(columns)s.") % {"columns": names})
        )
        return
    level, pcode = found
    pcode = shown(pcode)
    if pcode in result.seen:
        result.problems.append(
            RowProblem(
                row,
                pcode,
                _("This p-code is already on row %(first)s.") % {"first": result.seen[pcode][0]},
            )
        )
        return
    result.seen[pcode] = (row, level)
    for group, need_column, target_column in layout.groups:
        try:
            in_need = figure(_cell(cells, need_column), need_column)
            targeted = figure(_cell(cells, target_column), target_column) if target_column else None
        except Refused as refusal:
            result.problems.append(RowProblem(row, pcode, str(refusal)))
            continue
        if in_need is None:
            if targeted is not None:
                result.problems.append(
                    RowProblem(
                        row,
                        pcode,
                        _(
                            "The %(targeted)s cell has a figure but the %(in_need)s cell is "
                            "empty: give the people in need too."
                        )
                        % {"targeted": target_column.name, "in_need": need_column.name},
                    )
                )
            continue
        result.caseloads.append(FileCaseload(pcode, level, row, group, in_need, targeted))


def _read_rows(result: CaseloadFile, layout: _Layout, rows: Iterator[tuple[int, Sequence]]):
    first = True
    for number, cells in rows:
        if _is_blank(cells):
            continue
        if first and _is_hashtag_row(cells):
            first = False
            continue
        first = False
        if result.rows == MAX_ROWS:
            raise CaseloadFileError(
                [
                    RowProblem(
                        number,
                        "",
                        _(
                            "The file has more than %(limit)s rows of areas; the portal reads "
                            "at most that many."
                        )
                        % {"limit": MAX_ROWS},
                    )
                ]
            )
        result.rows += 1
        _read_row(result, layout, cells, number)


def _csv_rows(reader, result: CaseloadFile) -> Iterator[tuple[int, list[str]]]:
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            result.problems.append(
                RowProblem(
                    line,
                    "",
                    _("This line cannot be read as CSV (%(error)s).")
                    % {"error": csv_problem(error)},
                )
            )
            return
        yield line, cells


def _read_csv(data, result: CaseloadFile) -> None:
    lines = loader.text_lines(data)
    opening = loader.opening_lines(lines)
    if not opening:
        raise _file_problem(_("The file is empty."))
    reader = csv.reader(
        chain(opening, lines), delimiter=loader.sniff_delimiter(opening[-1]), strict=True
    )
    try:
        header = next(reader)
    except csv.Error as error:
        raise _file_problem(
            _("The header line cannot be read as CSV (%(error)s).") % {"error": csv_problem(error)}
        ) from error
    layout, missing = _layout(header)
    if layout is None:
        raise CaseloadFileError([RowProblem(reader.line_num, "", text) for text in missing])
    _read_rows(result, layout, _csv_rows(reader, result))


def _read_workbook(data, result: CaseloadFile) -> None:
    upload = data
    if isinstance(data, bytes | bytearray):
        upload = ContentFile(bytes(data), name="caseloads.xlsx")
    try:
        with open_workbook(upload, max_bytes=uploads.MAX_BYTES[uploads.XLSX]) as workbook:
            for sheet in workbook.worksheets:
                sheet.reset_dimensions()
                rows = sheet_rows(upload, sheet.iter_rows(max_row=EXCEL_MAX_ROWS, values_only=True))
                numbered = ((number, cells) for number, cells in enumerate(rows, start=1))
                header = next((cells for _n, cells in numbered if not _is_blank(cells)), None)
                if header is None:
                    continue
                layout, missing = _layout(header)
                if layout is None:
                    if any(cell_text(cell).upper() in PCODE_COLUMNS for cell in header):
                        raise CaseloadFileError([RowProblem(None, "", text) for text in missing])
                    continue
                _read_rows(result, layout, numbered)
                return
    except CaseloadFileError:
        raise
    except ValidationError as error:
        raise _file_problem(message_of(error)) from error
    raise _file_problem(_("No sheet of the workbook has an ADM1_PCODE or ADM2_PCODE column."))


def _is_workbook(data) -> bool:
    if isinstance(data, bytes | bytearray):
        return bytes(data[:4]) in uploads.ZIP_MAGIC
    return uploads.population_kind(data) == uploads.XLSX


@reading_input(gettext_lazy("the caseload file"))
def read_caseloads(data) -> CaseloadFile:
    """Parse the file (bytes, or a file opened in binary): CSV, or an XLSX workbook judged
    from its first bytes. CaseloadFileError when it cannot be read at all; otherwise the
    caseloads and every problem of a row."""
    result = CaseloadFile()
    try:
        if _is_workbook(data):
            _read_workbook(data, result)
        else:
            _read_csv(data, result)
    except loader.AdminAreaFileError as error:  # a line that is not UTF-8
        raise CaseloadFileError(
            [RowProblem(problem.line, "", problem.message) for problem in error.problems]
        ) from error
    if result.rows == 0 and not result.problems:
        raise _file_problem(_("The file has a header but no areas below it."))
    return result
