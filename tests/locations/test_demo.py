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
