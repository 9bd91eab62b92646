"""The demonstration areas: fictional Demoland, loaded through the same loader."""

import pytest

from locations import demo
from locations.models import AdminArea, AdminLevel

pytestmark = pytest.mark.django_db


def test_seed_loads_demoland_with_english_and_arabic_names():
    summary = demo.seed()

    assert "\n" not in summary
    assert "22 areas added" in summary
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

    assert "0 areas added; 0 renamed; 22 unchanged" in summary
    assert AdminArea.objects.count() == 22
