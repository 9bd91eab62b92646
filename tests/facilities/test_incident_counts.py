"""The public counts of attacks on health care, against a dataset counted by hand.

Two admin1 areas (North, with an admin2 area; South, with an admin2 and an admin3 area), two
months (March and April 2025), incidents of one to three types; a reported and a dismissed
incident, and verified ones just before and after the range, which must not count.
"""

import datetime

import pytest

from facilities.incident_selectors import public_counts
from facilities.models import IncidentState
from locations.models import AdminLevel
from tests.facilities.incident_factories import district, incident
from tests.factories import AdminAreaFactory

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2025, 3, 1)
APRIL = datetime.date(2025, 4, 1)
CASUALTIES = (
    "health_workers_killed",
    "health_workers_injured",
    "patients_killed",
    "patients_injured",
)


def _people(hwk=0, hwi=0, pk=0, pi=0) -> dict:
    return dict(zip(CASUALTIES, (hwk, hwi, pk, pi), strict=True))


@pytest.fixture
def areas(world) -> dict:
    north = world.area
    south = AdminAreaFactory(pcode="ZZ02", name_en="South")
    south_district = district(south, "ZZ0201")
    return {
        "north": north,
        "north_district": district(north, "ZZ0101"),
        "south": south,
        "south_district": south_district,
        "south_subdistrict": AdminAreaFactory(
            pcode="ZZ020101", level=AdminLevel.ADMIN3, parent=south_district
        ),
    }


@pytest.fixture
def dataset(areas) -> dict:
    a = areas
    day = datetime.date
    incident(
        area=a["north"],
        date=day(2025, 3, 3),
        types=("heavy-weapons", "fire"),
        **_people(hwk=1, hwi=2, pi=3),
    )
    incident(
        area=a["north_district"],
        date=day(2025, 3, 31),
        types=("heavy-weapons",),
        **_people(hwi=1, pk=2),
    )
    incident(
        area=a["south_subdistrict"],
        date=day(2025, 3, 15),
        types=("threat", "obstruction", "other"),
        **_people(pi=1),
    )
    incident(
        area=a["south"],
        date=day(2025, 4, 1),
        types=("individual-weapons",),
        **_people(hwk=2, pk=1, pi=4),
    )
    incident(
        area=a["south_district"],
        date=day(2025, 4, 30),
        types=("individual-weapons", "assault"),
        **_people(hwi=3),
    )
    incident(area=a["north"], date=day(2025, 4, 10), types=("fire",), **_people(pk=5))
    # Not counted: to be verified, dismissed, before and after the range.
    incident(
        area=a["north"],
        date=day(2025, 3, 10),
        state=IncidentState.REPORTED,
        **_people(hwk=9, hwi=9),
    )
    incident(
        area=a["south"],
        date=day(2025, 4, 12),
        types=("fire",),
        state=IncidentState.DISMISSED,
        **_people(pk=7, pi=7),
    )
    incident(area=a["north"], date=day(2025, 2, 28), types=("fire",), **_people(hwk=4))
    incident(area=a["south"], date=day(2025, 5, 1), types=("fire",))
    return areas


def _cells(counts) -> dict:
    return {
        (cell.month, cell.admin1.pcode): (
            cell.incidents,
            *(getattr(cell, name) for name in CASUALTIES),
            cell.by_type,
        )
        for cell in counts.cells
    }


def test_the_cells_are_counted_by_month_and_admin1_area(dataset):
    counts = public_counts(MARCH, APRIL)
    assert _cells(counts) == {
        (MARCH, "ZZ01"): (2, 1, 3, 2, 3, {"heavy-weapons": 2, "fire": 1}),
        (MARCH, "ZZ02"): (1, 0, 0, 0, 1, {"threat": 1, "obstruction": 1, "other": 1}),
        (APRIL, "ZZ01"): (1, 0, 0, 5, 0, {"fire": 1}),
        (APRIL, "ZZ02"): (2, 2, 3, 1, 4, {"individual-weapons": 2, "assault": 1}),
    }
    # By month, then p-code.
    assert [(cell.month, cell.admin1.pcode) for cell in counts.cells] == [
        (MARCH, "ZZ01"),
        (MARCH, "ZZ02"),
        (APRIL, "ZZ01"),
        (APRIL, "ZZ02"),
    ]


def test_the_totals_count_each_incident_once_and_each_of_its_types_once(dataset):
    counts = public_counts(MARCH, APRIL)
    assert counts.incidents == 6
    assert counts.totals() == {"incidents": 6, **_people(hwk=3, hwi=6, pk=8, pi=8)}
    by_type = counts.by_type()
    assert list(by_type)[:3] == ["individual-weapons", "heavy-weapons", "threat"]  # SSA's order
    assert len(by_type) == 14
    assert {code: count for code, count in by_type.items() if count} == {
        "heavy-weapons": 2,
        "fire": 2,
        "threat": 1,
        "obstruction": 1,
        "other": 1,
        "individual-weapons": 2,
        "assault": 1,
    }
    assert sum(by_type.values()) == 10  # more than the incidents: several types each


def test_the_totals_by_month_and_by_admin1_area(dataset):
    counts = public_counts(MARCH, APRIL)
    assert counts.by_month() == {
        MARCH: {"incidents": 3, **_people(hwk=1, hwi=3, pk=2, pi=4)},
        APRIL: {"incidents": 3, **_people(hwk=2, hwi=3, pk=6, pi=4)},
    }
    assert [(area.pcode, totals) for area, totals in counts.by_admin1()] == [
        ("ZZ01", {"incidents": 3, **_people(hwk=1, hwi=3, pk=7, pi=3)}),
        ("ZZ02", {"incidents": 3, **_people(hwk=2, hwi=3, pk=1, pi=5)}),
    ]


def test_a_month_without_incidents_counts_zero(dataset):
    counts = public_counts(datetime.date(2025, 6, 1), datetime.date(2025, 7, 1))
    assert counts.cells == []
    assert counts.incidents == 0
    assert counts.by_month() == {
        datetime.date(2025, 6, 1): {"incidents": 0, **_people()},
        datetime.date(2025, 7, 1): {"incidents": 0, **_people()},
    }


def test_any_day_of_the_first_and_last_months_means_the_whole_months(dataset):
    counts = public_counts(datetime.date(2025, 3, 20), datetime.date(2025, 3, 5))
    assert counts.first_month == counts.last_month == MARCH
    assert counts.incidents == 3


def test_an_admin1_area_narrows_the_counts_to_it(dataset):
    counts = public_counts(MARCH, APRIL, area=dataset["south"])
    assert {cell.admin1.pcode for cell in counts.cells} == {"ZZ02"}
    assert counts.incidents == 3
    country = dataset["north"].parent
    assert public_counts(MARCH, APRIL, area=country).incidents == 6


def test_the_public_never_gets_counts_below_admin1(dataset):
    with pytest.raises(ValueError, match="admin1"):
        public_counts(MARCH, APRIL, area=dataset["south_district"])


def test_the_counts_are_four_queries_whatever_the_data(dataset, django_assert_num_queries):
    with django_assert_num_queries(4):
        public_counts(MARCH, APRIL)
    for day in range(1, 20):
        incident(
            area=dataset["south_district"],
            date=datetime.date(2025, 4, day),
            types=("fire", "search"),
        )
    with django_assert_num_queries(4) as captured:
        counts = public_counts(MARCH, APRIL)
    assert counts.incidents == 25
    # The grouping is SQL's: no query reads the incidents one by one.
    assert all("GROUP BY" in query["sql"] for query in captured.captured_queries[:2])
