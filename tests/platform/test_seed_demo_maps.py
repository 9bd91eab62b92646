"""``seed_demo`` gives the maps a country: Demoland's twenty governorates, most of them with
partners on the home page's map, every one with a hospital and the findings of the country's
situation analysis."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command

from assessments.models import AssessmentStatus, Finding
from facilities.models import Facility
from locations.models import AdminArea, AdminLevel
from tests.assessments.workflow_helpers import domains

pytestmark = pytest.mark.django_db

# As the other seed_demo tests: mid-March 2027.
SEEDED_AT = datetime.datetime(2027, 3, 17, 12, 0, tzinfo=datetime.UTC)
FIRST_FOUR = {"Northern Hills", "River Valley", "Eastern Plains", "Coastal Region"}


@pytest.fixture
def seeded(time_machine):
    time_machine.move_to(SEEDED_AT)
    domains()
    call_command("seed_demo", stdout=StringIO())


def _map_titles(page: str, caption: str) -> dict[str, str]:
    """Each area's name and what the map says of it, from the shapes' titles."""
    start = page.index(f'aria-labelledby="{caption}"')
    svg = page[page.index("<svg", start) : page.index("</svg>", start)]
    return dict(title.rsplit(": ", 1) for title in re.findall(r"<title>(.*?)</title>", svg))


def test_the_home_page_map_shows_partners_in_most_governorates(seeded, client):
    page = client.get("/en/").content.decode()

    shown = _map_titles(page, "map-presence-caption")
    assert len(shown) == 20
    present = {name for name, value in shown.items() if value.isdigit()}
    # The first four governorates and half of the others; a few remote ones have no partner,
    # and none is withheld from the public for too few partners.
    assert present >= FIRST_FOUR
    assert len(present - FIRST_FOUR) >= 8
    assert {value for name, value in shown.items() if name not in present} == {"no data"}
    # Nor is the year's figure of people reached: no month of any area has too few partners.
    figure = re.search(r'id="figure-people">(.*?)</p>', page, re.DOTALL).group(1)
    assert re.fullmatch(r"[\d,]+", re.sub(r"<[^>]+>", "", figure).strip())


def test_every_governorate_has_a_hospital_and_findings_of_the_situation_analysis(seeded):
    governorates = list(AdminArea.objects.at_level(AdminLevel.ADMIN1))
    assert len(governorates) == 20
    published = Finding.objects.filter(assessment__status=AssessmentStatus.PUBLISHED)
    for governorate in governorates:
        hospitals = Facility.objects.filter(
            type__is_hospital=True, area__path__startswith=governorate.path
        )
        assert hospitals.exists(), governorate.pcode
        assert published.filter(area=governorate).exists(), governorate.pcode
