"""The latest-value rule, checked against a dataset worked out by hand.

LATEST_MAX_AGE is 3: on a day, a facility's status is its newest validated status dated that
day or before whose month is at most three months before that day's month (on 31 March a
status of 1 December counts, on 1 April it no longer does); otherwise "no recent data".

  A (closes and reopens): 10 Jan fully, 5 Mar not, 2 Apr partially; 20 Apr "not" submitted,
    never validated: ignored
  B (no coordinates):     1 Feb partially; 25 Feb fully, returned: ignored
  C (too old by April):   15 Dec 2025 fully
  D:                      no status at all
  E (two on one day):     10 Mar "not", then 10 Mar partially: the one recorded last counts

             A          B          C        D     E
  31 Dec     -          -          fully    -     -
  31 Jan     fully      -          fully    -     -
  4 Mar      fully      partially  fully    -     -
  15 Mar     not        partially  fully    -     partially
  31 Mar     not        partially  fully    -     partially
  1 Apr      not        partially  -        -     partially
  2 Apr      partially  partially  -        -     partially
  30 Apr     partially  partially  -        -     partially
"""

import datetime

import pytest
from django.db import connection

from facilities.models import Facility, Functionality, ReviewState
from facilities.selectors import current_status, oldest_counted, with_current_status
from tests.facilities.factories import FacilityFactory, StatusFactory

pytestmark = pytest.mark.django_db

FULLY, PARTIALLY, NOT = Functionality.FULLY, Functionality.PARTIALLY, Functionality.NOT
EXPECTED = {
    datetime.date(2025, 12, 31): {"A": None, "B": None, "C": FULLY, "D": None, "E": None},
    datetime.date(2026, 1, 31): {"A": FULLY, "B": None, "C": FULLY, "D": None, "E": None},
    datetime.date(2026, 3, 4): {"A": FULLY, "B": PARTIALLY, "C": FULLY, "D": None, "E": None},
    datetime.date(2026, 3, 15): {"A": NOT, "B": PARTIALLY, "C": FULLY, "D": None, "E": PARTIALLY},
    datetime.date(2026, 3, 31): {"A": NOT, "B": PARTIALLY, "C": FULLY, "D": None, "E": PARTIALLY},
    datetime.date(2026, 4, 1): {
        "A": NOT,
        "B": PARTIALLY,
        "C": None,
        "D": None,
        "E": PARTIALLY,
    },
    datetime.date(2026, 4, 2): {
        "A": PARTIALLY,
        "B": PARTIALLY,
        "C": None,
        "D": None,
        "E": PARTIALLY,
    },
    datetime.date(2026, 4, 30): {
        "A": PARTIALLY,
        "B": PARTIALLY,
        "C": None,
        "D": None,
        "E": PARTIALLY,
    },
}


@pytest.fixture
def facilities(settings) -> dict[str, Facility]:
    settings.LATEST_MAX_AGE = 3
    found = {
        name: FacilityFactory(
            code=name,
            longitude=None if name == "B" else 35,
            latitude=None if name == "B" else 32,
        )
        for name in "ABCDE"
    }

    def status(name, month, day, functionality, state=ReviewState.VALIDATED, year=2026):
        StatusFactory(
            facility=found[name],
            as_of=datetime.date(year, month, day),
            functionality=functionality,
            state=state,
        )

    status("A", 1, 10, FULLY)
    status("A", 3, 5, NOT)
    status("A", 4, 2, PARTIALLY)
    status("A", 4, 20, NOT, ReviewState.SUBMITTED)
    status("B", 2, 1, PARTIALLY)
    status("B", 2, 25, FULLY, ReviewState.RETURNED)
    status("C", 12, 15, FULLY, year=2025)
    status("E", 3, 10, NOT)
    status("E", 3, 10, PARTIALLY)
    return found


def _read(facilities: dict[str, Facility], on: datetime.date) -> dict[str, str | None]:
    found = current_status(Facility.objects.all(), on=on)
    return {
        name: (found[facility.pk].functionality if facility.pk in found else None)
        for name, facility in facilities.items()
    }


@pytest.mark.parametrize("on", list(EXPECTED), ids=str)
def test_the_current_status_follows_the_latest_value_rule(facilities, on):
    assert _read(facilities, on) == EXPECTED[on]


@pytest.mark.parametrize("on", list(EXPECTED), ids=str)
def test_the_rule_without_distinct_on_gives_the_same(facilities, on, monkeypatch):
    """SQLite (the demo's ``make run``) has no DISTINCT ON: a window function instead."""
    monkeypatch.setattr(connection.features, "can_distinct_on_fields", False)
    assert _read(facilities, on) == EXPECTED[on]


@pytest.mark.parametrize("on", list(EXPECTED), ids=str)
def test_the_annotation_gives_the_same(facilities, on):
    annotated = with_current_status(Facility.objects.all(), on=on)
    found = {facility.code: facility.current_functionality for facility in annotated}
    assert found == EXPECTED[on]
    no_data = with_current_status(Facility.objects.all(), on=on).filter(
        current_functionality__isnull=True
    )
    assert {facility.code for facility in no_data} == {
        name for name, value in EXPECTED[on].items() if value is None
    }


def test_the_status_read_is_the_record_itself(facilities):
    found = current_status([facilities["A"]], on=datetime.date(2026, 3, 15))
    status = found[facilities["A"].pk]
    assert status.as_of == datetime.date(2026, 3, 5)
    assert status.causes == ["utilities"]


def test_many_facilities_are_read_in_one_query(facilities, django_assert_num_queries):
    FacilityFactory.create_batch(3)
    with django_assert_num_queries(1):
        by_queryset = current_status(Facility.objects.all(), on=datetime.date(2026, 4, 30))
    with django_assert_num_queries(1):
        by_ids = current_status(
            [facility.pk for facility in facilities.values()], on=datetime.date(2026, 4, 30)
        )
    assert by_queryset == by_ids
    assert len(by_ids) == 3


def test_no_facility_asks_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert current_status([]) == {}


def test_a_shorter_maximum_age_drops_older_statuses(facilities, settings):
    settings.LATEST_MAX_AGE = 1
    assert _read(facilities, datetime.date(2026, 4, 30)) == {
        "A": PARTIALLY,
        "B": None,
        "C": None,
        "D": None,
        "E": PARTIALLY,
    }


@pytest.mark.parametrize(
    ("on", "oldest"),
    [
        (datetime.date(2026, 3, 31), datetime.date(2025, 12, 1)),
        (datetime.date(2026, 4, 1), datetime.date(2026, 1, 1)),
        (datetime.date(2026, 1, 15), datetime.date(2025, 10, 1)),
    ],
)
def test_the_oldest_day_counted_is_the_first_of_a_month(settings, on, oldest):
    settings.LATEST_MAX_AGE = 3
    assert oldest_counted(on) == oldest
