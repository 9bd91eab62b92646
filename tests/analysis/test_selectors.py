"""Every aggregate against the hand-computed dataset of tests/analysis/dataset.py."""

import pytest

from analysis import measures, selectors
from analysis.selectors import Filters
from tests.analysis.dataset import APR, FEB, JAN, MAR

pytestmark = pytest.mark.django_db

PUBLIC = Filters(first_month=JAN, last_month=APR)
DETAILED = Filters(first_month=JAN, last_month=APR, detailed=True)


def people(filters: Filters) -> int:
    return measures.headline(filters).people


def test_people_reached_counts_each_area_once_over_validated_people_rows(data):
    # No headline indicator: people reached once over every people-counting activity. In
    # each area as reported, the largest figure of one activity in one month: N1 max(100,
    # 50, 200 + 60, 80) = 260; N2 30; S1 40; South as a whole 10. Kits are not people;
    # the draft, returned and submitted reports do not count.
    assert people(PUBLIC) == 260 + 30 + 40 + 10
    figures = selectors.key_figures(PUBLIC)
    assert figures.partners_reporting == 2
    assert figures.areas_covered == 2  # North and South; East has nothing


def test_people_by_month_includes_the_empty_months(data):
    # With the implementing organisations of each month's people-counting figures: Alpha
    # alone in January; Alpha and Beta in February.
    assert selectors.people_by_month(PUBLIC) == [
        {"month": JAN, "people": 150, "partners": 1},
        {"month": FEB, "people": 420, "partners": 2},
        {"month": MAR, "people": 0, "partners": 0},
        {"month": APR, "people": 0, "partners": 0},
    ]


def test_a_range_of_months_excludes_the_others(data):
    january = Filters(first_month=JAN, last_month=JAN)
    assert people(january) == 100  # N1: max(consultations 100, screening 50)


def test_indicators_add_up_by_their_own_rule(data):
    progress = {
        p.indicator.code: p
        for p in measures.indicator_progress(PUBLIC, selectors.cycle_indicators(data.cycle))
    }
    # A count, summed over months: 100 + 200 + 60 + 10.
    assert progress["1.1"].value == 370
    assert progress["1.1"].percent == 50  # of 740
    # People reached once: North One max(50, 80) + North Two 30 + South One 40.
    assert progress["1.2"].value == 150
    assert progress["1.2"].percent == 50  # of 300
    assert progress["1.3"].value == 7
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
    assert people(north) == 260 + 30
    n2 = Filters(first_month=JAN, last_month=APR, area=data.n2)
    assert people(n2) == 30


def test_filters_by_indicator_activity_and_organisation_type(data):
    def reached(**kwargs):
        return people(Filters(first_month=JAN, last_month=APR, **kwargs))

    assert reached(indicator_id=data.peaked.pk) == 80 + 30 + 40  # screening: N1, N2, S1
    assert reached(activity_id=data.consultations.pk) == 260 + 10  # N1 in February; South
    assert reached(organisation_type="nngo") == 60 + 40 + 10  # org B: N1, S1, South
    assert reached(objective_id=data.summed.objective_id) == 340


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


def test_people_not_counted_by_sex_and_age_include_the_part_of_a_total_not_broken_down(data):
    from activities.models import ActivityUnit, Collects, ReportStatus
    from analysis.services import refresh_report
    from tests.activities.factories import (
        ActivityFactory,
        PeriodFactory,
        ReportFactory,
        ReportRowFactory,
    )

    both = ActivityFactory(
        code="TRAUMA", indicator=data.summed, collects=Collects.BOTH, groups=("women", "men")
    )
    single = ActivityFactory(code="REFERRALS", indicator=data.summed, groups=())
    assert single.unit == ActivityUnit.PEOPLE
    report = ReportFactory(organisation=data.org_a, period=PeriodFactory(year=2026, month=4))
    ReportRowFactory(report=report, activity=both, area=data.n1, women=12, men=8, total=30)
    ReportRowFactory(report=report, activity=single, area=data.n1, total=15)
    report.status = ReportStatus.VALIDATED
    report.save()
    refresh_report(report.pk)
    totals = selectors.by_sex_and_age(PUBLIC)
    # 30 - (12 + 8) not broken down, and the 15 of a single count; the dataset has none.
    assert totals["not_disaggregated"] == 10 + 15
    assert totals["women"] == 198 + 12
