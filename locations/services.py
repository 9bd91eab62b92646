"""Writes to the admin area tree: loading a COD-AB style CSV, or the COD-AB boundaries in
GeoJSON or a zipped shapefile (the same areas, each with its boundary); and loading the
population per area from a COD-PS table (``area_populations_load``).

Loading is idempotent. The p-code is the key: an area already there gets its names
updated, a new one is added, and an area missing from the file is left as it is (other
records point at it). An area never moves: a file that puts a known p-code at another
level or under another parent is refused, because the assessments and reports recorded
against it would silently change place.

A load keeps in memory one small record per area (the file's, and the portal's read as
plain values, not model objects) and writes them with one statement per batch of areas
and of history rows (``core.bulk``). A dry run writes nothing: every check is made on those
records.
"""

import io
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from shapely.geometry import shape

from core import bulk
from core.bilingual import bilingual
from core.signals import rows_written
from locations.boundaries import (
    BoundaryFile,
    FeatureProblem,
    nesting_problems,
    outline_tolerance,
    read_boundaries,
    read_shapefile,
    simplified_outlines,
)
from locations.loader import AdminAreaFileError, CodAbFile, FileArea, FileProblem, read_cod_ab
from locations.models import AdminArea, AdminLevel, AreaBoundary, AreaPopulation
from locations.population import (
    CodPsFile,
    FileFigure,
    PopulationFileError,
    RowProblem,
    file_problem,
    option_problems,
    read_cod_ps,
)
from locations.uploads import CSV, GEOJSON, kind_of

BATCH_SIZE = 500
CHANGE_REASON = "Loaded from a COD-AB file"
POPULATION_CHANGE_REASON = "Loaded from a COD-PS file"


@dataclass(frozen=True, slots=True)
class AddedArea:
    pcode: str
    name_en: str
    level: int


@dataclass(frozen=True, slots=True)
class RenamedArea:
    pcode: str
    old_name_en: str
    new_name_en: str
    old_name_ar: str
    new_name_ar: str


@dataclass
class LoadReport:
    """What a load did, for the person who ran it."""

    added: list[AddedArea] = field(default_factory=list)
    renamed: list[RenamedArea] = field(default_factory=list)
    unchanged: int = 0
    left_unchanged: list[str] = field(default_factory=list)
    dry_run: bool = False
    boundaries: int = 0

    @property
    def added_count(self) -> int:
        return len(self.added)

    @property
    def renamed_count(self) -> int:
        return len(self.renamed)

    @property
    def left_unchanged_count(self) -> int:
        return len(self.left_unchanged)

    def summary(self) -> str:
        parts = [
            ngettext("%(count)s area added", "%(count)s areas added", self.added_count)
            % {"count": self.added_count},
            ngettext("%(count)s renamed", "%(count)s renamed", self.renamed_count)
            % {"count": self.renamed_count},
            ngettext("%(count)s unchanged", "%(count)s unchanged", self.unchanged)
            % {"count": self.unchanged},
            ngettext(
                "%(count)s area not in the file left unchanged",
                "%(count)s areas not in the file left unchanged",
                self.left_unchanged_count,
            )
            % {"count": self.left_unchanged_count},
        ]
        if self.boundaries:
            parts.append(
                ngettext(
                    "%(count)s boundary loaded",
                    "%(count)s boundaries loaded",
                    self.boundaries,
                )
                % {"count": self.boundaries}
            )
        return _("%(parts)s.") % {"parts": "; ".join(parts)}


def admin_areas_load(*, data, by=None, dry_run: bool = False) -> LoadReport:
    """Load the file's areas in one transaction, or raise AdminAreaFileError and load nothing.

    ``data`` is the file's bytes or the file itself (an upload, or a file opened in binary),
    read a line at a time; a GeoJSON file (judged from its first bytes) is read whole, each
    feature an area with its boundary. ``by`` is the user recorded in the audit history;
    ``dry_run`` checks and reports without writing anything.
    """
    found = None
    kind = _kind(data)
    if kind == CSV:
        parsed = read_cod_ab(data)
    else:
        raw = data if isinstance(data, bytes) else data.read()
        found = read_boundaries(raw) if kind == GEOJSON else read_shapefile(raw)
        parsed = _checked_boundaries(found)
    try:
        with transaction.atomic():
            report = _apply(parsed, by=by, write=not dry_run)
            report.dry_run = dry_run
            if found is not None:
                report.boundaries = len(found.areas)
                if not dry_run:
                    _write_boundaries(found)
    except AdminAreaFileError as error:
        if found is None:
            raise
        # The table's checks number lines; a GeoJSON file's problems name features.
        raise AdminAreaFileError(
            [FeatureProblem(problem.line, "", problem.message) for problem in error.problems]
        ) from error
    except IntegrityError as error:
        # Another load committed the same new p-codes between our read and our write.
        raise AdminAreaFileError(
            [
                FileProblem(
                    None,
                    _(
                        "The areas were changed by someone else while this file was loading. "
                        "Nothing was loaded; upload the file again."
                    ),
                )
            ]
        ) from error
    return report


def _kind(data) -> str:
    """CSV, GeoJSON or a zipped shapefile, judged from the first bytes (``locations.uploads``)."""
    return kind_of(io.BytesIO(data) if isinstance(data, bytes) else data)


def _checked_boundaries(found: BoundaryFile) -> CodAbFile:
    """The file's areas for the table's loader, once every feature, its parent and its
    place inside its parent are right; AdminAreaFileError with every problem otherwise."""
    problems = list(found.problems)
    parsed = found.as_cod_ab()
    known = set(AdminArea.objects.values_list("pcode", flat=True))
    for area in parsed.areas.values():
        parent = area.parent_pcode
        if parent and parent not in parsed.areas and parent not in known:
            message = _("Its parent %(parent)s is neither in the file nor in the portal.") % {
                "parent": parent
            }
            problems.append(FeatureProblem(area.line, area.pcode, message))
    outside = {area.parent_pcode for area in found.areas.values()} - set(found.areas)
    loaded = AreaBoundary.objects.filter(area__pcode__in=outside).select_related("area")
    parents = {boundary.area.pcode: shape(boundary.geometry) for boundary in loaded}
    problems += nesting_problems(found.areas, parents)
    if problems:
        raise AdminAreaFileError(problems)
    return parsed


def _write_boundaries(found: BoundaryFile) -> None:
    """Each area's boundary, then the outlines of each level the file touched, simplified
    with the other areas of that level."""
    areas = AdminArea.objects.filter(pcode__in=found.areas).only("pk", "pcode")
    pks = {area.pcode: area.pk for area in areas}
    current = {b.area_id: b for b in AreaBoundary.objects.filter(area_id__in=pks.values())}
    changed, created = [], []
    for pcode, area in found.areas.items():
        geometry = area.geojson()
        boundary = current.get(pks[pcode])
        if boundary is None:
            created.append(AreaBoundary(area_id=pks[pcode], geometry=geometry))
        elif boundary.geometry != geometry:
            boundary.geometry = geometry
            # bulk_update skips auto_now, and locations.spatial sees a redrawn level by it.
            boundary.loaded_at = timezone.now()
            changed.append(boundary)
    AreaBoundary.objects.bulk_create(created, batch_size=BATCH_SIZE)
    AreaBoundary.objects.bulk_update(changed, ["geometry", "loaded_at"], batch_size=BATCH_SIZE)
    for level in sorted({area.level for area in found.areas.values()}):
        _draw_level(level)
    # Bulk writes send no save signals: the maps drawn from the outlines are cached.
    rows_written.send(sender=AreaBoundary)


def _draw_level(level: int) -> None:
    boundaries = list(AreaBoundary.objects.filter(area__level=level).select_related("area"))
    shapes = {boundary.area.pcode: shape(boundary.geometry) for boundary in boundaries}
    outlines = simplified_outlines(shapes, outline_tolerance(shapes.values()))
    for boundary in boundaries:
        boundary.outline = outlines[boundary.area.pcode]
    AreaBoundary.objects.bulk_update(boundaries, ["outline"], batch_size=BATCH_SIZE)


@dataclass(slots=True)
class _Known:
    """What loading needs of an area in the portal, or added by this load (no pk until written)."""

    pk: int | None
    level: int
    parent_pcode: str | None
    name_en: str
    name_ar: str
    path: str


def _known_areas() -> dict[str, _Known]:
    rows = AdminArea.objects.values_list(
        "pk", "pcode", "level", "parent__pcode", "name_en", "name_ar", "path"
    ).iterator(chunk_size=BATCH_SIZE * 4)
    return {
        pcode: _Known(pk, level, parent, name_en, name_ar, path)
        for pk, pcode, level, parent, name_en, name_ar, path in rows
    }


def _root_pcode(parsed: CodAbFile, known: dict[str, _Known], problems: list) -> str | None:
    """The country a file without ADM0 columns goes in: the only one the portal holds."""
    if parsed.has_country:
        return None
    countries = [pcode for pcode, area in known.items() if area.level == 0]
    if len(countries) == 1:
        return countries[0]
    problems.append(
        FileProblem(
            1,
            _(
                "The file has no ADM0_EN and ADM0_PCODE columns, and the portal does "
                "not hold exactly one country to put its areas in. Add the country "
                "columns."
            ),
        )
    )
    return None


def _apply(parsed: CodAbFile, *, by, write: bool) -> LoadReport:
    known = _known_areas()
    problems = list(parsed.problems)
    root_pcode = _root_pcode(parsed, known, problems)
    problems.extend(_contradictions(parsed, known, root_pcode))
    if problems:
        raise AdminAreaFileError(problems)

    report = LoadReport()
    report.left_unchanged = sorted(pcode for pcode in known if pcode not in parsed.areas)
    renames: list[tuple[int, str, str]] = []
    for level in parsed.levels:
        new_rows: list[tuple] = []
        for area in parsed.areas.values():
            if area.level != level:
                continue
            current = known.get(area.pcode)
            if current is None:
                report.added.append(AddedArea(area.pcode, area.name_en, level))
                new = _register(area, known, root_pcode)
                if write:
                    new_rows.append(_new_row(area.pcode, new, known))
                continue
            # An empty Arabic cell keeps the Arabic name already entered.
            new_ar = area.name_ar or current.name_ar
            if current.name_en == area.name_en and current.name_ar == new_ar:
                report.unchanged += 1
                continue
            report.renamed.append(
                RenamedArea(area.pcode, current.name_en, area.name_en, current.name_ar, new_ar)
            )
            renames.append((current.pk, area.name_en, new_ar))
        # Each level is written before the next, so that its children have their parent's id.
        if new_rows:
            _create(new_rows, known, by)
    if write and renames:
        bulk.update(AdminArea, ["name_en", "name_ar"], renames)
        _record(AdminArea, [pk for pk, _name_en, _name_ar in renames], bulk.CHANGED, by)
    return report


def _register(area: FileArea, known: dict[str, _Known], root_pcode: str | None) -> _Known:
    """Note a new area as known, so that its children find their parent (and its path)."""
    parent_pcode = (area.parent_pcode or root_pcode) if area.level > 0 else None
    parent_path = known[parent_pcode].path if parent_pcode else "/"
    new = _Known(
        None, area.level, parent_pcode, area.name_en, area.name_ar, f"{parent_path}{area.pcode}/"
    )
    known[area.pcode] = new
    return new


NEW_AREA = ["pcode", "level", "parent", "name_en", "name_ar", "path"]


def _new_row(pcode: str, new: _Known, known: dict[str, _Known]) -> tuple:
    """The values of ``NEW_AREA``, the parent's id taken from the level written before."""
    parent_id = known[new.parent_pcode].pk if new.parent_pcode else None
    return (pcode, new.level, parent_id, new.name_en, new.name_ar, new.path)


def _create(rows: list[tuple], known: dict[str, _Known], by) -> None:
    created = bulk.insert(AdminArea, NEW_AREA, rows, returning=("id", "pcode"))
    for pk, pcode in created:
        known[pcode].pk = pk
    _record(AdminArea, [pk for pk, _pcode in created], bulk.ADDED, by)


def _record(model, pks: list[int], kind: str, by, reason: str = CHANGE_REASON) -> None:
    bulk.record_history(model, pks, kind=kind, by=by, reason=reason)


def _contradictions(
    parsed: CodAbFile, existing: dict[str, _Known], root_pcode: str | None
) -> list[FileProblem]:
    """Areas the file would move to another level or parent: refused, never applied."""
    problems = []
    for area in parsed.areas.values():
        current = existing.get(area.pcode)
        if current is None:
            continue
        if current.level != area.level:
            problems.append(
                FileProblem(
                    area.line,
                    _(
                        "The p-code %(pcode)s is an admin level %(level)s area in the portal, "
                        "but this file puts it at admin level %(file_level)s. An area cannot "
                        "change level."
                    )
                    % {"pcode": area.pcode, "level": current.level, "file_level": area.level},
                )
            )
            continue
        file_parent = area.parent_pcode or (root_pcode if area.level > 0 else None)
        current_parent = current.parent_pcode
        if file_parent != current_parent:
            problems.append(
                FileProblem(
                    area.line,
                    _(
                        "The p-code %(pcode)s is inside %(parent)s in the portal, but this file "
                        "puts it inside %(file_parent)s. Moving an area would move the records "
                        "made for it, so it is refused; ask the site administrator."
                    )
                    % {
                        "pcode": area.pcode,
                        "parent": current_parent or _("no other area"),
                        "file_parent": file_parent or _("no other area"),
                    },
                )
            )
    return problems


# --- population per area (COD-PS) ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PopulationChange:
    """An area whose figure the load adds or changes (``old_total`` None when added)."""

    pcode: str
    name_en: str
    name_ar: str
    old_total: int | None
    new_total: int

    name = bilingual("name")


@dataclass
class PopulationReport:
    """What a population load did, for the person who ran it."""

    year: int
    source: str
    added: list[PopulationChange] = field(default_factory=list)
    changed: list[PopulationChange] = field(default_factory=list)
    unchanged: int = 0
    not_in_file: int = 0
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def added_count(self) -> int:
        return len(self.added)

    @property
    def changed_count(self) -> int:
        return len(self.changed)

    def summary(self) -> str:
        parts = [
            ngettext("%(count)s figure added", "%(count)s figures added", self.added_count)
            % {"count": self.added_count},
            ngettext("%(count)s changed", "%(count)s changed", self.changed_count)
            % {"count": self.changed_count},
            ngettext("%(count)s unchanged", "%(count)s unchanged", self.unchanged)
            % {"count": self.unchanged},
            ngettext(
                "%(count)s figure of %(year)s not in the file left unchanged",
                "%(count)s figures of %(year)s not in the file left unchanged",
                self.not_in_file,
            )
            % {"count": self.not_in_file, "year": self.year},
        ]
        return _("%(parts)s.") % {"parts": "; ".join(parts)}


def area_populations_load(
    *, data, year: int | None, source: str, by=None, dry_run: bool = False
) -> PopulationReport:
    """Load the population of each area the file lists, for ``year``, in one transaction;
    or raise PopulationFileError and load nothing.

    ``data`` is the file's bytes or the file itself (CSV, or an XLSX workbook); ``year``
    None takes the year from the file's year column. An area's figure of that year is
    replaced, added when it has none; the figures of areas the file does not list are kept.
    ``by`` is the user recorded in the audit history; ``dry_run`` checks and reports
    without writing anything.
    """
    problems = option_problems(year=year, source=source)
    if problems:
        raise PopulationFileError(problems)
    parsed = read_cod_ps(data, year=year)
    try:
        with transaction.atomic():
            report = _apply_populations(parsed, source=source.strip(), by=by, write=not dry_run)
    except IntegrityError as error:
        # Another load committed figures of the same areas and year since ours read them.
        raise file_problem(
            _(
                "The figures were changed by someone else while this file was loading. "
                "Nothing was loaded; upload the file again."
            )
        ) from error
    report.dry_run = dry_run
    return report


@dataclass(frozen=True, slots=True)
class _PortalArea:
    pk: int
    level: int
    parent_pcode: str | None
    name_en: str
    name_ar: str


def _portal_areas(pcodes) -> dict[str, _PortalArea]:
    rows = AdminArea.objects.filter(pcode__in=list(pcodes)).values_list(
        "pcode", "pk", "level", "parent__pcode", "name_en", "name_ar"
    )
    return {pcode: _PortalArea(*values) for pcode, *values in rows}


def _figure_problems(parsed: CodPsFile, areas: dict[str, _PortalArea]) -> list[RowProblem]:
    """Figures of areas the portal does not hold, at another level, or above their parent's."""
    problems = []
    for figure in parsed.figures.values():
        area = areas.get(figure.pcode)
        message = None
        if area is None:
            message = _unknown_area(figure)
        elif area.level != figure.level:
            message = _(
                "The p-code %(pcode)s is in the %(column)s column, but it is an admin level "
                "%(level)s area in the portal."
            ) % {"pcode": figure.pcode, "column": figure.column, "level": area.level}
        else:
            message = _larger_than_parent(figure, parsed.figures.get(area.parent_pcode))
        if message:
            problems.append(figure.place.problem(figure.pcode, message))
    return problems


def _unknown_area(figure: FileFigure) -> str:
    if figure.level > max(AdminLevel.values):
        return _(
            "The p-code %(pcode)s is an admin level %(level)s area; the portal holds areas down "
            "to admin level %(max)s. Load the table of admin level %(max)s or above."
        ) % {"pcode": figure.pcode, "level": figure.level, "max": max(AdminLevel.values)}
    return _(
        "No area in the portal has the p-code %(pcode)s. Load the admin areas (COD-AB) first, "
        "or correct the p-code."
    ) % {"pcode": figure.pcode}


def _larger_than_parent(figure: FileFigure, parent: FileFigure | None) -> str | None:
    if parent is None or figure.total <= parent.total:
        return None
    where = parent.place
    return _(
        "Its population, %(total)s, is larger than that of %(parent)s, the area it is in "
        "(%(parent_total)s, row %(row)s)."
    ) % {
        "total": number_format(figure.total, force_grouping=True),
        "parent": parent.pcode,
        "parent_total": number_format(parent.total, force_grouping=True),
        "row": where.row,
    }


POPULATION_FIELDS = ["total", "female", "male", "children", "source", "loaded_at"]


def _apply_populations(parsed: CodPsFile, *, source: str, by, write: bool) -> PopulationReport:
    areas = _portal_areas(parsed.figures)
    problems = list(parsed.problems) + _figure_problems(parsed, areas)
    if problems:
        raise PopulationFileError(problems)
    year = parsed.year
    current = {
        area_id: (pk, values)
        for pk, area_id, *values in AreaPopulation.objects.filter(year=year).values_list(
            "pk", "area_id", "total", "female", "male", "children", "source"
        )
    }
    report = PopulationReport(year=year, source=source, notes=list(parsed.notes))
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    new_rows, changed_rows = [], []
    for figure in parsed.figures.values():
        area = areas[figure.pcode]
        values = (figure.total, figure.female, figure.male, figure.children, source)
        pk, old = current.pop(area.pk, (None, None))
        if old == list(values):
            report.unchanged += 1
            continue
        change = PopulationChange(
            figure.pcode, area.name_en, area.name_ar, old[0] if old else None, figure.total
        )
        if pk is None:
            report.added.append(change)
            new_rows.append((area.pk, year, *values, now))
        else:
            report.changed.append(change)
            changed_rows.append((pk, *values, now))
    report.not_in_file = len(current)
    if write:
        _write_populations(new_rows, changed_rows, by)
    return report


def _write_populations(new_rows: list[tuple], changed_rows: list[tuple], by) -> None:
    if new_rows:
        created = bulk.insert(AreaPopulation, ["area", "year", *POPULATION_FIELDS], new_rows)
        pks = [pk for (pk,) in created]
        _record(AreaPopulation, pks, bulk.ADDED, by, POPULATION_CHANGE_REASON)
    if changed_rows:
        bulk.update(AreaPopulation, POPULATION_FIELDS, changed_rows)
        pks = [row[0] for row in changed_rows]
        _record(AreaPopulation, pks, bulk.CHANGED, by, POPULATION_CHANGE_REASON)
