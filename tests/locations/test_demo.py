"""The demonstration areas: fictional Demoland, loaded through the same loader."""

import pytest

from demo import locations as demo
from locations.models import AdminArea, AdminLevel
from tests.text import has_phrase

pytestmark = pytest.mark.django_db


def test_seed_loads_demoland_with_english_and_arabic_names():
    summary = demo.seed()

    assert "\n" not in summary
    assert has_phrase(summary, "22 areas added")
    country = AdminArea.objects.get(pcode="DL")
    assert (country.name_en, country.name_ar) == ("Demoland", "ديمولاند")
    regions = AdminArea.objects.at_level(AdminLevel.ADMIN1)
    assert regions.count() == 4
    for region in regions:
        assert 3 <= region.children.count() <= 4
    assert AdminArea.objects.at_level(AdminLevel.ADMIN3).count() == 3
    assert not AdminArea.objects.filter(name_ar="").exists()


def test_seeding_twice_duplicates_nothing():
    demo.seed()
    summary = demo.seed()

    assert has_phrase(summary, "0 areas added; 0 renamed; 22 unchanged")
    assert AdminArea.objects.count() == 22


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
    for pcode in ("DL01", "DL02", "DL03", "DL04"):
        assert shapely.get_num_coordinates(shape(boundaries[pcode].geometry)) > 40


def test_demoland_has_last_year_s_population_for_every_governorate_and_district(time_machine):
    import datetime

    from locations.models import AreaPopulation

    time_machine.move_to(datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC))
    summary = demo.seed()

    assert has_phrase(summary, "18 figures added")  # 4 governorates, 14 districts
    figures = {p.area.pcode: p for p in AreaPopulation.objects.select_related("area")}
    assert {p.year for p in figures.values()} == {2025}
    for pcode in ("DL01", "DL02", "DL03", "DL04"):
        districts = [p for code, p in figures.items() if len(code) == 6 and code[:4] == pcode]
        # A governorate's population is its districts' (the file says so; checked by hand).
        assert sum(p.total for p in districts) == figures[pcode].total
    assert has_phrase(demo.seed(), "0 figures added")
