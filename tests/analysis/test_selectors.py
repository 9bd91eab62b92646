"""Every aggregate against the hand-computed dataset of tests/analysis/dataset.py."""

import pytest

from analysis import selectors
from analysis.selectors import Filters
from tests.analysis.dataset import APR, FEB, JAN, MAR

pytestmark = pytest.mark.django_db

PUBLIC = Filters(first_month=JAN, last_month=APR)
DETAILED = Filters(first_month=JAN, last_month=APR, detailed=True)


def test_key_figures_count_only_validated_people_rows(data):
    figures = selectors.key_figures(PUBLIC)
    # 150 in January + 420 in February; kits are not people; draft/returned/submitted excluded.
    assert figures.people_reached == 570
    assert figures.partners_reporting == 2
    assert figures.areas_covered == 2  # North and South; East has nothing


def test_people_by_month_includes_the_empty_months(data):
    assert selectors.people_by_month(PUBLIC) == [
        {"month": JAN, "people": 150},
        {"month": FEB, "people": 420},
        {"month": MAR, "people": 0},
        {"month": APR, "people": 0},
    ]


def test_a_range_of_months_excludes_the_others(data):
    february = Filters(first_month=FEB, last_month=FEB)
    assert selectors.key_figures(february).people_reached == 420


def test_indicators_add_up_by_their_own_rule(data):
    progress = {
        p.indicator.code: p
        for p in selectors.indicator_progress(PUBLIC, selectors.cycle_indicators(data.cycle))
    }
    # Sum over months: 100 + 200 + 60 + 10.
    assert progress["1.1"].reached == 370
    assert progress["1.1"].percent == 50  # of 740
    # Largest month per area: North One max(50, 80) + North Two 30 + South One 40.
    assert progress["1.2"].reached == 150
    assert progress["1.2"].percent == 50  # of 300
    assert progress["1.3"].reached == 7
    assert progress["1.3"].percent is None  # no target


def test_public_figures_by_area_stop_at_admin1(data):
    rows = selectors.by_area(PUBLIC)
    assert [(r["admin1__pcode"], r["people"], r["partners"]) for r in rows] == [
        ("ZZ1", 520, 2),
        ("ZZ2", 50, 1),
    ]
    assert all("admin2" not in row for row in rows)


def test_members_see_admin2_with_whole_admin1_rows_kept(data):
    rows = selectors.by_area(DETAILED)
    assert [(r["admin2__pcode"], r["people"], r["partners"]) for r in rows] == [
        ("ZZ101", 490, 2),
        ("ZZ102", 30, 1),
        ("ZZ201", 40, 1),
        (None, 10, 1),  # reported for the whole of South
    ]


def test_area_filter_takes_the_area_and_everything_inside(data):
    north = Filters(first_month=JAN, last_month=APR, area=data.north)
    assert selectors.key_figures(north).people_reached == 520
    n2 = Filters(first_month=JAN, last_month=APR, area=data.n2)
    assert selectors.key_figures(n2).people_reached == 30


def test_filters_by_indicator_activity_and_organisation_type(data):
    def people(**kwargs):
        return selectors.key_figures(Filters(first_month=JAN, last_month=APR, **kwargs))

    assert people(indicator_id=data.peaked.pk).people_reached == 200
    assert people(activity_id=data.consultations.pk).people_reached == 370
    assert people(organisation_type="nngo").people_reached == 110  # org B: 60 + 40 + 10
    assert people(objective_id=data.summed.objective_id).people_reached == 570


def test_sex_and_age(data):
    totals = selectors.by_sex_and_age(PUBLIC)
    assert totals["girls"] == 10 + 10 + 20 + 20 + 5 + 10 + 10 + 2
    assert totals["boys"] == 20 + 10 + 30 + 20 + 5 + 10 + 10 + 3
    assert totals["women"] == 40 + 15 + 80 + 20 + 10 + 20 + 10 + 3
    assert totals["men"] == 30 + 15 + 70 + 20 + 10 + 20 + 10 + 2


def test_by_organisation(data):
    rows = selectors.by_organisation(DETAILED)
    assert [(r["organisation__name_en"], r["people"], r["rows"]) for r in rows] == [
        ("Alpha Health", 460, 6),
        ("Beta Relief", 110, 3),
    ]


def test_public_severity_leaves_restricted_assessments_out(data):
    rows = selectors.severity_by_area(PUBLIC)
    assert [(r["area"].pcode, r["severity"], r["assessments"]) for r in rows] == [
        ("ZZ1", 4, 2),  # N1: 4 (P1) and 2 (P2); R1's 5 in North Two is restricted
        ("ZZ2", 5, 1),
        ("ZZ3", 4, 1),
    ]


def test_detailed_severity_applies_admin1_findings_to_each_admin2(data):
    rows = selectors.severity_by_area(DETAILED)
    assert [(r["area"].pcode, r["severity"], r["assessments"]) for r in rows] == [
        ("ZZ101", 4, 2),
        ("ZZ102", 5, 1),  # restricted, for members
        ("ZZ201", 5, 1),  # South's finding, applied to South One
        ("ZZ301", 4, 1),  # East's finding, applied to East One; the draft is left out
    ]


def test_assessments_in_range(data):
    assert selectors.assessments_in_range(PUBLIC).count() == 2
    assert selectors.assessments_in_range(DETAILED).count() == 3
    assert selectors.assessments_in_range(Filters(first_month=APR, last_month=APR)).count() == 0


def test_reporting_partners(data):
    names = [row["organisation__name_en"] for row in selectors.reporting_partners(PUBLIC)]
    assert names == ["Alpha Health", "Beta Relief"]


def test_the_cycle_of_a_month_is_the_one_covering_it(data):
    from tests.activities.factories import StrategyCycleFactory

    earlier = StrategyCycleFactory(start_year=2024, end_year=2025, is_current=False)
    assert selectors.cycle_for(JAN) == data.cycle
    assert selectors.cycle_for(JAN.replace(year=2025)) == earlier
    assert selectors.cycle_for(JAN.replace(year=2030)) == data.cycle  # none covers it
