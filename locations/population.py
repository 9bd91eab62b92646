"""Reading an OCHA COD-PS table of population per admin area, without touching the database.

The layout is the one OCHA publishes with its common operational datasets (COD-PS): one row
per area, its p-code in an ``ADMn_PCODE`` column (n = 0 to 4; the deepest of them with a value
names the row's area, the others repeat its ancestors), the total population in ``T_TL``
(``Total``, ``POP`` or ``Population`` are read as well), the female and male populations in
``F_TL`` and ``M_TL``, and the age bands by sex (``F_00_04``, ``M_00_04``, … ``F_80Plus``).
Column names are read whatever their case; other columns are ignored, and so is the row of
HXL hashtags (``#adm1+code``…) that HDX puts under the header.

A CSV file is read a line at a time, as the COD-AB table is (``locations.loader``): UTF-8,
with or without a byte order mark, separated by commas or semicolons (the reading of the
rows this table shares with the needs overview's caseloads is in ``locations.area_tables``).
An XLSX workbook is
opened through the checks of every uploaded workbook (``core.spreadsheets``), values only (a
formula counts for the result saved with it), and each sheet with the layout is read: OCHA's
workbooks have one sheet per admin level.

The columns, the children under 18 and the reading of each figure are in
``locations.population_columns``.

``read_cod_ps`` returns the figures by p-code and every problem of a row, with its row number
and p-code. A problem that leaves nothing else to read (not UTF-8, no header, no p-code or
total column, too many rows, a damaged workbook) raises ``PopulationFileError`` at once.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import reading_input
from core.inputs import is_storable_text, message_of, parse_whole_number
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
from locations.population_columns import (
    Column,
    Layout,
    Refused,
    cell_text,
    figure,
    grouped,
    layout_of,
    shown,
)

MAX_ROWS = loader.MAX_ROWS
MIN_YEAR, MAX_YEAR = 1950, 2100
SOURCE_MAX_LENGTH = 200


class PopulationFileError(ValidationError):
    """The file has problems and nothing was loaded; ``problems`` lists them by row."""

    def __init__(self, problems: list[RowProblem]):
        self.problems = sorted(problems, key=lambda p: (p.sheet_index, p.row or 0))
        super().__init__(
            [ValidationError(str(problem), code="invalid_row") for problem in self.problems]
        )


def file_problem(message: str) -> PopulationFileError:
    return PopulationFileError([RowProblem(None, "", message)])


@dataclass(frozen=True, slots=True)
class Place:
    """Where a row is: its number as a spreadsheet shows it, and its sheet in a workbook."""

    row: int
    sheet: str = ""
    sheet_index: int = 0

    def problem(self, pcode: str, message: str) -> RowProblem:
        return RowProblem(self.row, pcode, message, self.sheet, self.sheet_index)


@dataclass(slots=True)
class FileFigure:
    """An area's figures as the file gives them; ``column`` is the p-code's column."""

    pcode: str
    column: str
    level: int
    place: Place
    total: int
    female: int | None
    male: int | None
    children: int | None


@dataclass
class CodPsFile:
    """What a file holds: figures by p-code (in file order), their year, notes, problems."""

    year: int | None = None
    figures: dict[str, FileFigure] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    rows: int = 0
    tables: int = 0  # sheets read (a CSV file is one)
    seen: dict[str, Place] = field(default_factory=dict)  # where each p-code first is
    year_place: Place | None = None
    in_workbook: bool = False

    def note(self, text: str) -> None:
        if text and text not in self.notes:
            self.notes.append(text)


# --- the options: year and source ------------------------------------------------------------


def option_problems(*, year: int | None, source: str) -> list[RowProblem]:
    """What is wrong with the year and source given by the person loading the file."""
    problems = []
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        problems.append(
            RowProblem(
                None,
                "",
                _("The year must be between %(min)s and %(max)s.")
                % {"min": MIN_YEAR, "max": MAX_YEAR},
            )
        )
    text = source.strip()
    if not text:
        problems.append(
            RowProblem(None, "", _("Give the source of the figures, such as “OCHA COD-PS 2025”."))
        )
    elif len(text) > SOURCE_MAX_LENGTH or not is_storable_text(text):
        problems.append(
            RowProblem(
                None,
                "",
                _("The source must be at most %(max)s characters of plain text.")
                % {"max": SOURCE_MAX_LENGTH},
            )
        )
    return problems


# --- the rows -----------------------------------------------------------------------------


def _area_of(layout: Layout, cells: Sequence) -> tuple[str, int, str]:
    """The p-code of the row's area (the deepest filled), its level and its column."""
    for level, column in layout.pcodes:
        pcode = cell_text(cell_at(cells, column))
        if pcode:
            return pcode, level, column.name
    return "", 0, ""


class _Row:
    """One row's cells, read into figures; each refusal is kept as a problem of the file."""

    def __init__(self, result: CodPsFile, layout: Layout, cells: Sequence, place: Place):
        self.result, self.layout, self.cells, self.place = result, layout, cells, place
        self.pcode = ""
        self.refused = False

    def problem(self, message: str) -> None:
        self.result.problems.append(self.place.problem(self.pcode, message))
        self.refused = True

    def figure(self, column: Column | None) -> int | None:
        try:
            return figure(cell_at(self.cells, column), column) if column else None
        except Refused as refusal:
            self.problem(str(refusal))
            return None

    def read(self) -> None:
        pcode, level, column = _area_of(self.layout, self.cells)
        self.pcode = pcode
        if not pcode:
            self.problem(_("This row names no area: its ADMn_PCODE cells are empty."))
            return
        if not loader.PCODE_PATTERN.match(pcode):
            self.pcode = ""
            self.problem(
                _(
                    "The p-code “%(pcode)s” in %(column)s is not valid: use at most 32 letters, "
                    "digits, hyphens or underscores."
                )
                % {"pcode": shown(pcode), "column": column}
            )
            return
        first = self.result.seen.setdefault(pcode, self.place)
        if first is not self.place:
            self.problem(_duplicate(first, self.place))
            return
        total = self._total()
        female, male = self.figure(self.layout.female), self.figure(self.layout.male)
        children = self._children()
        self._year()
        if self.refused or total is None:
            return
        self._check(total, female, male, children)
        if not self.refused:
            self.result.figures[pcode] = FileFigure(
                pcode, column, level, self.place, total, female, male, children
            )

    def _total(self) -> int | None:
        column = self.layout.total
        total = self.figure(column)
        if total is None and not self.refused:
            if self.result.in_workbook:
                message = _(
                    "The total population is missing: the %(column)s cell is empty, or holds a "
                    "formula whose result was not saved in the workbook."
                )
            else:
                message = _("The total population is missing: the %(column)s cell is empty.")
            self.problem(message % {"column": column.name})
        return total

    def _children(self) -> int | None:
        bands = [self.figure(column) for column in self.layout.bands]
        if not bands or any(band is None for band in bands):
            return None
        return sum(bands)

    def _year(self) -> None:
        column = self.layout.year
        value = cell_at(self.cells, column)
        if column is None or not cell_text(value):
            return
        try:
            year = parse_whole_number(value, minimum=MIN_YEAR, maximum=MAX_YEAR)
        except ValidationError:
            self.problem(
                _(
                    "The %(column)s cell holds “%(value)s”, which is not a year between %(min)s "
                    "and %(max)s."
                )
                % {"column": column.name, "value": shown(value), "min": MIN_YEAR, "max": MAX_YEAR}
            )
            return
        result = self.result
        if result.year is None:
            result.year, result.year_place = year, self.place
        elif year != result.year:
            self.problem(
                _(
                    "The year here is %(year)s, but %(first)s on row %(row)s. A file is loaded "
                    "for one year: split it by year, or give the year when loading it."
                )
                % {"year": year, "first": result.year, "row": result.year_place.row}
            )

    def _check(self, total: int, female: int | None, male: int | None, children) -> None:
        layout = self.layout
        if female is not None and male is not None:
            difference = abs(female + male - total)
            # One person of slack: figures with fractions are each rounded.
            if difference * 100 > total and difference > 1:
                self.problem(
                    _(
                        "The female (%(female_column)s, %(female)s) and male (%(male_column)s, "
                        "%(male)s) populations add up to %(sum)s, not the total of %(total)s "
                        "(%(total_column)s): they differ by more than 1 %%."
                    )
                    % {
                        "female_column": layout.female.name,
                        "female": grouped(female),
                        "male_column": layout.male.name,
                        "male": grouped(male),
                        "sum": grouped(female + male),
                        "total": grouped(total),
                        "total_column": layout.total.name,
                    }
                )
                return
        for part, column in ((female, layout.female), (male, layout.male)):
            if part is not None and part > total:
                self.problem(
                    _("The %(column)s population, %(part)s, is more than the total, %(total)s.")
                    % {"column": column.name, "part": grouped(part), "total": grouped(total)}
                )
                return
        if children is not None and children > total:
            self.problem(
                _(
                    "The children under 18 (the age bands up to 17 added up) are %(children)s, "
                    "more than the total population, %(total)s."
                )
                % {"children": grouped(children), "total": grouped(total)}
            )


def _duplicate(first: Place, here: Place) -> str:
    if first.sheet and first.sheet != here.sheet:
        return _("This p-code already has figures on row %(row)s of the sheet “%(sheet)s”.") % {
            "row": first.row,
            "sheet": first.sheet,
        }
    return _("This p-code already has figures on row %(row)s.") % {"row": first.row}


def _too_many_rows(place: Place) -> PopulationFileError:
    limit = number_format(MAX_ROWS, force_grouping=True)
    return PopulationFileError(
        [
            place.problem(
                "",
                _(
                    "The file has more than %(limit)s rows of areas; the portal loads at most "
                    "%(limit)s at a time. Split the file by admin level."
                )
                % {"limit": limit},
            )
        ]
    )


def _read_rows(
    result: CodPsFile, layout: Layout, rows: Iterator[tuple[int, Sequence]], sheet: Place
) -> None:
    """Read the rows under a header, skipping blank ones and the HXL row right under it."""
    for number, cells in body_rows(rows):
        place = Place(number, sheet.sheet, sheet.sheet_index)
        if result.rows == MAX_ROWS:
            raise _too_many_rows(place)
        result.rows += 1
        _Row(result, layout, cells, place).read()


# --- CSV ----------------------------------------------------------------------------------


def _read_csv(data, result: CodPsFile, *, read_year: bool) -> None:
    reader, header = csv_table(data, file_problem)
    layout, missing, note = layout_of(header, read_year=read_year)
    if layout is None:
        raise PopulationFileError([RowProblem(reader.line_num, "", text) for text in missing])
    result.tables = 1
    result.note(note)
    _read_rows(result, layout, csv_rows(reader, result.problems), Place(0))


# --- XLSX ---------------------------------------------------------------------------------


def _as_upload(data):
    """The workbook as a file with a name and a size, which the archive checks read."""
    if isinstance(data, bytes | bytearray):
        return ContentFile(bytes(data), name="population.xlsx")
    return data


def _read_sheet(
    result: CodPsFile, upload, sheet, index: int, *, read_year: bool
) -> list[str] | None:
    """Read one sheet. Returns what its header lacks when it names p-codes but is not a
    COD-PS table; None when it is one, or holds no p-codes at all (a note, a list)."""
    header, numbered = sheet_table(upload, sheet)
    if header is None:
        return None
    layout, missing, note = layout_of(header, read_year=read_year)
    if layout is None:
        names_pcodes = any(cell_text(cell).upper().endswith("_PCODE") for cell in header)
        return missing if names_pcodes else None
    result.tables += 1
    result.note(note)
    _read_rows(result, layout, numbered, Place(0, sheet.title, index))
    return None


def _read_workbook(data, result: CodPsFile, *, read_year: bool) -> None:
    upload = _as_upload(data)
    lacking: list[str] = []
    try:
        with open_workbook(upload, max_bytes=uploads.MAX_BYTES[uploads.XLSX]) as workbook:
            for index, sheet in enumerate(workbook.worksheets):
                missing = _read_sheet(result, upload, sheet, index, read_year=read_year)
                if missing:
                    lacking.extend(missing)
                    result.note(
                        _("The sheet “%(sheet)s” was not read. %(reason)s")
                        % {"sheet": sheet.title, "reason": " ".join(missing)}
                    )
    except PopulationFileError:
        raise
    except ValidationError as error:
        raise file_problem(message_of(error)) from error
    if not result.tables:
        texts = list(dict.fromkeys(lacking)) or [
            _("No sheet of the workbook has ADMn_PCODE columns and a total population column.")
        ]
        raise PopulationFileError([RowProblem(None, "", text) for text in texts])


# --- the file -----------------------------------------------------------------------------


@reading_input(gettext_lazy("the population file"))
def read_cod_ps(data, *, year: int | None = None) -> CodPsFile:
    """Parse the file (bytes, or a file opened in binary): CSV, or an XLSX workbook judged
    from its first bytes. ``year``, when given, is the year of every figure and the file's
    year column is not read; PopulationFileError when the file cannot be read at all."""
    result = CodPsFile(year=year, in_workbook=is_workbook(data))
    try:
        if result.in_workbook:
            _read_workbook(data, result, read_year=year is None)
        else:
            _read_csv(data, result, read_year=year is None)
    except loader.AdminAreaFileError as error:  # the CSV lines are not UTF-8
        raise PopulationFileError(
            [RowProblem(problem.line, "", problem.message) for problem in error.problems]
        ) from error
    if result.rows == 0 and not result.problems:
        raise file_problem(_("The file has a header but no areas below it."))
    if result.year is None:
        result.problems.append(
            RowProblem(
                None,
                "",
                _(
                    "Give the year of the figures: the file has no year or reference_year "
                    "column with a value."
                ),
            )
        )
    return result
