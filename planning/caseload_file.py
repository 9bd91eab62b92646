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
semicolons) and XLSX (the first sheet with a p-code column) are read as the population table
is, with its readers and limits (``locations.area_tables``, ``locations.uploads``), and each
cell as a number of people is read there too (``locations.population_columns.figure``).
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import reading_input
from core.inputs import message_of
from core.spreadsheets import open_workbook
from locations import loader, uploads
from locations.area_tables import (
    RowProblem,
    body_rows,
    cell_at,
    csv_rows,
    csv_table,
    is_workbook,
    sheet_table,
)
from locations.population_columns import Column, Refused, cell_text, figure, shown
from planning.models import PopulationGroup

MAX_ROWS = 5_000  # a country's districts, with room; the needs overview has one row each
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


def _read_row(result: CaseloadFile, layout: _Layout, cells: Sequence, row: int) -> None:
    found = next(
        (
            (level, cell_text(cell_at(cells, column)))
            for level, column in layout.pcodes
            if cell_text(cell_at(cells, column))
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
            in_need = figure(cell_at(cells, need_column), need_column)
            targeted = (
                figure(cell_at(cells, target_column), target_column) if target_column else None
            )
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
    for number, cells in body_rows(rows):
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


def _read_csv(data, result: CaseloadFile) -> None:
    reader, header = csv_table(data, _file_problem)
    layout, missing = _layout(header)
    if layout is None:
        raise CaseloadFileError([RowProblem(reader.line_num, "", text) for text in missing])
    _read_rows(result, layout, csv_rows(reader, result.problems))


def _read_workbook(data, result: CaseloadFile) -> None:
    upload = data
    if isinstance(data, bytes | bytearray):
        upload = ContentFile(bytes(data), name="caseloads.xlsx")
    try:
        with open_workbook(upload, max_bytes=uploads.MAX_BYTES[uploads.XLSX]) as workbook:
            for sheet in workbook.worksheets:
                header, numbered = sheet_table(upload, sheet)
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


@reading_input(gettext_lazy("the caseload file"))
def read_caseloads(data) -> CaseloadFile:
    """Parse the file (bytes, or a file opened in binary): CSV, or an XLSX workbook judged
    from its first bytes. CaseloadFileError when it cannot be read at all; otherwise the
    caseloads and every problem of a row."""
    result = CaseloadFile()
    try:
        if is_workbook(data):
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
