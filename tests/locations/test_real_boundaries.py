"""Issue 24, the boundaries: the loader on a real country's boundaries, not hand-drawn squares.

``fixtures/real_boundaries.geojson`` is Natural Earth's admin-1 (1:10m, public domain) of
Yemen, Oman and the United Arab Emirates in the COD-AB layout (``fixtures/README.md``,
``scripts/build_boundary_fixture.py``): the three countries at ADM1 under a region named but
not drawn, their 41 governorates, provinces and emirates at ADM2, with English and Arabic
names. The data brings what invented squares do not: islands (Socotra, Kamaran, Abu Dhabi's
thirteen parts), a governorate around the capital's (Sanaa around Amanat al-Asimah), an
enclave in an enclave (Oman's Madha inside the Emirates, the Emirates' Nahwa inside Madha),
two areas called "Sanaa", and coastlines of thousands of vertices.

Everything goes through ``admin_areas_load``, the upload page's entry. The expected names,
part counts and the cities' coordinates are written here by hand, not read from the file.
"""

import json
from pathlib import Path

import pytest
import shapely
from shapely.geometry import Point, Polygon, shape

from locations.models import AdminArea, AreaBoundary
from locations.services import admin_areas_load

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parent / "fixtures" / "real_boundaries.geojson"
DATA = FIXTURE.read_bytes()
FEATURES = json.loads(DATA)["features"]
REGION = "YE_OM_AE"
# Six decimals, as the loader stores coordinates: about 10 cm.
ROUNDING = 1e-6


def feature_pcode(item: dict) -> str:
    properties = item["properties"]
    return next(properties[f"ADM{n}_PCODE"] for n in (2, 1, 0) if f"ADM{n}_PCODE" in properties)


def stored() -> dict:
    """Each loaded area's boundary and outline, by p-code."""
    return {
        boundary.area.pcode: (shape(boundary.geometry), shape(boundary.outline))
        for boundary in AreaBoundary.objects.select_related("area")
    }


def level_of(pcode: str) -> int:
    return 0 if pcode == REGION else 1 if "-" not in pcode else 2


def parts(geometry) -> list:
    return list(getattr(geometry, "geoms", [geometry]))


def holes(geometry) -> list[Polygon]:
    return [Polygon(ring) for part in parts(geometry) for ring in part.interiors]


@pytest.fixture
def loaded():
    """The fixture loaded through the upload page's entry; the report of the load."""
    return admin_areas_load(data=DATA)


def test_every_area_is_created_with_its_english_and_arabic_names_and_its_parent(loaded):
    assert (loaded.added_count, loaded.boundaries) == (45, 44)  # the region named, not drawn
    assert loaded.summary().endswith("44 boundaries loaded.")
    areas = {
        area.pcode: (
            area.level,
            area.name_en,
            area.name_ar,
            area.parent.pcode if area.parent else None,
        )
        for area in AdminArea.objects.select_related("parent")
    }
    assert areas[REGION] == (
        0,
        "Yemen, Oman and the United Arab Emirates",
        "اليمن وعُمان والإمارات العربية المتحدة",
        None,
    )
    assert areas["YE"] == (1, "Yemen", "اليمن", REGION)
    assert areas["OM"] == (1, "Oman", "عمان", REGION)
    assert areas["AE"] == (1, "United Arab Emirates", "الإمارات العربية المتحدة", REGION)
    assert areas["YE-HD"] == (2, "Hadhramaut", "محافظة حضرموت", "YE")
    assert areas["OM-MU"] == (2, "Musandam", "محافظة مسندم", "OM")
    assert areas["AE-AZ"] == (2, "Emirate of Abu Dhabi", "إمارة أبوظبي", "AE")
    # Natural Earth calls the governorate and the capital's municipality inside it both
    # "Sanaa": the p-codes keep them apart, and the loader takes both.
    assert areas["YE-SN"] == (2, "Sanaa", "صنعاء", "YE")
    assert areas["YE-SA"] == (2, "Sanaa", "صنعاء", "YE")
    counts = {level: sum(1 for area in areas.values() if area[0] == level) for level in (0, 1, 2)}
    assert counts == {0: 1, 1: 3, 2: 21 + 11 + 9}
    for item in FEATURES:
        properties, pcode = item["properties"], feature_pcode(item)
        level = level_of(pcode)
        parent = properties.get(f"ADM{level - 1}_PCODE")
        names = (properties[f"ADM{level}_EN"], properties[f"ADM{level}_AR"])
        assert areas[pcode] == (level, *names, parent), pcode
        assert names[1], f"{pcode} has no Arabic name"
    assert AdminArea.objects.get(pcode="AE-SH").path == "/YE_OM_AE/AE/AE-SH/"


def test_each_area_keeps_its_boundary_as_the_file_draws_it(loaded):
    boundaries = stored()

    assert set(boundaries) == {feature_pcode(item) for item in FEATURES}
    assert REGION not in boundaries
    for item in FEATURES:
        pcode = feature_pcode(item)
        drawn, (kept, _outline) = shape(item["geometry"]), boundaries[pcode]
        assert kept.is_valid, pcode
        assert kept.geom_type == drawn.geom_type, pcode
        assert len(parts(kept)) == len(parts(drawn)), pcode
        assert kept.hausdorff_distance(drawn) < 2 * ROUNDING, pcode
        # Rounding moves each vertex by less than ROUNDING: the area that changes hands is
        # at most a strip that wide along the boundary.
        assert kept.symmetric_difference(drawn).area < drawn.length * ROUNDING, pcode


@pytest.mark.parametrize(
    ("pcode", "count"),
    [
        ("YE-HD", 5),  # the mainland, Socotra, Abd al Kuri, Samhah, Darsah
        ("YE-HU", 4),  # the coast, Kamaran and the islets off it
        ("YE-TA", 2),
        ("OM-ZU", 3),
        ("OM-MU", 2),  # the peninsula and Madha, an enclave inside the Emirates
        ("AE-AZ", 13),  # the mainland and its islands, the capital's among them
        ("AE-SH", 5),  # Nahwa, inside Madha, one of them
        ("YE", 9),
        ("OM", 6),
        ("AE", 14),
    ],
)
def test_a_multipolygon_keeps_all_its_islands_in_its_boundary_and_its_outline(loaded, pcode, count):
    boundary, outline = stored()[pcode]

    assert boundary.geom_type == "MultiPolygon"
    assert len(parts(boundary)) == count
    assert len(parts(outline)) == count


def test_the_holes_are_kept_and_filled_by_the_areas_inside(loaded):
    boundaries = stored()

    def filled(outer: str, *inner: str, outline: bool = False) -> float:
        """The share of the outer area's only hole that the inner areas cover."""
        which = 1 if outline else 0
        [hole] = holes(boundaries[outer][which])
        inside = shapely.union_all([boundaries[pcode][which] for pcode in inner])
        return hole.intersection(inside).area / hole.area

    # Sanaa governorate goes round the capital's municipality, Amanat al-Asimah.
    assert len(holes(boundaries["YE-SN"][0])) == 1
    assert filled("YE-SN", "YE-SA") == pytest.approx(1, abs=1e-6)
    assert not holes(boundaries["YE"][0])  # the capital's hole is filled within Yemen
    # Oman's Madha lies inside the Emirates, and the Emirates' Nahwa inside Madha: the
    # Emirates' hole is Madha, with Nahwa, a part of the Emirates again, inside it.
    assert filled("OM-MU", "AE-SH") == pytest.approx(1, abs=1e-6)
    assert filled("OM", "AE") == pytest.approx(1, abs=1e-6)
    assert 0.9 < filled("AE", "OM") < 0.95
    assert filled("AE", "OM", "AE") == pytest.approx(1, abs=1e-6)
    # The outlines drawn on the maps keep the holes, and the areas inside still fill them.
    for outer, *inner in (("YE-SN", "YE-SA"), ("OM-MU", "AE-SH"), ("OM", "AE"), ("AE", "OM", "AE")):
        assert filled(outer, *inner, outline=True) == pytest.approx(1, abs=1e-6), outer


@pytest.mark.parametrize("level", [1, 2])
def test_the_outlines_of_a_level_are_simpler_and_neighbours_still_share_their_edges(loaded, level):
    boundaries = {p: pair for p, pair in stored().items() if level_of(p) == level}
    pcodes = sorted(boundaries)
    drawn = [boundaries[pcode][0] for pcode in pcodes]
    outlines = [boundaries[pcode][1] for pcode in pcodes]

    assert all(outline.is_valid and not outline.is_empty for outline in outlines)
    # Natural Earth's 1:10m is drawn for maps already: a third or so of the vertices go.
    vertices = shapely.get_num_coordinates(outlines), shapely.get_num_coordinates(drawn)
    assert (vertices[0] <= vertices[1]).all()
    assert vertices[0].sum() < 0.8 * vertices[1].sum()
    # No overlap and no edge of one neighbour running apart from the other's, nor a gap
    # between them narrower than a kilometre or so.
    assert shapely.coverage_is_valid(outlines, gap_width=0.01)
    assert all(edges.is_empty for edges in shapely.coverage_invalid_edges(outlines, gap_width=0.01))
    # Neighbours on the ground are neighbours on the map, along a line, not at a point.
    for i, first in enumerate(pcodes):
        for j in range(i + 1, len(pcodes)):
            shared = drawn[i].boundary.intersection(drawn[j].boundary).length
            if shared > 0.01:
                edge = outlines[i].boundary.intersection(outlines[j].boundary)
                assert edge.length > shared / 2, (first, pcodes[j])
                assert outlines[i].intersection(outlines[j]).area < 1e-9, (first, pcodes[j])
    # Together they cover what the boundaries cover, with no hole the boundaries lack.
    together, outlined = shapely.union_all(drawn), shapely.union_all(outlines)
    assert len(holes(outlined)) == len(holes(together))
    assert outlined.symmetric_difference(together).area < 0.01 * together.area


def test_a_reload_changes_nothing(loaded):
    def snapshot():
        areas = list(
            AdminArea.objects.order_by("pcode").values_list(
                "pk", "pcode", "level", "parent__pcode", "name_en", "name_ar", "path"
            )
        )
        boundaries = list(
            AreaBoundary.objects.order_by("area__pcode").values_list(
                "pk", "area__pcode", "geometry", "outline"
            )
        )
        return areas, boundaries, AdminArea.history.count()

    before = snapshot()

    report = admin_areas_load(data=DATA)

    assert (report.added_count, report.renamed_count, report.unchanged) == (0, 0, 45)
    assert snapshot() == before


CITIES = [
    # (city, longitude, latitude, the admin2 and admin1 it lies in)
    ("Sanaa", 44.2067, 15.3694, "YE-SA", "YE"),
    ("Aden", 45.0187, 12.7797, "YE-AD", "YE"),
    ("Taiz", 44.0209, 13.5795, "YE-TA", "YE"),
    ("Mukalla", 49.1242, 14.5425, "YE-HD", "YE"),
    ("Hadibu, on Socotra", 54.0238, 12.6510, "YE-HD", "YE"),
    ("Kamaran island", 42.5897, 15.3411, "YE-HU", "YE"),
    ("Muscat", 58.4059, 23.5880, "OM-MA", "OM"),
    ("Salalah", 54.0924, 17.0151, "OM-ZU", "OM"),
    ("Khasab", 56.2442, 26.1799, "OM-MU", "OM"),
    ("Madha", 56.3200, 25.2830, "OM-MU", "OM"),
    ("Nahwa", 56.2833, 25.2667, "AE-SH", "AE"),
    ("Abu Dhabi, on its island", 54.3773, 24.4539, "AE-AZ", "AE"),
    ("Dubai", 55.2708, 25.2048, "AE-DU", "AE"),
    ("Sharjah", 55.4033, 25.3463, "AE-SH", "AE"),
]


@pytest.mark.parametrize(
    ("city", "longitude", "latitude", "admin2", "admin1"), CITIES, ids=[c[0] for c in CITIES]
)
def test_a_real_city_lands_in_its_area(loaded, city, longitude, latitude, admin2, admin1):
    """Every stored boundary holding the city, found by shapely: exactly its two areas, no
    overlapping neighbour. ``locations.spatial.area_at`` answers one area a level (the
    lowest p-code where boundaries overlap), so it would hide an overlap; it is tested on
    these boundaries in test_spatial.py."""
    point = Point(longitude, latitude)
    containing = sorted(
        pcode for pcode, (boundary, _outline) in stored().items() if boundary.contains(point)
    )

    assert containing == sorted([admin1, admin2])
    assert AdminArea.objects.get(pcode=admin2).parent.pcode == admin1
