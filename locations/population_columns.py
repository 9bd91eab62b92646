"""The columns of an OCHA COD-PS table: which of them the header names (``layout_of``), and
the number of people a cell holds (``figure``). The reader of the rows is
``locations.population``.

Names are read whatever their case; a byte order mark is dropped. Children under 18 are the
age bands (``F_00_04``, ``M_00_04``…, or ``T_00_04``… for both sexes together) that cover the
ages 0 to 17 once; a band that holds both children and adults (``15_19``) leaves them uncounted.
A figure may be written with thousands separators, in Arabic-Indic digits (``core.inputs``)
or with a fraction (the projections), which is rounded to whole people.
"""

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core.inputs import INT_MAX, parse_whole_number
from core.inputs import storable as storable_text

MAX_LEVEL = 4  # COD-PS tables go down to admin level 4; the portal holds areas to level 3
ADULT_AGE = 18
TOTAL_COLUMNS = ("T_TL", "TOTAL", "POP", "POPULATION")
YEAR_COLUMNS = ("YEAR", "REFERENCE_YEAR")
AGE_BAND = re.compile(r"([FMT])_(\d{1,2})_(\d{1,2})")
DECIMAL = re.compile(r"-?[0-9]+(?:,[0-9]{3})*\.[0-9]+")
MAX_DIGITS = 19  # beyond any bound, judged without converting every digit
SHOWN_LENGTH = 40


@dataclass(frozen=True, slots=True)
class Column:
    """A column rows are read from: its name as the header writes it, and its position."""

    name: str
    position: int


@dataclass(frozen=True)
class Layout:
    """The columns a table's rows are read from."""

    pcodes: tuple[tuple[int, Column], ...]  # (level, column), the deepest first
    total: Column
    female: Column | None
    male: Column | None
    bands: tuple[Column, ...]  # the age bands that add up to the children under 18
    year: Column | None


class Refused(Exception):
    """A cell that holds no figure; its text says why, naming the column and the value."""


# --- the header ----------------------------------------------------------------------------


def cell_text(value) -> str:
    """A cell as text: a spreadsheet's 101.0 is "101", a byte order mark is dropped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\ufeff", "").strip()


def _positions(header: Sequence) -> tuple[dict[str, Column], set[str]]:
    """Each column by its name in capitals, and the names that appear twice."""
    positions: dict[str, Column] = {}
    twice: set[str] = set()
    for index, raw in enumerate(header):
        written = cell_text(raw)
        name = written.upper()
        if not name:
            continue
        if name in positions:
            twice.add(name)
        else:
            positions[name] = Column(written, index)
    return positions, twice


def _first_of(positions: dict[str, Column], names: Iterable[str]) -> Column | None:
    return next((positions[name] for name in names if name in positions), None)


def _age_bands(positions: dict[str, Column]) -> dict[str, list[tuple[int, int, Column]]]:
    """The age bands by sex ("F", "M" or "T" for both): (first age, last age, column)."""
    bands: dict[str, list[tuple[int, int, Column]]] = {}
    for name, column in positions.items():
        match = AGE_BAND.fullmatch(name)
        if match and int(match[2]) <= int(match[3]):
            bands.setdefault(match[1], []).append((int(match[2]), int(match[3]), column))
    return bands


def _tiling(bands: list[tuple[int, int, Column]]) -> list[Column] | None:
    """Bands that cover each age from 0 to 17 once, the widest where several start at an
    age; None when they do not."""
    widest: dict[int, tuple[int, Column]] = {}
    for start, end, column in bands:
        if end < ADULT_AGE and end > widest.get(start, (-1, column))[0]:
            widest[start] = (end, column)
    age, chosen = 0, []
    while age < ADULT_AGE:
        if age not in widest:
            return None
        end, column = widest[age]
        chosen.append(column)
        age = end + 1
    return chosen


def _children_columns(positions: dict[str, Column]) -> tuple[tuple[Column, ...], str]:
    """The columns that add up to the children under 18, or none and the reason why (no
    reason when the file has no age bands at all)."""
    bands = _age_bands(positions)
    if not bands:
        return (), ""
    sexes = ("F", "M") if "F" in bands and "M" in bands else ("T",) if "T" in bands else ()
    if not sexes:
        return (), _(
            "The file gives age bands for one sex only, so children under 18 are not counted: "
            "they are left empty."
        )
    chosen: list[Column] = []
    for sex in sexes:
        tiling = _tiling(bands[sex])
        if tiling is None:
            return (), _uncounted_children(bands[sex])
        chosen.extend(tiling)
    return tuple(chosen), ""


def _uncounted_children(bands: list[tuple[int, int, Column]]) -> str:
    across = sorted(
        (start, column.name) for start, end, column in bands if start < ADULT_AGE <= end
    )
    if across:
        return _(
            "The age band %(band)s holds both children and adults, so children under 18 "
            "cannot be counted: they are left empty."
        ) % {"band": across[0][1]}
    return _(
        "The age bands under 18 do not cover every age from 0 to 17, so children under 18 "
        "are not counted: they are left empty."
    )


def layout_of(header: Sequence, *, read_year: bool) -> tuple[Layout | None, list[str], str]:
    """The table's columns, or None and what the header lacks; and why children are not
    counted, when they are not."""
    positions, twice = _positions(header)
    pcodes = tuple(
        (level, positions[f"ADM{level}_PCODE"])
        for level in range(MAX_LEVEL, -1, -1)
        if f"ADM{level}_PCODE" in positions
    )
    total = _first_of(positions, TOTAL_COLUMNS)
    bands, note = _children_columns(positions)
    read = {
        "F_TL",
        "M_TL",
        *TOTAL_COLUMNS,
        *YEAR_COLUMNS,
        *(column.name.upper() for column in bands),
    }
    read |= {column.name.upper() for _level, column in pcodes}
    missing = [
        _("The column %(column)s appears twice.") % {"column": name}
        for name in sorted(twice & read)
    ]
    if not pcodes:
        missing.append(
            _(
                "The header has no ADM1_PCODE column (nor ADM0_PCODE to ADM4_PCODE). The first "
                "row must name the columns, as in the OCHA COD-PS tables."
            )
        )
    if total is None:
        missing.append(
            _("The header has no column of the total population: T_TL (or Total, POP, Population).")
        )
    if missing:
        return None, missing, note
    layout = Layout(
        pcodes=pcodes,
        total=total,
        female=positions.get("F_TL"),
        male=positions.get("M_TL"),
        bands=bands,
        year=_first_of(positions, YEAR_COLUMNS) if read_year else None,
    )
    return layout, [], note


# --- the cells ----------------------------------------------------------------------------


def shown(value) -> str:
    text = storable_text(cell_text(value))
    return text if len(text) <= SHOWN_LENGTH else text[: SHOWN_LENGTH - 1] + "…"


def _rounded(number: Decimal) -> int:
    return int(number.to_integral_value(rounding=ROUND_HALF_UP))


def _number(value) -> int:
    """The cell's number rounded to a whole one; ValueError when it holds none."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError
        return _rounded(Decimal(min(max(value, -1e20), 1e20)))
    text = str(value).strip()
    if DECIMAL.fullmatch(text):
        whole = text.lstrip("-").split(".")[0].replace(",", "").lstrip("0")
        if len(whole) > MAX_DIGITS:
            return -(10**MAX_DIGITS) if text.startswith("-") else 10**MAX_DIGITS
        return _rounded(Decimal(text.replace(",", "")))
    try:
        bound = 10**MAX_DIGITS
        return parse_whole_number(text, minimum=-bound, maximum=bound)
    except ValidationError as error:
        raise ValueError from error


def figure(value, column: Column) -> int | None:
    """The number of people a cell holds; None when it is empty; Refused otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    context = {"column": column.name, "value": shown(value)}
    if isinstance(value, str) and value.strip().startswith("="):
        raise Refused(
            _(
                "The %(column)s cell holds a formula, “%(value)s”, not a number. Save the "
                "figures as values and upload the file again."
            )
            % context
        )
    try:
        number = _number(value)
    except ValueError:
        raise Refused(
            _("The %(column)s cell holds “%(value)s”, which is not a number.") % context
        ) from None
    if number < 0:
        raise Refused(_("The %(column)s cell holds a negative number, %(value)s.") % context)
    if number > INT_MAX:
        limit = number_format(INT_MAX, force_grouping=True)
        raise Refused(
            _("The %(column)s cell holds %(value)s, more than the %(limit)s the portal can store.")
            % {**context, "limit": limit}
        )
    return number


def grouped(number: int) -> str:
    return number_format(number, force_grouping=True)
