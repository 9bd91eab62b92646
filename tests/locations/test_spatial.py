"""Issue 24, the spatial questions (``locations/spatial.py``) on real boundaries: Natural
Earth's Yemen, Oman and United Arab Emirates (``fixtures/README.md``), loaded through
``admin_areas_load``. Level 1 holds the three countries, level 2 their 41 governorates,
provinces and emirates; the region at level 0 has no boundary.

The cities' coordinates and the neighbours are written here by hand from the geography, and
checked against the data where Natural Earth's drawing differs from the ground (said where).
"""

import json
import math
import re
from decimal import Decimal
from pathlib import Path

import pytest
import shapely
from django.db import connection
from django.test.utils import CaptureQueriesContext
from shapely.geometry import Point, shape

from locations.models import AdminArea, AreaBoundary
from locations.services import admin_areas_load
from locations.spatial import area_at, areas_at, neighbours

pytestmark = pytest.mark.django_db

DATA = (Path(__file__).parent / "fixtures" / "real_boundaries.geojson").read_bytes()


@pytest.fixture
def loaded():
    admin_areas_load(data=DATA)


def pcode(area: AdminArea | None) -> str | None:
    return area.pcode if area else None


def neighbour_pcodes(code: str) -> list[str]:
    return [area.pcode for area in neighbours(AdminArea.objects.get(pcode=code))]


PLACES = [
    # (place, longitude, latitude, the admin2 and the admin1 it lies in)
    ("Sanaa, the capital", 44.2067, 15.3694, "YE-SA", "YE"),
    ("Aden", 45.0187, 12.7797, "YE-AD", "YE"),
    ("Muscat, the capital", 58.4059, 23.5880, "OM-MA", "OM"),
    ("Abu Dhabi, the capital on its island", 54.3773, 24.4539, "AE-AZ", "AE"),
    ("Salalah", 54.0924, 17.0151, "OM-ZU", "OM"),
    ("Hadibu, on Socotra", 54.0238, 12.6510, "YE-HD", "YE"),
    ("Kamaran island", 42.5897, 15.3411, "YE-HU", "YE"),
    ("Perim island, in the strait", 43.41, 12.66, "YE-TA", "YE"),
    # South Sharqiyah's island; Natural Earth codes the governorate OM-SH.
    ("Masirah island, its middle", 58.78, 20.43, "OM-SH", "OM"),
    ("Dalma island", 52.31, 24.50, "AE-AZ", "AE"),
    # Oman's Madha lies inside the Emirates, and Sharjah's Nahwa inside Madha.
    ("Madha, Oman's enclave", 56.3200, 25.2830, "OM-MU", "OM"),
    ("Nahwa, the enclave in the enclave", 56.2833, 25.2667, "AE-SH", "AE"),
]


@pytest.mark.parametrize(
    ("place", "longitude", "latitude", "admin2", "admin1"), PLACES, ids=[p[0] for p in PLACES]
)
def test_a_place_lies_in_its_deepest_area_and_in_its_country(
    loaded, place, longitude, latitude, admin2, admin1
):
    assert pcode(area_at(longitude, latitude)) == admin2
    assert pcode(area_at(longitude, latitude, level=2)) == admin2
    assert pcode(area_at(longitude, latitude, level=1)) == admin1


def test_a_level_without_boundaries_holds_no_point(loaded):
    assert pcode(area_at(44.2067, 15.3694)) == "YE-SA"
    assert area_at(44.2067, 15.3694, level=0) is None  # the region is named, not drawn
    assert area_at(44.2067, 15.3694, level=3) is None


@pytest.mark.parametrize(
    ("longitude", "latitude"),
    [
        (47.0, 12.5),  # the Gulf of Aden
        (62.0, 15.0),  # the Arabian Sea
        (46.7, 24.7),  # Riyadh: a country that is not loaded
        (-180, -90),  # the limits themselves are coordinates
        (180, 90),
    ],
)
def test_a_point_outside_every_boundary_is_in_no_area(loaded, longitude, latitude):
    assert area_at(longitude, latitude) is None
    assert area_at(longitude, latitude, level=1) is None


def test_a_point_on_a_shared_border_goes_to_the_lowest_pcode(loaded):
    # A vertex of the border between Aden and Lahij, as stored (six decimals).
    assert pcode(area_at(44.527804, 12.803637)) == "YE-AD"
    # Where Dubai's Hatta, Sayh Mudayrah, Al Batinah North and Al Buraimi meet, at the
    # border of the Emirates and Oman.
    corner = Point(56.07627, 24.729972)
    meeting = [
        boundary.area.pcode
        for boundary in AreaBoundary.objects.select_related("area")
        if shape(boundary.geometry).intersects(corner)
    ]
    assert sorted(meeting) == ["AE", "AE-DU", "AE-X02", "OM", "OM-BA", "OM-BU"]
    assert pcode(area_at(corner.x, corner.y)) == "AE-DU"
    assert pcode(area_at(corner.x, corner.y, level=1)) == "AE"
    assert [pcode(a) for a in areas_at([(corner.x, corner.y)] * 3)] == ["AE-DU"] * 3


def test_coordinates_given_as_decimals_are_read(loaded):
    assert pcode(area_at(Decimal("44.2067"), Decimal("15.3694"))) == "YE-SA"


@pytest.mark.parametrize(
    ("longitude", "latitude", "message"),
    [
        (180.5, 15, "The longitude must be between -180 and 180, not 180.5."),
        (-181, 15, "The longitude must be between -180 and 180, not -181."),
        (44, 90.000001, "The latitude must be between -90 and 90, not 90.000001."),
        (44, -91, "The latitude must be between -90 and 90, not -91."),
        (math.nan, 15, "The longitude must be between -180 and 180, not nan."),
        (44, math.inf, "The latitude must be between -90 and 90, not inf."),
        ("44.2", 15, "The longitude must be a number, not '44.2'."),
        (44, None, "The latitude must be a number, not None."),
        (True, 15, "The longitude must be a number, not True."),
    ],
)
def test_what_is_not_a_longitude_and_a_latitude_is_refused(loaded, longitude, latitude, message):
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        area_at(longitude, latitude)
    with pytest.raises(ValueError, match=re.escape(message)):
        areas_at([(44.2067, 15.3694), (longitude, latitude)])


def test_a_reload_of_boundaries_is_seen_by_the_next_lookup(loaded):
    west_of_sanaa, sanaa = (44.0, 15.3), (44.2067, 15.3694)
    assert pcode(area_at(*west_of_sanaa)) == "YE-SN"
    assert pcode(area_at(*sanaa)) == "YE-SA"
    # The capital's municipality redrawn as a square west of the city, over Sanaa governorate.
    square = [[43.9, 15.2], [44.1, 15.2], [44.1, 15.4], [43.9, 15.4], [43.9, 15.2]]
    moved = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {
                    "ADM1_PCODE": "YE",
                    "ADM1_EN": "Yemen",
                    "ADM2_PCODE": "YE-SA",
                    "ADM2_EN": "Sanaa",
                },
                "geometry": {"type": "Polygon", "coordinates": [square]},
            }
        ],
    }

    admin_areas_load(data=json.dumps(moved).encode())

    assert pcode(area_at(*west_of_sanaa)) == "YE-SA"  # "YE-SA" before "YE-SN"
    # The city is now in the hole Sanaa governorate keeps for it, in no area of level 2.
    assert pcode(area_at(*sanaa)) == "YE"
    assert area_at(*sanaa, level=2) is None


def test_a_second_lookup_reads_no_boundary_again(loaded, django_assert_num_queries):
    area_at(44.2067, 15.3694)

    with django_assert_num_queries(2):  # the boundaries' version, then the area
        assert pcode(area_at(58.4059, 23.5880)) == "OM-MA"
    with django_assert_num_queries(1):  # in the sea, no area to read
        assert area_at(47.0, 12.5) is None


def grid(count_x: int, count_y: int) -> list[tuple[float, float]]:
    """Points evenly over the three countries and the seas around them."""
    return [
        (42 + 18 * i / (count_x - 1), 12 + 15 * j / (count_y - 1))
        for i in range(count_x)
        for j in range(count_y)
    ]


@pytest.mark.parametrize("level", [None, 1, 2])
def test_many_points_at_once_land_where_each_lands_alone(loaded, level):
    points = grid(20, 15)

    together = [pcode(area) for area in areas_at(points, level=level)]

    assert together == [pcode(area_at(x, y, level=level)) for x, y in points]
    assert None in together
    assert len(set(together)) > (3 if level == 1 else 15)


def test_placing_a_thousand_points_takes_as_many_queries_as_one(loaded):
    points = grid(40, 25)
    area_at(47.0, 12.5)  # in the sea: every level's boundaries read, once

    with CaptureQueriesContext(connection) as one:
        assert pcode(area_at(44.2067, 15.3694)) == "YE-SA"
    with CaptureQueriesContext(connection) as thousand:
        found = areas_at(points)

    assert len(points) == len(found) == 1000
    assert len(thousand) == len(one) == 2


def test_no_point_at_all_is_no_area(loaded):
    assert areas_at([]) == []


@pytest.mark.parametrize(
    ("area", "expected"),
    [
        # The capital's municipality, an enclave in Sanaa governorate.
        ("YE-SA", ["YE-SN"]),
        # Yemen's eastern governorate: Hadhramaut to the west, Oman's Dhofar to the east
        # (Saudi Arabia, to the north, is not loaded).
        ("YE-MR", ["OM-ZU", "YE-HD"]),
        # Saada to the north, Al Jawf to the east, Sanaa to the south, Al Mahwit and Hajjah
        # to the west.
        ("YE-AM", ["YE-HJ", "YE-JA", "YE-MW", "YE-SD", "YE-SN"]),
        # On the ground Aden also borders Abyan to the east; Natural Earth draws Lahij
        # reaching the sea between them (1.4 km wide), and the answer is the data's.
        ("YE-AD", ["YE-LA"]),
        # Between Sharjah (Al Hamriyah cuts it off from Ajman) and Ras al-Khaimah.
        ("AE-UQ", ["AE-RK", "AE-SH"]),
        # Oman's Musandam: the peninsula against Ras al-Khaimah, Fujairah and Sharjah at
        # Dibba, and Madha inside Sharjah and Fujairah.
        ("OM-MU", ["AE-FU", "AE-RK", "AE-SH"]),
        # The countries: Oman between Yemen and the Emirates.
        ("YE", ["OM"]),
        ("OM", ["AE", "YE"]),
        ("AE", ["OM"]),
    ],
)
def test_the_neighbours_of_an_area_are_those_it_shares_a_border_with(loaded, area, expected):
    assert neighbour_pcodes(area) == expected


def test_areas_meeting_at_a_single_point_are_not_neighbours(loaded):
    boundaries = {
        b.area.pcode: shape(b.geometry) for b in AreaBoundary.objects.select_related("area")
    }
    # Dubai and Al Buraimi touch only at the corner where four areas meet.
    assert boundaries["AE-DU"].intersection(boundaries["OM-BU"]).geom_type == "Point"

    dubai = neighbour_pcodes("AE-DU")

    assert "OM-BU" not in dubai
    assert "AE-DU" not in neighbour_pcodes("OM-BU")
    assert {"AE-AZ", "AE-SH", "OM-BA"} <= set(dubai)


def test_neighbours_are_mutual_and_of_the_same_level(loaded):
    areas = {area.pcode: area for area in AdminArea.objects.filter(level=2)}
    found = {code: {a.pcode for a in neighbours(area)} for code, area in areas.items()}

    for code, bordering in found.items():
        assert bordering, code  # no governorate here is an island alone
        assert code not in bordering
        assert bordering <= set(areas), code
        for other in bordering:
            assert code in found[other], (code, other)


def test_an_area_without_a_boundary_has_no_neighbours(loaded):
    assert neighbour_pcodes("YE_OM_AE") == []


def test_the_full_boundary_decides_not_the_outline_for_drawing(loaded):
    """Near a border the simplified outline and the boundary can disagree; the lookup
    follows the boundary."""
    boundaries = list(AreaBoundary.objects.select_related("area").filter(area__level=2))
    drawn = [shape(b.geometry) for b in boundaries]
    outlines = [shape(b.outline) for b in boundaries]
    # A place inside one area's boundary but only in another's outline.
    for i, boundary in enumerate(boundaries):
        differ = outlines[i].difference(drawn[i])
        if differ.is_empty or differ.area == 0:
            continue
        point = differ.representative_point()
        owners = [j for j, geometry in enumerate(drawn) if geometry.covers(point)]
        if owners:
            expected = min(boundaries[j].area.pcode for j in owners)
            assert pcode(area_at(point.x, point.y, level=2)) == expected
            assert expected != boundary.area.pcode
            return
    pytest.fail("no outline reaches over a neighbour's boundary")  # pragma: no cover


def test_many_points_lookup_follows_shapely(loaded):
    """A check of the lookup against shapely's plain answer on every point of the grid."""
    points = grid(40, 25)
    boundaries = list(AreaBoundary.objects.select_related("area").filter(area__level=2))
    geometries = [shape(b.geometry) for b in boundaries]
    tree = shapely.STRtree(geometries)

    found = [pcode(area) for area in areas_at(points, level=2)]

    for (x, y), code in zip(points, found, strict=True):
        owners = sorted(
            boundaries[i].area.pcode for i in tree.query(Point(x, y), predicate="intersects")
        )
        assert code == (owners[0] if owners else None), (x, y)
