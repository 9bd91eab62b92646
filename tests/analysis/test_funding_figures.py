"""Issue 26: the cluster's funding, required against received, on the hand-computed projects
of ``tests/analysis/funding_dataset.py`` (its docstring has the arithmetic)."""

import pytest

from analysis import funding, public
from partners.disclosure import SMALL, WITHHELD, Withheld
from tests.analysis.funding_dataset import (
    FIRST_MONTH,
    JULY_10_2026,
    LAST_MONTH,
    build_funding,
    build_funding_more,
    share_p3_with_north,
    share_p3_with_south,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(time_machine):
    time_machine.move_to(JULY_10_2026)
    return build_funding()


def figures():
    return funding.funding_figures.uncached(FIRST_MONTH, LAST_MONTH)


def plain(row) -> tuple:
    return (row.required, row.received, row.gap, row.percent, row.projects)


def test_the_total_counts_accepted_projects_with_their_funding_as_of_the_range_end(data):
    found = figures()

    assert found.last_day.isoformat() == "2026-06-30"
    # P1 5,000,000 (its July update comes after 30 June), P2 12,000,000, P3 0, P4 10,000,000;
    # the cancelled, the submitted and the ended projects are left out.
    assert plain(found.total) == (43_000_000, 27_000_000, 16_000_000, 63, 4)
    assert found.total.organisations == 4


def test_by_type_of_organisation(data):
    rows = {row.key: plain(row) for row in figures().by_type}

    assert rows == {
        "un": (20_000_000, 12_000_000, 8_000_000, 60, 1),
        # P4 received more than required: the type's gap is what is left, 3,000,000.
        "ingo": (18_000_000, 15_000_000, 3_000_000, 83, 2),
        "nngo": (5_000_000, 0, 5_000_000, 0, 1),
    }
    assert [row.key for row in figures().by_type] == ["un", "ingo", "nngo"]


def test_by_objective_through_the_shares_with_the_rest_not_broken_down(data):
    rows = figures().by_objective

    assert [(row.key.code if row.key else None, plain(row)) for row in rows] == [
        ("SO1", (26_000_000, 15_000_000, 11_000_000, 58, 2)),
        ("SO2", (12_000_000, 12_000_000, 0, 100, 2)),
        (None, (5_000_000, 0, 5_000_000, 0, 1)),
    ]
    assert sum(row.required for row in rows) == figures().total.required
    assert sum(row.received for row in rows) == figures().total.received


def test_by_admin1_area_with_admin2_shares_rolled_up(data):
    rows = figures().by_admin1

    assert [(row.key.pcode if row.key else None, plain(row)) for row in rows] == [
        ("QQ1", (24_000_000, 19_000_000, 5_000_000, 79, 3)),
        ("QQ2", (14_000_000, 8_000_000, 6_000_000, 57, 2)),
        (None, (5_000_000, 0, 5_000_000, 0, 1)),
    ]
    assert [row.organisations for row in rows] == [3, 2, 1]
    assert sum(row.required for row in rows) == 43_000_000
    assert sum(row.received for row in rows) == 27_000_000


def test_the_public_sees_the_total_and_north_but_not_the_small_parts(data):
    total, rows = public.funding(figures())

    assert plain(total) == (43_000_000, 27_000_000, 16_000_000, 63, 4)
    assert [(row.key.pcode if row.key else None, row.required) for row in rows] == [
        ("QQ1", 24_000_000),
        ("QQ2", Withheld(SMALL)),
        (None, Withheld(SMALL)),
    ]
    assert {row.received for row in rows[1:]} == {Withheld(SMALL)}


def test_the_public_sees_the_total_once_every_part_has_three_organisations(data):
    share_p3_with_south(data)

    total, rows = public.funding(figures())

    assert plain(total) == (43_000_000, 27_000_000, 16_000_000, 63, 4)
    # South: 14,000,000 + P3's 5,000,000 = 19,000,000 required, 8,000,000 received.
    assert [(row.key.pcode, row.required, row.received) for row in rows] == [
        ("QQ1", 24_000_000, 19_000_000),
        ("QQ2", 19_000_000, 8_000_000),
    ]


def test_one_small_part_is_withheld_with_the_smallest_other(data):
    share_p3_with_north(data)

    total, rows = public.funding(figures())

    assert plain(total) == (43_000_000, 27_000_000, 16_000_000, 63, 4)
    assert [(row.key.pcode, row.required) for row in rows] == [
        ("QQ1", Withheld(WITHHELD)),
        ("QQ2", Withheld(SMALL)),
    ]


def test_the_cluster_total_alone_takes_one_query(data, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = funding.cluster_funding.uncached(FIRST_MONTH, LAST_MONTH)

    assert plain(found.total) == (43_000_000, 27_000_000, 16_000_000, 63, 4)


def test_the_figures_take_six_queries_whatever_the_projects(data, django_assert_num_queries):
    with django_assert_num_queries(6):
        figures()
    build_funding_more(data)
    with django_assert_num_queries(6):
        found = figures()
    assert found.total.projects == 7
