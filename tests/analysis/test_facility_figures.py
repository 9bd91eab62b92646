"""Issue 25, the facilities' figures, checked against the dataset computed by hand in
``tests/analysis/facility_dataset.py`` (its docstring gives every month's counts)."""

import datetime

import pytest

from analysis.facilities import NO_RECENT_DATA, facility_figures
from facilities.models import Functionality
from tests.analysis.facility_dataset import build_facilities

pytestmark = pytest.mark.django_db

JAN, FEB, MAR, APR = (datetime.date(2026, month, 1) for month in (1, 2, 3, 4))
FULLY, PARTIALLY, NOT = Functionality.FULLY, Functionality.PARTIALLY, Functionality.NOT


@pytest.fixture
def dataset(settings):
    settings.LATEST_MAX_AGE = 3
    return build_facilities()


def counts(row) -> tuple[int, int, int, int]:
    return tuple(row.count(status) for status in (FULLY, PARTIALLY, NOT, NO_RECENT_DATA))


def test_each_month_end_counts_the_latest_validated_status_not_too_old(dataset):
    figures = facility_figures.uncached(JAN, APR)

    assert [(row.key, counts(row)) for row in figures.by_month] == [
        (JAN, (2, 0, 1, 3)),
        (FEB, (2, 1, 2, 1)),
        (MAR, (1, 1, 3, 1)),
        (APR, (0, 2, 2, 2)),
    ]
    assert [row.functioning for row in figures.hospitals_by_month] == [1, 2, 1, 2]
    # Each type over time: the hospitals as above; P1 functions until its status grows old.
    by_type = {row.key.code: figures.by_type_month[row.key.pk] for row in figures.by_type}
    assert [row.functioning for row in by_type["hospital"]] == [1, 2, 1, 2]
    assert [(row.functioning, row.total) for row in by_type["phc"]] == [(1, 3)] * 3 + [(0, 3)]
    assert figures.hospitals.total == 3
    assert figures.hospitals.percent_functioning == 67


def test_the_end_of_the_range_by_type_and_by_admin1_area(dataset):
    figures = facility_figures.uncached(JAN, APR)

    assert counts(figures.total) == (0, 2, 2, 2)
    assert {row.key.code: counts(row) for row in figures.by_type} == {
        "hospital": (0, 2, 0, 1),  # H1 and H2 partially, H3 none
        "phc": (0, 0, 2, 1),  # P2 and P3 not, P1 too old
    }
    assert {row.key.name_en: counts(row) for row in figures.by_admin1} == {
        "North": (0, 1, 1, 1),  # H1, P2, H3
        "South": (0, 1, 1, 1),  # H2, P3, P1
    }


def test_a_facility_not_functioning_that_nobody_supports_is_a_gap(dataset):
    figures = facility_figures.uncached(JAN, APR)

    assert figures.unsupported == [dataset["p3"].pk]


def test_an_area_keeps_the_facilities_inside_it(dataset):
    figures = facility_figures.uncached(JAN, APR, dataset["north"])

    assert counts(figures.total) == (0, 1, 1, 1)
    assert figures.unsupported == []  # P2, in the north, is supported
