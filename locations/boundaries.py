"""Reading admin boundaries in the layouts OCHA publishes the COD-AB in (GeoJSON, or a
zipped shapefile read with pyshp), without touching the database: the first part of the
maps (issue 24), which the loader and the upload page build on.

One feature per area. Its properties name the area and its ancestors as the COD-AB table
does: ``ADMn_PCODE``, the English name in ``ADMn_EN`` (or ``ADMn_NAME``, ``ADMn_REF``) and
the Arabic one in ``ADMn_AR``; the deepest level given is the feature's own, up to
``MAX_LEVEL``. Each geometry is read by shapely and must be a valid, non-empty polygon or
multipolygon in longitude and latitude. ``read_boundaries`` answers every area with its
boundary and every problem, each named by the feature's number and p-code, so that the
person fixing the file sees all of them at once; ``nesting_problems`` finds a child lying
outside its parent; ``simplified_outlines`` draws a level as a coverage, neighbours sharing
their simplified edges (shapely's ``coverage_simplify``).
"""

import io
import json
import zipfile
from dataclasses import dataclass, field

import shapefile
import shapely
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from shapely.geometry import mapping, shape
from shapely.validation import explain_validity

from core.archives import check_entries, zip_directory
from locations.loader import (
    MAX_LEVEL,
    NAME_MAX_LENGTH,
    PCODE_PATTERN,
    CodAbFile,
    FileArea,
)
from locations.uploads import SHAPEFILE_ARCHIVE

POLYGONAL = ("Polygon", "MultiPolygon")
# A child may stick out of its parent by this share of its own area: neighbouring levels of
# a COD are drawn from the same lines, so more than this is a wrong parent or a wrong file.
CHILD_OUTSIDE_SHARE = 0.01
# Six decimals of a degree are about 10 cm: more is noise from a projection, not detail.
COORDINATE_DECIMALS = 6


@dataclass(frozen=True)
class FeatureProblem:
    """One reason the file cannot be loaded; ``number`` counts features from 1."""

    number: int | None
    pcode: str
    message: str

    @property
    def line(self) -> int | None:
        """Where the problem is, for the loader's list of problems (sorted by it)."""
        return self.number

    def __str__(self) -> str:
        if self.number is None:
            return self.message
        if self.pcode:
            return _("Feature %(number)s (%(pcode)s): %(problem)s") % {
                "number": self.number,
                "pcode": self.pcode,
                "problem": self.message,
            }
        return _("Feature %(number)s: %(problem)s") % {
            "number": self.number,
            "problem": self.message,
        }


@dataclass
class BoundaryArea:
    pcode: str
    level: int
    name_en: str
    name_ar: str
    parent_pcode: str | None
    geometry: object  # a shapely Polygon or MultiPolygon
    number: int
    # The ancestors its properties name: (level, p-code, English name, Arabic name).
    ancestors: list[tuple[int, str, str, str]] = field(default_factory=list)

    def geojson(self) -> dict:
        """The boundary as stored: GeoJSON, its coordinates rounded."""
        rounded = shapely.set_precision(self.geometry, 10**-COORDINATE_DECIMALS)
        return mapping(rounded)


@dataclass
class BoundaryFile:
    areas: dict[str, BoundaryArea] = field(default_factory=dict)
    problems: list[FeatureProblem] = field(default_factory=list)
    features: int = 0

    def as_cod_ab(self) -> CodAbFile:
        """The areas as the COD-AB table's reader gives them, with the ancestors each
        feature's properties name (when they give an English name), so that the table's
        loader adds, renames and refuses them by the same rules."""
        result = CodAbFile(rows=self.features)
        for area in self.areas.values():
            result.areas[area.pcode] = FileArea(
                area.pcode, area.level, area.name_en, area.name_ar, area.parent_pcode, area.number
            )
        for area in self.areas.values():
            for level, pcode, name_en, name_ar in area.ancestors:
                if pcode not in result.areas and name_en:
                    parent = _ancestor_parent(area, level)
                    result.areas[pcode] = FileArea(
                        pcode, level, name_en, name_ar, parent, area.number
                    )
        result.has_country = any(
            level == 0 for area in self.areas.values() for level, *_rest in area.ancestors
        ) or any(area.level == 0 for area in self.areas.values())
        result.levels = sorted({area.level for area in result.areas.values()})
        return result


def _ancestor_parent(area: BoundaryArea, level: int) -> str | None:
    codes = {ancestor_level: pcode for ancestor_level, pcode, *_names in area.ancestors}
    return codes.get(level - 1)


def read_boundaries(data: bytes) -> BoundaryFile:
    """Every area of a COD-AB GeoJSON file and every problem found in it."""
    result = BoundaryFile()
    return _read_features(result, _features(data, result))


def read_shapefile(data: bytes) -> BoundaryFile:
    """Every area of a zipped COD-AB shapefile (its .shp, .shx and .dbf, the text in UTF-8
    unless a .cpg says otherwise) and every problem found in it, as for GeoJSON."""
    result = BoundaryFile()
    try:
        parts = _shapefile_parts(data)
        features = _shapefile_features(parts)
    except ValidationError as error:
        result.problems.append(FeatureProblem(None, "", error.messages[0]))
        return result
    return _read_features(result, features)


def _read_features(result: BoundaryFile, features: list) -> BoundaryFile:
    result.features = len(features)
    for number, feature in enumerate(features, start=1):
        _read_feature(result, number, feature)
    if not result.areas and not result.problems:
        result.problems.append(FeatureProblem(None, "", _("The file holds no area.")))
    return result


def _shapefile_parts(data: bytes) -> dict[str, bytes]:
    """The shapefile's parts by extension, once the archive passes its limits."""
    archive = io.BytesIO(data)
    entries = zip_directory(archive)
    if entries is None:
        raise ValidationError(_("The file is not a zip archive, or it is damaged."))
    check_entries("", entries, SHAPEFILE_ARCHIVE)
    shp = [entry.filename for entry in entries if entry.filename.lower().endswith(".shp")]
    if len(shp) != 1:
        raise ValidationError(
            _("The zip archive must hold one shapefile; it holds %(count)s.") % {"count": len(shp)}
        )
    stem = shp[0][:-4].lower()
    names = {entry.filename.lower(): entry.filename for entry in entries}
    parts = {}
    with zipfile.ZipFile(archive) as opened:
        for extension in ("shp", "shx", "dbf", "cpg"):
            name = names.get(f"{stem}.{extension}")
            if name:
                parts[extension] = opened.read(name)
    if not all(extension in parts for extension in ("shp", "shx", "dbf")):
        raise ValidationError(_("The shapefile lacks its .shx or its .dbf part."))
    return parts


def _shapefile_features(parts: dict[str, bytes]) -> list[dict]:
    encoding = parts.get("cpg", b"utf-8").decode("ascii", "replace").strip() or "utf-8"
    try:
        reader = shapefile.Reader(
            shp=io.BytesIO(parts["shp"]),
            shx=io.BytesIO(parts["shx"]),
            dbf=io.BytesIO(parts["dbf"]),
            encoding=encoding,
        )
        return [
            {
                "type": "Feature",
                "properties": item.record.as_dict(),
                "geometry": _shape_geometry(item.shape),
            }
            for item in reader.iterShapeRecords()
        ]
    except (shapefile.ShapefileException, UnicodeDecodeError, LookupError, ValueError) as error:
        raise ValidationError(
            _("The file cannot be read as a shapefile in UTF-8 (%(error)s).") % {"error": error}
        ) from error


def _shape_geometry(item) -> dict | None:
    """The record's shape as GeoJSON; None for a null shape (a record with no geometry)."""
    if item.shapeType == shapefile.NULL:
        return None
    return item.__geo_interface__


def _features(data: bytes, result: BoundaryFile) -> list:
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        result.problems.append(
            FeatureProblem(None, "", _("The file cannot be read as GeoJSON (UTF-8 JSON)."))
        )
        return []
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list) or document.get("type") != "FeatureCollection":
        result.problems.append(
            FeatureProblem(
                None, "", _("The file is not a GeoJSON FeatureCollection of admin areas.")
            )
        )
        return []
    return features


def _text(properties: dict, *names: str) -> str:
    for name in names:
        value = properties.get(name)
        if isinstance(value, str | int) and str(value).strip():
            return str(value).strip()
    return ""


def _read_feature(result: BoundaryFile, number: int, feature) -> None:
    properties = feature.get("properties") if isinstance(feature, dict) else None
    properties = properties if isinstance(properties, dict) else {}
    levels = [n for n in range(MAX_LEVEL + 1) if _text(properties, f"ADM{n}_PCODE")]
    if not levels:
        message = _("It has no p-code (ADM0_PCODE to ADM%(level)s_PCODE).") % {"level": MAX_LEVEL}
        result.problems.append(FeatureProblem(number, "", message))
        return
    level = max(levels)
    pcode = _text(properties, f"ADM{level}_PCODE")
    problems = _area_problems(properties, level, pcode)
    geometry, geometry_problem = _geometry(feature.get("geometry"))
    if geometry_problem:
        problems.append(geometry_problem)
    if pcode in result.areas:
        problems.append(_("The p-code is given to another feature already."))
    result.problems += [FeatureProblem(number, pcode, message) for message in problems]
    if problems:
        return
    result.areas[pcode] = BoundaryArea(
        pcode=pcode,
        level=level,
        name_en=_text(properties, f"ADM{level}_EN", f"ADM{level}_NAME", f"ADM{level}_REF"),
        name_ar=_text(properties, f"ADM{level}_AR"),
        parent_pcode=_text(properties, f"ADM{level - 1}_PCODE") or None if level else None,
        geometry=geometry,
        number=number,
        ancestors=[
            (
                ancestor,
                _text(properties, f"ADM{ancestor}_PCODE"),
                _text(properties, f"ADM{ancestor}_EN", f"ADM{ancestor}_NAME", f"ADM{ancestor}_REF"),
                _text(properties, f"ADM{ancestor}_AR"),
            )
            for ancestor in range(level)
            if _text(properties, f"ADM{ancestor}_PCODE")
        ],
    )


def _area_problems(properties: dict, level: int, pcode: str) -> list[str]:
    problems = []
    if not PCODE_PATTERN.match(pcode):
        problems.append(
            _("The p-code may hold only letters, digits, “-” and “_”, at most 32 of them.")
        )
    name = _text(properties, f"ADM{level}_EN", f"ADM{level}_NAME", f"ADM{level}_REF")
    if not name:
        problems.append(_("It has no English name (ADM%(level)s_EN).") % {"level": level})
    names = (name, _text(properties, f"ADM{level}_AR"))
    if any(len(text) > NAME_MAX_LENGTH for text in names):
        problems.append(
            _("A name is longer than %(limit)s characters.") % {"limit": NAME_MAX_LENGTH}
        )
    if level >= 2 and not _text(properties, f"ADM{level - 1}_PCODE"):
        problems.append(
            _("It gives no p-code of its parent (ADM%(level)s_PCODE).") % {"level": level - 1}
        )
    return problems


def _geometry(value) -> tuple[object | None, str | None]:
    """The feature's geometry read by shapely, or what is wrong with it."""
    if not isinstance(value, dict):
        return None, _("It has no geometry.")
    try:
        geometry = shape(value)
    except (ValueError, TypeError, AttributeError, KeyError, IndexError):
        return None, _("Its geometry cannot be read.")
    if geometry.geom_type not in POLYGONAL:
        return None, _("Its geometry is a %(kind)s, not a polygon.") % {"kind": geometry.geom_type}
    if geometry.is_empty:
        return None, _("Its geometry is empty.")
    west, south, east, north = geometry.bounds
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        return None, _(
            "Its coordinates are not longitude and latitude (a projected file?): save it in "
            "WGS 84 (EPSG:4326)."
        )
    if not geometry.is_valid:
        return None, _("Its geometry is not valid: %(reason)s.") % {
            "reason": explain_validity(geometry)
        }
    return geometry, None


def nesting_problems(areas: dict[str, BoundaryArea], parents: dict[str, object]) -> list:
    """Each area lying outside its parent by more than ``CHILD_OUTSIDE_SHARE`` of itself.
    ``parents`` adds the boundaries of parents the file does not hold (already loaded)."""
    problems = []
    for area in areas.values():
        parent = areas.get(area.parent_pcode or "")
        outline = parent.geometry if parent else parents.get(area.parent_pcode or "")
        if outline is None:
            continue
        outside = area.geometry.difference(outline).area / area.geometry.area
        if outside > CHILD_OUTSIDE_SHARE:
            message = _("%(share)s%% of it lies outside its parent %(parent)s.") % {
                "share": round(100 * outside),
                "parent": area.parent_pcode,
            }
            problems.append(FeatureProblem(area.number, area.pcode, message))
    return problems


def simplified_outlines(geometries: dict[str, object], tolerance: float) -> dict[str, dict]:
    """The areas of one level simplified together for drawing: shared edges are simplified
    once, so neighbours keep neither gaps nor overlaps between them. Areas that do not form
    a clean coverage (overlapping neighbours) are simplified one by one instead, each kept
    valid."""
    pcodes = list(geometries)
    shapes = [geometries[pcode] for pcode in pcodes]
    simplified = list(shapely.coverage_simplify(shapes, tolerance))
    if not all(outline.is_valid and not outline.is_empty for outline in simplified):
        simplified = [shape.simplify(tolerance, preserve_topology=True) for shape in shapes]
    return {pcode: mapping(outline) for pcode, outline in zip(pcodes, simplified, strict=True)}


def outline_tolerance(geometries) -> float:
    """How much to simplify a level for drawing: a hundredth of the side of its median area,
    so that a country's governorates and its districts each keep their shape."""
    areas = sorted(geometry.area for geometry in geometries)
    return (areas[len(areas) // 2] ** 0.5) / 100 if areas else 0.0
