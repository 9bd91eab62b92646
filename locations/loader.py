"""Reading an OCHA COD-AB style CSV of admin areas, without touching the database.

The layout is the one OCHA publishes with its common operational datasets: one row per
area of the deepest level, its ancestors repeated on the same row, in column pairs
``ADMn_EN`` / ``ADMn_PCODE`` (with ``ADMn_AR`` where the Arabic names are given) for
n = 0 (the country, optional) to 3. Columns the portal does not use (``ADM1_REF``,
``validOn``, deeper levels…) are ignored.

``read_cod_ab`` returns every area the file describes and every problem it found, each
with its line number (the header is line 1). It reads the file a line at a time (an upload
is never read whole into memory, nor decoded whole) and keeps one small record per area.
Problems that make the rest of the file unreadable (not UTF-8, no header, a required
column missing, more than ``MAX_ROWS`` lines of areas) raise ``AdminAreaFileError`` at
once; the others are collected so the person fixing the file sees all of them.

``MAX_ROWS``: a COD-AB table has one line per area of its deepest level, and the portal
reads no deeper than admin level 3, where the largest countries count a few thousand
areas. 20,000 lines leave room for those, and keep a load within the page-time target
(``bench/boundary_load.py``). A longer file is refused at its 20,001st line, without
reading the rest: the deeper tables (admin level 4 and below) are the ones that long, and
a file split by admin level 1 area loads in parts, since areas a file does not list are kept.

The population tables (``locations.population``) are read a line at a time the same way
(``text_lines``, ``opening_lines``, ``sniff_delimiter``).
"""

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import reading_input
from core.inputs import UNSTORABLE_TEXT, csv_problem, is_storable_text

MAX_LEVEL = 3
MAX_ROWS = 20_000
PCODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
NAME_MAX_LENGTH = 200


@dataclass(frozen=True)
class FileProblem:
    """One reason a file cannot be loaded; ``line`` is None for the file as a whole."""

    line: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return _("Line %(line)s: %(problem)s") % {"line": self.line, "problem": self.message}


class AdminAreaFileError(ValidationError):
    """The file has problems and nothing was loaded; ``problems`` lists them by line."""

    def __init__(self, problems: list[FileProblem]):
        self.problems = sorted(problems, key=lambda p: p.line or 0)
        super().__init__(
            [ValidationError(str(problem), code="invalid_row") for problem in self.problems]
        )


@dataclass(slots=True)
class FileArea:
    """An area as the file describes it, with the line where it first appears."""

    pcode: str
    level: int
    name_en: str
    name_ar: str
    parent_pcode: str | None
    line: int


@dataclass
class CodAbFile:
    """What a file holds: areas by p-code (in file order), the levels it has, its problems."""

    areas: dict[str, FileArea] = field(default_factory=dict)
    has_country: bool = False
    levels: list[int] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)
    rows: int = 0


@dataclass(frozen=True, slots=True)
class LevelColumns:
    """Where a level's cells are in a row: p-code, English and Arabic name (None: absent)."""

    level: int
    pcode: int | None
    name_en: int | None
    name_ar: int | None


def _level_columns(positions: dict[str, int], levels: list[int]) -> list[LevelColumns]:
    return [
        LevelColumns(
            level,
            positions.get(f"ADM{level}_PCODE"),
            positions.get(f"ADM{level}_EN"),
            positions.get(f"ADM{level}_AR"),
        )
        for level in levels
    ]


def _too_many_rows(line: int) -> AdminAreaFileError:
    limit = number_format(MAX_ROWS, force_grouping=True)
    return AdminAreaFileError(
        [
            FileProblem(
                line,
                _(
                    "The file has more than %(limit)s lines of areas; the portal loads at "
                    "most %(limit)s at a time. Upload the table of admin level 3 or above "
                    "(deeper levels are not loaded), or split the file by admin level 1 area."
                )
                % {"limit": limit},
            )
        ]
    )


def _not_utf8(line: int) -> AdminAreaFileError:
    return AdminAreaFileError(
        [
            FileProblem(
                line,
                _(
                    "The file is not UTF-8 text. Save it as “CSV UTF-8” from the "
                    "spreadsheet and upload it again."
                ),
            )
        ]
    )


def _raw_lines(source) -> Iterable[bytes]:
    """The lines of the file's bytes, or of an uploaded or opened file, each with its end."""
    if isinstance(source, bytes | bytearray):
        return io.BytesIO(source)
    source.seek(0)
    return source


def text_lines(source) -> Iterator[str]:
    """The file's lines decoded one at a time; AdminAreaFileError at the first that is not UTF-8."""
    for number, raw in enumerate(_raw_lines(source), start=1):
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise _not_utf8(number) from error


def opening_lines(lines: Iterator[str]) -> list[str]:
    """The first line that holds anything, with the blank lines before it; [] for an empty file."""
    taken = []
    for line in lines:
        taken.append(line)
        if line.strip():
            return taken
    return []


def _columns(header: list[str]) -> tuple[dict[str, int], list[int], bool]:
    """Map the columns the portal reads to their positions; check the required ones."""
    positions: dict[str, int] = {}
    problems: list[FileProblem] = []
    for index, raw in enumerate(header):
        name = raw.strip().upper()
        if not name:
            continue
        if name in positions:
            problems.append(
                FileProblem(1, _("The column %(column)s appears twice.") % {"column": name})
            )
        positions[name] = index

    def present(level: int) -> bool:
        return f"ADM{level}_PCODE" in positions or f"ADM{level}_EN" in positions

    deepest = max((level for level in range(MAX_LEVEL + 1) if present(level)), default=None)
    if deepest is None or deepest == 0:
        problems.append(
            FileProblem(
                1,
                _(
                    "The header has no ADM1_EN and ADM1_PCODE columns. The first line must "
                    "name the columns, as in the OCHA COD-AB tables."
                ),
            )
        )
        raise AdminAreaFileError(problems)
    has_country = present(0)
    levels = list(range(0 if has_country else 1, deepest + 1))
    for level in levels:
        for suffix in ("EN", "PCODE"):
            column = f"ADM{level}_{suffix}"
            if column not in positions:
                problems.append(
                    FileProblem(
                        1, _("The required column %(column)s is missing.") % {"column": column}
                    )
                )
    if problems:
        raise AdminAreaFileError(problems)
    return positions, levels, has_country


def sniff_delimiter(first_line: str) -> str:
    """Commas, as OCHA publishes; semicolons, as some spreadsheets save “CSV”."""
    if "," not in first_line and ";" in first_line:
        return ";"
    return ","


@reading_input(gettext_lazy("the file of admin areas"))
def read_cod_ab(data) -> CodAbFile:
    """Parse the file (bytes, or a file opened in binary); AdminAreaFileError when unreadable."""
    lines = text_lines(data)
    opening = opening_lines(lines)
    if not opening:
        raise AdminAreaFileError([FileProblem(None, _("The file is empty."))])
    reader = csv.reader(chain(opening, lines), delimiter=sniff_delimiter(opening[0]), strict=True)
    try:
        header = next(reader)
    except csv.Error as error:
        raise AdminAreaFileError(
            [
                FileProblem(
                    1,
                    _("The header line cannot be read as CSV (%(error)s).")
                    % {"error": csv_problem(error)},
                )
            ]
        ) from error
    positions, levels, has_country = _columns(header)
    result = CodAbFile(has_country=has_country, levels=levels)
    columns = _level_columns(positions, levels)

    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            result.problems.append(
                FileProblem(
                    line,
                    _("This line cannot be read as CSV (%(error)s).")
                    % {"error": csv_problem(error)},
                )
            )
            break
        if not any(cell.strip() for cell in row):
            continue
        if result.rows == MAX_ROWS:
            raise _too_many_rows(line)
        result.rows += 1
        _read_row(result, columns, row, line)

    if result.rows == 0 and not result.problems:
        raise AdminAreaFileError(
            [FileProblem(None, _("The file has a header but no areas below it."))]
        )
    return result


def _cell(row: list[str], index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    return row[index].strip()


def _read_row(result: CodAbFile, columns: list[LevelColumns], row: list[str], line: int) -> None:
    """Record the areas of one row (its deepest area and each ancestor) and its problems."""
    cells = [
        (
            place.level,
            _cell(row, place.pcode),
            _cell(row, place.name_en),
            _cell(row, place.name_ar),
        )
        for place in columns
    ]
    deepest = max((level for level, pc, en, ar in cells if pc or en or ar), default=None)
    if deepest is None:
        result.problems.append(FileProblem(line, _("This line names no area.")))
        return

    parent: str | None = None
    for level, pcode, name_en, name_ar in cells:
        if level > deepest:
            break
        column = f"ADM{level}"
        if not pcode and not name_en and not name_ar:
            child = f"ADM{deepest}"
            result.problems.append(
                FileProblem(
                    line,
                    _(
                        "The %(child)s area has no parent: the %(column)s_PCODE and "
                        "%(column)s_EN cells are empty."
                    )
                    % {"child": child, "column": column},
                )
            )
            return
        if not pcode:
            result.problems.append(
                FileProblem(
                    line,
                    _("The %(column)s_PCODE cell is empty for the area “%(name)s”.")
                    % {"column": column, "name": name_en or name_ar},
                )
            )
            return
        if not PCODE_PATTERN.match(pcode):
            result.problems.append(
                FileProblem(
                    line,
                    _(
                        "The p-code “%(pcode)s” in %(column)s_PCODE is not valid: use at most "
                        "32 letters, digits, hyphens or underscores."
                    )
                    % {"pcode": pcode, "column": column},
                )
            )
            return
        if not name_en:
            result.problems.append(
                FileProblem(
                    line,
                    _("The %(column)s_EN cell (English name) is empty for the p-code %(pcode)s.")
                    % {"column": column, "pcode": pcode},
                )
            )
            return
        if len(name_en) > NAME_MAX_LENGTH or len(name_ar) > NAME_MAX_LENGTH:
            result.problems.append(
                FileProblem(
                    line,
                    _("The name of %(pcode)s is longer than %(max)s characters.")
                    % {"pcode": pcode, "max": NAME_MAX_LENGTH},
                )
            )
            return
        unstorable = _unstorable_name(column, name_en, name_ar)
        if unstorable:
            result.problems.append(FileProblem(line, unstorable))
            return
        # The children point at the p-code text kept for their parent, not a copy per line.
        parent = _record(result, FileArea(pcode, level, name_en, name_ar, parent, line))


def _unstorable_name(column: str, name_en: str, name_ar: str) -> str | None:
    """Why a name cannot be stored (a NUL character in it), naming its column; else None."""
    for suffix, name in (("EN", name_en), ("AR", name_ar)):
        if not is_storable_text(name):
            return _("%(column)s: %(problem)s") % {
                "column": f"{column}_{suffix}",
                "problem": UNSTORABLE_TEXT,
            }
    return None


def _record(result: CodAbFile, area: FileArea) -> str:
    """Add the area, or check it agrees with what earlier lines said about the same p-code.

    Returns the p-code as kept.
    """
    seen = result.areas.get(area.pcode)
    if seen is None:
        result.areas[area.pcode] = area
        return area.pcode
    context = {"pcode": area.pcode, "first": seen.line}
    if seen.level != area.level:
        result.problems.append(
            FileProblem(
                area.line,
                _(
                    "The p-code %(pcode)s is at admin level %(level)s here but at admin level "
                    "%(first_level)s on line %(first)s."
                )
                % {**context, "level": area.level, "first_level": seen.level},
            )
        )
        return seen.pcode
    if seen.parent_pcode != area.parent_pcode:
        result.problems.append(
            FileProblem(
                area.line,
                _(
                    "The p-code %(pcode)s is inside %(parent)s here but inside %(first_parent)s "
                    "on line %(first)s."
                )
                % {**context, "parent": area.parent_pcode, "first_parent": seen.parent_pcode},
            )
        )
    if seen.name_en != area.name_en:
        result.problems.append(
            FileProblem(
                area.line,
                _(
                    "The p-code %(pcode)s is named “%(name)s” here but “%(first_name)s” on "
                    "line %(first)s."
                )
                % {**context, "name": area.name_en, "first_name": seen.name_en},
            )
        )
    if area.name_ar and seen.name_ar and seen.name_ar != area.name_ar:
        result.problems.append(
            FileProblem(
                area.line,
                _(
                    "The p-code %(pcode)s has the Arabic name “%(name)s” here but "
                    "“%(first_name)s” on line %(first)s."
                )
                % {**context, "name": area.name_ar, "first_name": seen.name_ar},
            )
        )
    elif area.name_ar and not seen.name_ar:
        seen.name_ar = area.name_ar
    return seen.pcode
