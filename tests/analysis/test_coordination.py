"""Gaps, overlaps and presence on the crafted cases of tests/analysis/dataset.py."""

import datetime

import pytest

from analysis.coordination import GapRules, gaps, overlap_places, overlaps_at, presence
from analysis.selectors import Filters
from analysis.services import rebuild_all
from tests.activities.factories import PeriodFactory, ReportFactory, ReportRowFactory
from tests.analysis.dataset import APR, FEB, JAN, MAR
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

APRIL_15 = datetime.date(2026, 4, 15)
RULES = GapRules(severity=4, months=3)  # February to April count as recent


def _gaps(**kwargs):
    return [(row["area"].pcode, row["domain__code"], row["severity"]) for row in gaps(**kwargs)]


def test_coordinators_see_severe_needs_without_a_recent_response_most_in_need_first(data):
    # North Two: restricted R1 says 5 for primary care; its only primary care row (kits) is
    # from January, before the recent months. East One: East's finding (4) applies to it.
    # North One: the latest assessment (P2) says 2, so P1's 4 no longer counts.
    # South One: nutrition 5, but screening was reported there in February.
    assert _gaps(rules=RULES, today=APRIL_15) == [
        ("ZZ102", "primary", 5),
        ("ZZ301", "primary", 4),
    ]


def test_a_finding_for_a_whole_admin1_area_says_so(data):
    east = [row for row in gaps(rules=RULES, today=APRIL_15) if row["area"].pcode == "ZZ301"]
    assert east[0]["whole_area"] is True
    assert east[0]["people_in_need"] == 3000


def test_the_public_gaps_are_at_admin1_without_restricted_assessments(data):
    assert _gaps(rules=RULES, public=True, today=APRIL_15) == [("ZZ3", "primary", 4)]


def test_a_higher_threshold_and_a_longer_window_change_the_answer(data):
    assert _gaps(rules=GapRules(severity=5, months=3), today=APRIL_15) == [("ZZ102", "primary", 5)]
    # Over four months, January's kits in North Two count as a response.
    assert _gaps(rules=GapRules(severity=4, months=4), today=APRIL_15) == [("ZZ301", "primary", 4)]


def test_a_validated_response_closes_a_gap(data):
    april = PeriodFactory(year=2026, month=4)
    report = ReportFactory(organisation=data.org_a, period=april, status="validated")
    ReportRowFactory(
        report=report,
        activity=data.kits,
        area=data.e1,
        girls=None,
        boys=None,
        women=None,
        men=None,
        total=3,
    )
    rebuild_all()
    assert _gaps(rules=RULES, today=APRIL_15) == [("ZZ102", "primary", 5)]


def test_overlaps_list_each_implementer_side_by_side(data):
    figures = Filters(first_month=JAN, last_month=APR, detailed=True)
    count, places = overlap_places(figures)
    assert (count, places) == (1, [(data.consultations.pk, data.n1.pk, 1)])
    [place] = overlaps_at(figures, tuple(places))
    [overlap] = place.months
    assert (overlap.month, overlap.activity_code, overlap.area.pcode) == (FEB, "CONS", "ZZ101")
    assert [(row["implementer_en"], row["total"]) for row in overlap.rows] == [
        ("Alpha Health", 200),
        ("Beta Relief", 60),
    ]
    assert overlap.total == 260


def test_one_organisation_reporting_twice_is_not_an_overlap(data):
    assert overlap_places(Filters(first_month=JAN, last_month=JAN, detailed=True)) == (0, [])


def test_presence_matrix_by_admin1_then_by_admin2_inside_one(data):
    matrix = presence(Filters(first_month=JAN, last_month=APR, detailed=True))
    assert [area.pcode for area in matrix.areas] == ["ZZ1", "ZZ2", "ZZ3"]
    assert [(org["name_en"], org["cells"]) for org in matrix.organisations] == [
        ("Alpha Health", [3, 0, 0]),  # consultations, screening and kits in North
        ("Beta Relief", [1, 2, 0]),
    ]
    north = presence(Filters(first_month=JAN, last_month=APR, detailed=True, area=data.north))
    assert [area.pcode for area in north.areas] == ["ZZ101", "ZZ102"]
    assert [(org["name_en"], org["cells"]) for org in north.organisations] == [
        ("Alpha Health", [2, 2]),
        ("Beta Relief", [1, 0]),
    ]


def test_the_download_holds_every_overlap_not_only_the_latest(data):
    from activities.models import ReportingPeriod
    from analysis.coordination import all_overlaps

    january = ReportingPeriod.objects.get(year=2026, month=1)
    gamma = OrganisationFactory(name_en="Gamma Care")
    report = ReportFactory(organisation=gamma, period=january, status="validated")
    ReportRowFactory(report=report, activity=data.consultations, area=data.n1)
    rebuild_all()
    figures = Filters(first_month=JAN, last_month=APR, detailed=True)

    count, places = overlap_places(figures)
    every = all_overlaps(figures)
    assert (count, len(places), len(every)) == (2, 1, 2)
    assert [(o.month, o.activity_code, o.area.pcode) for o in every] == [
        (FEB, "CONS", "ZZ101"),
        (JAN, "CONS", "ZZ101"),
    ]
    assert [(row["implementer_en"], row["total"]) for row in every[1].rows] == [
        ("Alpha Health", 100),
        ("Gamma Care", 50),
    ]
    assert all_overlaps(Filters(first_month=MAR, last_month=APR, detailed=True)) == []


def test_a_place_shows_its_latest_months_and_counts_the_others(data, monkeypatch):
    from activities.models import ReportingPeriod
    from analysis import coordination

    january = ReportingPeriod.objects.get(year=2026, month=1)
    gamma = OrganisationFactory(name_en="Gamma Care")
    report = ReportFactory(organisation=gamma, period=january, status="validated")
    ReportRowFactory(report=report, activity=data.consultations, area=data.n1)
    rebuild_all()
    monkeypatch.setattr(coordination, "OVERLAP_MONTHS_SHOWN", 1)
    figures = Filters(first_month=JAN, last_month=APR, detailed=True)
    count, places = overlap_places(figures)
    [place] = overlaps_at(figures, tuple(places))
    assert (count, place.month_count, place.earlier) == (2, 2, 1)
    assert [overlap.month for overlap in place.months] == [FEB]
