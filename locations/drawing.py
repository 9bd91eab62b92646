"""The areas of one level as SVG paths, ready to be coloured by a map.

Projection: Lambert's cylindrical equal-area, its standard parallel through the middle of the
areas drawn. North is up, every area keeps its true share of the map (a choropleth of people
per area would otherwise flatter the areas far from the equator), and at a country's size the
shapes stay true to within a few per cent. The outlines stored at load (simplified with their
neighbours) are simplified once more to half a pixel of the drawing, again as a coverage so
that neighbours keep their shared edges, and written as relative path commands to a tenth of
a pixel.
"""

import math
from dataclasses import dataclass

import numpy
import shapely
import shapely.errors
import shapely.ops
from shapely.geometry import shape

EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG)
WIDTH = 640  # the drawing's width in its own units; the page scales it
MAX_HEIGHT = 560
MARGIN = 8
PIXEL_TOLERANCE = 0.5
SCALE_STEPS = (1, 2, 5)  # a scale bar's length is one of these times a power of ten


@dataclass(frozen=True)
class Shape:
    area_id: int
    pcode: str
    name_en: str
    name_ar: str
    area_path: str  # the area's place in the tree (``AdminArea.path``)
    path: str  # SVG path data
    label_x: float  # where a label sits: the point inside farthest from the edge
    label_y: float
    room: float  # that point's distance to the edge, in drawing units


@dataclass(frozen=True)
class Basemap:
    width: int
    height: int
    shapes: tuple[Shape, ...]
    border: str  # the outer edge of all the areas together, drawn over them
    parents: str  # the edges of the areas' parents (admin1 on an admin2 map), drawn over them
    scale_length: float  # the scale bar, in drawing units
    scale_km: int
    bounds: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # to place points

    def project(self, longitude: float, latitude: float) -> tuple[float, float]:
        """A point in drawing units, projected as the areas were."""
        return Projection(self.bounds)(longitude, latitude)


class Projection:
    """Longitude and latitude to drawing units, fitted to ``bounds``."""

    def __init__(self, bounds: tuple[float, float, float, float]) -> None:
        west, south, east, north = bounds
        self.centre = (west + east) / 2
        self.cos = math.cos(math.radians((south + north) / 2))
        left, bottom = self._km(west, south)
        right, top = self._km(east, north)
        inner = WIDTH - 2 * MARGIN
        self.per_km = min(
            inner / max(right - left, 1e-9), (MAX_HEIGHT - 2 * MARGIN) / max(top - bottom, 1e-9)
        )
        self.left, self.top = left, top
        self.width = WIDTH
        self.height = math.ceil((top - bottom) * self.per_km + 2 * MARGIN)

    def _km(self, lon: float, lat: float) -> tuple[float, float]:
        x = EARTH_RADIUS_KM * math.radians(lon - self.centre) * self.cos
        y = EARTH_RADIUS_KM * math.sin(math.radians(lat)) / self.cos
        return x, y

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        x, y = self._km(lon, lat)
        return MARGIN + (x - self.left) * self.per_km, MARGIN + (self.top - y) * self.per_km

    def geometry(self, geometry):
        return shapely.transform(geometry, self._many)

    def _many(self, coordinates: numpy.ndarray) -> numpy.ndarray:
        x = EARTH_RADIUS_KM * numpy.radians(coordinates[:, 0] - self.centre) * self.cos
        y = EARTH_RADIUS_KM * numpy.sin(numpy.radians(coordinates[:, 1])) / self.cos
        return numpy.column_stack(
            [MARGIN + (x - self.left) * self.per_km, MARGIN + (self.top - y) * self.per_km]
        )


def path_data(geometry) -> str:
    """A polygon or multipolygon as SVG path data: each ring a move and relative lines."""
    parts = []
    for polygon in getattr(geometry, "geoms", [geometry]):
        for ring in (polygon.exterior, *polygon.interiors):
            parts.append(_ring(ring.coords))
    return "".join(parts)


def _ring(coordinates) -> str:
    points = [(round(x * 10), round(y * 10)) for x, y in coordinates]
    start_x, start_y = points[0]
    steps, last = [], points[0]
    for point in points[1:-1]:
        if point != last:
            steps.append(f"{_tenths(point[0] - last[0])} {_tenths(point[1] - last[1])}")
            last = point
    return f"M{_tenths(start_x)} {_tenths(start_y)}l{' '.join(steps)}z"


def _tenths(value: int) -> str:
    whole, tenth = divmod(abs(value), 10)
    sign = "-" if value < 0 else ""
    return f"{sign}{whole}.{tenth}" if tenth else f"{sign}{whole}"


def draw(rows: list[tuple[int, str, str, str, str, dict]]) -> Basemap | None:
    """The areas ``(id, p-code, English name, Arabic name, tree path, outline)`` drawn
    together; None when there are none."""
    if not rows:
        return None
    outlines = [shape(row[5]) for row in rows]
    project = Projection(shapely.total_bounds(outlines))
    drawn = [project.geometry(outline) for outline in outlines]
    simplified = list(shapely.coverage_simplify(drawn, PIXEL_TOLERANCE))
    if not all(part.is_valid and not part.is_empty for part in simplified):
        simplified = drawn
    shapes = tuple(_shape(row, outline) for row, outline in zip(rows, simplified, strict=True))
    whole = _union(simplified)
    families: dict[str, list] = {}
    for row, outline in zip(rows, simplified, strict=True):
        families.setdefault(_parent_path(row[4]), []).append(outline)
    parents = (
        ""
        if len(families) < 2
        else "".join(path_data(_union(members)) for members in families.values())
    )
    length, km = scale_bar(project)
    bounds = tuple(float(value) for value in shapely.total_bounds(outlines))
    return Basemap(
        project.width, project.height, shapes, path_data(whole), parents, length, km, bounds
    )


def _parent_path(path: str) -> str:
    return path[: path.rstrip("/").rfind("/") + 1]


def _union(parts: list):
    """The parts as one shape: as a coverage (fast, exact) when they are one, else by the
    general overlay (neighbours clipped each to its own parent may differ by a hair)."""
    if len(parts) == 1:
        return parts[0]
    try:
        return shapely.coverage_union_all(parts)
    except shapely.errors.GEOSException:
        return shapely.union_all(parts)


def _shape(row, outline) -> Shape:
    area_id, pcode, name_en, name_ar, area_path, _stored = row
    largest = max(getattr(outline, "geoms", [outline]), key=lambda part: part.area)
    centre = shapely.ops.polylabel(largest, tolerance=1.0)
    room = largest.exterior.distance(centre)
    return Shape(
        area_id, pcode, name_en, name_ar, area_path, path_data(outline), centre.x, centre.y, room
    )


def scale_bar(project: Projection) -> tuple[float, int]:
    """A round distance about a fifth of the map's width, and its length in drawing units."""
    wanted = (WIDTH - 2 * MARGIN) / 5 / project.per_km
    power = 10 ** math.floor(math.log10(wanted))
    km = max(step * power for step in SCALE_STEPS if step * power <= wanted)
    return km * project.per_km, int(km) if km >= 1 else km
