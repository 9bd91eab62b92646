"""Spatial questions on the loaded boundaries, answered by shapely: which area a point lies in
(``area_at``, ``areas_at``: facilities are placed by it) and which areas border an area
(``neighbours``).

Each level's boundaries are read once into a ``shapely.STRtree`` of prepared geometries and
kept in the process. Every call first reads, in one query, a version of each level's
boundaries (their count, highest id and latest ``loaded_at``), and reads a level again when
its version changed, so a reload is seen by the next lookup without a restart. The full
``geometry`` is used, never the ``outline``: that is simplified for drawing and would put a
point near a border on the wrong side of it.

A point on the edge shared by several areas of a level goes to the one with the lowest
p-code, so that the same point always lands in the same area.
"""

import math
import threading
from dataclasses import dataclass
from decimal import Decimal
from numbers import Real

import numpy
import shapely
from django.db.models import Count, Max
from shapely.geometry import shape

from locations.models import AdminArea, AreaBoundary

NO_AREA = -1


@dataclass(frozen=True)
class _LevelIndex:
    """One level's boundaries, ordered by p-code, and the tree over them."""

    version: tuple
    area_ids: numpy.ndarray
    geometries: numpy.ndarray  # prepared
    tree: shapely.STRtree


_indexes: dict[int, _LevelIndex] = {}
_building = threading.Lock()


def area_at(longitude, latitude, *, level: int | None = None) -> AdminArea | None:
    """The deepest area whose boundary holds the point, or the area of ``level`` that holds
    it; None when no loaded boundary does (the sea, another country). Raises ValueError
    when the coordinates are not a longitude and a latitude."""
    [area] = areas_at([(longitude, latitude)], level=level)
    return area


def areas_at(points, *, level: int | None = None) -> list[AdminArea | None]:
    """``area_at`` for each (longitude, latitude) of ``points``, in order, with a few
    queries whatever their number: one for the versions, one for the areas found (and one
    per level whose boundaries changed)."""
    longitudes, latitudes = _checked_points(points)
    found = numpy.full(len(longitudes), NO_AREA)
    pending = numpy.arange(len(longitudes))
    for index in _level_indexes(level):
        if not pending.size:
            break
        found[pending] = _locate(index, longitudes[pending], latitudes[pending])
        pending = pending[found[pending] == NO_AREA]
    areas = AdminArea.objects.in_bulk({int(pk) for pk in found if pk != NO_AREA})
    return [areas.get(int(pk)) for pk in found]


def neighbours(area: AdminArea) -> list[AdminArea]:
    """The areas of the same level (in any parent or country) bordering ``area``, by p-code.

    Areas sharing a stretch of border are neighbours, and so are areas that overlap (a
    sliver left by a file's drawing); areas meeting at a single point, as at a four-way
    corner, are not: nothing crosses from one to the other there. An area without a
    boundary has none.
    """
    index = next(_level_indexes(area.level), None)
    position = numpy.flatnonzero(index.area_ids == area.pk) if index else []
    if not len(position):
        return []
    geometry = index.geometries[position[0]]
    touching = index.tree.query(geometry, predicate="intersects")
    touching = touching[touching != position[0]]
    matrices = shapely.relate(geometry, index.geometries[touching])
    bordering = [
        int(index.area_ids[other])
        for other, matrix in zip(touching, matrices, strict=True)
        if _shares_border(matrix)
    ]
    return list(AdminArea.objects.filter(pk__in=bordering).order_by("pcode"))


def _shares_border(matrix: str) -> bool:
    """From the DE-9IM matrix of two areas: their interiors overlap, or their boundaries
    meet along a line (not only at points)."""
    return matrix[0] == "2" or matrix[4] == "1"


def _checked_points(points) -> tuple[numpy.ndarray, numpy.ndarray]:
    pairs = [
        (_coordinate(longitude, "longitude", 180), _coordinate(latitude, "latitude", 90))
        for longitude, latitude in points
    ]
    if not pairs:
        return numpy.empty(0), numpy.empty(0)
    longitudes, latitudes = numpy.array(pairs).T
    return longitudes, latitudes


def _coordinate(value, name: str, limit: int) -> float:
    # Text and booleans are refused rather than converted: the caller reads what people type.
    if isinstance(value, bool) or not isinstance(value, Real | Decimal):
        raise ValueError(f"The {name} must be a number, not {value!r}.")
    number = float(value)
    if not (math.isfinite(number) and -limit <= number <= limit):
        raise ValueError(f"The {name} must be between -{limit} and {limit}, not {value!r}.")
    return number


def _locate(index: _LevelIndex, longitudes, latitudes) -> numpy.ndarray:
    """The id of the area of ``index`` holding each point, NO_AREA where none does."""
    points = shapely.points(longitudes, latitudes)
    # Boxes from the tree, then the prepared boundaries: the tree's own predicate would
    # prepare each point instead of the areas.
    point_ids, area_ids = index.tree.query(points)
    inside = shapely.intersects(index.geometries[area_ids], points[point_ids])
    # Areas are ordered by p-code, so the lowest position is the lowest p-code.
    first = numpy.full(len(points), len(index.area_ids))
    numpy.minimum.at(first, point_ids[inside], area_ids[inside])
    return numpy.append(index.area_ids, NO_AREA)[first]


def _level_indexes(level: int | None):
    """The index of ``level``, or of every level with boundaries, deepest first; each
    read from the database only when its boundaries changed since it was last read."""
    versions = _boundary_versions()
    levels = sorted(versions, reverse=True) if level is None else [level]
    for each in levels:
        if each in versions:
            yield _level_index(each, versions[each])


def _boundary_versions() -> dict[int, tuple]:
    rows = (
        AreaBoundary.objects.values("area__level")
        .annotate(count=Count("pk"), last_id=Max("pk"), loaded_at=Max("loaded_at"))
        .order_by()
    )
    return {row["area__level"]: (row["count"], row["last_id"], row["loaded_at"]) for row in rows}


def _level_index(level: int, version: tuple) -> _LevelIndex:
    index = _indexes.get(level)
    if index is not None and index.version == version:
        return index
    # One thread reads a changed level; the others wait for it rather than read it too.
    with _building:
        index = _indexes.get(level)
        if index is None or index.version != version:
            index = _build_index(level, version)
            _indexes[level] = index
    return index


def _build_index(level: int, version: tuple) -> _LevelIndex:
    rows = list(
        AreaBoundary.objects.filter(area__level=level)
        .order_by("area__pcode")
        .values_list("area_id", "geometry")
    )
    geometries = numpy.array([shape(geometry) for _area_id, geometry in rows], dtype=object)
    shapely.prepare(geometries)
    area_ids = numpy.array([area_id for area_id, _geometry in rows], dtype=numpy.int64)
    return _LevelIndex(version, area_ids, geometries, shapely.STRtree(geometries))
