"""The demonstration areas: fictional Demoland, loaded through the same loader."""

import re

import pytest

from demo import locations as demo
from locations.models import AdminArea, AdminLevel
from tests.text import has_phrase

pytestmark = pytest.mark.django_db


def test_seed_loads_demoland_with_english_and_arabic_names():
    summary = demo.seed()

    assert "\n" not in summary
    # The country, 20 governorates, 68 districts and 3 areas of admin level 3.
    assert has_phrase(summary, "92 areas added")
    country = AdminArea.objects.get(pcode="DL")
    assert (country.name_en, country.name_ar) == ("Demoland", "ديمولاند")
    regions = AdminArea.objects.at_level(AdminLevel.ADMIN1)
    assert sorted(regions.values_list("pcode", flat=True)) == [f"DL{n:02d}" for n in range(1, 21)]
    for region in regions:
        assert 2 <= region.children.count() <= 5
    assert AdminArea.objects.at_level(AdminLevel.ADMIN2).count() == 68
    assert AdminArea.objects.at_level(AdminLevel.ADMIN3).count() == 3
    # The first four governorates, which the demo's records name, are as they were.
    first = AdminArea.objects.filter(pcode__in=["DL01", "DL02", "DL03", "DL04"])
    assert sorted(first.values_list("pcode", "name_en", "name_ar")) == [
        ("DL01", "Northern Hills", "التلال الشمالية"),
        ("DL02", "River Valley", "وادي النهر"),
        ("DL03", "Eastern Plains", "السهول الشرقية"),
        ("DL04", "Coastal Region", "المنطقة الساحلية"),
    ]
    # Every Arabic name is in Arabic letters, none left in English.
    for name in AdminArea.objects.values_list("name_ar", flat=True):
        assert re.fullmatch(r"[\u0621-\u064a ]+", name), name


def test_seeding_twice_duplicates_nothing():
    demo.seed()
    summary = demo.seed()

    assert has_phrase(summary, "0 areas added; 0 renamed; 92 unchanged")
    assert AdminArea.objects.count() == 92


def test_demoland_has_boundaries_that_fit_together_as_a_country_s_do():
    import shapely
    from shapely.geometry import shape

    from locations.models import AreaBoundary

    demo.seed()

    boundaries = {b.area.pcode: b for b in AreaBoundary.objects.select_related("area")}
    assert set(boundaries) == set(AdminArea.objects.values_list("pcode", flat=True))
    for level in (1, 2):
        shapes = [shape(b.geometry) for b in boundaries.values() if b.area.level == level]
        # Neighbours share their edges: no gap, no overlap, and together they are the country.
        assert shapely.coverage_is_valid(shapes)
        country = shape(boundaries["DL"].geometry)
        assert shapely.union_all(shapes).symmetric_difference(country).area < 1e-9
    # Invented, but not rectangles: every governorate has more than a few corners.
    for boundary in boundaries.values():
        if boundary.area.level == 1:
            assert shapely.get_num_coordinates(shape(boundary.geometry)) > 40


def test_every_governorate_is_in_one_piece_and_its_districts_tile_it():
    import shapely
    from shapely.geometry import shape

    from locations.models import AreaBoundary

    demo.seed()

    shapes = {b.area.pcode: shape(b.geometry) for b in AreaBoundary.objects.select_related("area")}
    parents = dict(AdminArea.objects.values_list("pcode", "parent__pcode"))
    for parent in [pcode for pcode, above in parents.items() if above == "DL"] + ["DL0101"]:
        children = [shapes[pcode] for pcode, above in parents.items() if above == parent]
        assert children, parent
        whole = shapes[parent]
        # One piece each, as a real governorate or district is (no stray island inland).
        assert [whole.geom_type, *{c.geom_type for c in children}] == ["Polygon", "Polygon"]
        # The children cover their parent exactly: no gap, no overlap beyond rounding.
        assert shapely.coverage_is_valid(children), parent
        assert shapely.union_all(children).symmetric_difference(whole).area < 1e-9 * whole.area
        assert sum(child.area for child in children) == pytest.approx(whole.area, rel=1e-6)


def test_demoland_has_last_year_s_population_for_every_governorate_and_district(time_machine):
    import datetime

    from locations.models import AreaPopulation

    time_machine.move_to(datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC))
    summary = demo.seed()

    assert has_phrase(summary, "88 figures added")  # 20 governorates, 68 districts
    figures = {p.area.pcode: p for p in AreaPopulation.objects.select_related("area")}
    assert {p.year for p in figures.values()} == {2025}
    governorates = [pcode for pcode in figures if len(pcode) == 4]
    assert len(governorates) == 20
    for pcode in governorates:
        districts = [p for code, p in figures.items() if len(code) == 6 and code[:4] == pcode]
        assert districts
        # A governorate's population is its districts' (the file says so).
        assert sum(p.total for p in districts) == figures[pcode].total
    assert has_phrase(demo.seed(), "0 figures added")
