"""The figures per area the analysis reads, and the suggestions from assessments: each one
query, checked against figures added up by hand."""

import datetime
from decimal import Decimal

import pytest

from assessments.models import AssessmentStatus
from planning.models import Caseload, IndicatorAreaTarget, PopulationGroup
from planning.selectors import (
    AreaTarget,
    Figures,
    area_targets,
    assessment_suggestions,
    caseloads_by_area,
)
from tests.activities.factories import StrategyCycleFactory
from tests.assessments.factories import AssessmentFactory, FindingFactory, HealthDomainFactory

pytestmark = pytest.mark.django_db

ALL, GIRLS = PopulationGroup.ALL, PopulationGroup.GIRLS


@pytest.fixture
def caseloads(plan):
    def add(area, group, in_need, targeted):
        Caseload.objects.create(
            cycle=plan.cycle,
            area=area,
            group=group,
            people_in_need=in_need,
            people_targeted=targeted,
        )

    add(plan.south, ALL, 1000, 800)
    add(plan.d11, ALL, 300, 200)
    add(plan.d12, ALL, 500, None)
    add(plan.d11, GIRLS, 100, 50)
    add(plan.d21, GIRLS, 40, 30)  # South's girls, by district, beside South's total
    return plan


def test_admin1_figures_add_up_their_districts(caseloads, django_assert_num_queries):
    plan = caseloads
    with django_assert_num_queries(1):
        figures = caseloads_by_area(plan.cycle, 1)
    assert figures == {
        # North: PL101 300 + PL102 500 in need; targeted 200 (PL102 gives none).
        plan.north.pk: {"all": Figures(800, 200), "girls": Figures(100, 50)},
        # South: its own total, and its district's girls.
        plan.south.pk: {"all": Figures(1000, 800), "girls": Figures(40, 30)},
    }


def test_admin2_figures_are_the_districts_own(caseloads, django_assert_num_queries):
    plan = caseloads
    with django_assert_num_queries(1):
        figures = caseloads_by_area(plan.cycle, 2)
    assert figures == {
        plan.d11.pk: {"all": Figures(300, 200), "girls": Figures(100, 50)},
        plan.d12.pk: {"all": Figures(500, None)},
        plan.d21.pk: {"girls": Figures(40, 30)},
    }


def test_another_cycles_caseloads_are_left_out(caseloads):
    other = StrategyCycleFactory(start_year=2024, end_year=2025, is_current=False)
    assert caseloads_by_area(other, 1) == {}


def test_area_targets_in_one_query(plan, django_assert_num_queries):
    IndicatorAreaTarget.objects.create(indicator=plan.count, area=plan.south, target=6000)
    IndicatorAreaTarget.objects.create(indicator=plan.count, area=plan.d11, target=9000)
    with django_assert_num_queries(1):
        targets = area_targets(plan.count)
    assert targets == [
        AreaTarget(plan.d11.pk, "PL101", 2, Decimal(9000)),
        AreaTarget(plan.south.pk, "PL2", 1, Decimal(6000)),
    ]  # in the tree's order: North's district before South


def _assessment(status=AssessmentStatus.PUBLISHED, year=2026, **kwargs):
    start = datetime.date(year, 3, 1)
    published = {"published_at": datetime.datetime(year, 4, 1, tzinfo=datetime.UTC)}
    if status != AssessmentStatus.PUBLISHED:
        published = {}
    return AssessmentFactory(
        status=status,
        start_date=start,
        end_date=start + datetime.timedelta(days=14),
        **published,
        **kwargs,
    )


def test_suggestions_take_the_largest_published_figure_of_the_cycles_years(
    plan, django_assert_num_queries
):
    nutrition, cholera = HealthDomainFactory(code="nut"), HealthDomainFactory(code="chol")
    first, second = _assessment(), _assessment(year=2027, is_restricted=True)
    FindingFactory(assessment=first, area=plan.d11, domain=nutrition, people_in_need=700)
    FindingFactory(assessment=first, area=plan.d11, domain=cholera, people_in_need=300)
    FindingFactory(assessment=second, area=plan.d11, domain=nutrition, people_in_need=900)
    FindingFactory(assessment=first, area=plan.d12, domain=nutrition, people_in_need=None)
    # Not counted: a draft, a submitted one, and one of 2024, before the cycle.
    for other in (
        _assessment(status=AssessmentStatus.DRAFT),
        _assessment(status=AssessmentStatus.SUBMITTED),
        _assessment(year=2024),
    ):
        FindingFactory(assessment=other, area=plan.d11, domain=nutrition, people_in_need=5000)
    FindingFactory(assessment=first, area=plan.north, domain=nutrition, people_in_need=2500)
    with django_assert_num_queries(1):
        suggestions = assessment_suggestions(plan.cycle, 2)
    # PL101: the largest of 700, 300 and 900 (domains overlap: not 1,900); PL102 has no figure.
    assert suggestions == {plan.d11.pk: 900}
    assert assessment_suggestions(plan.cycle, 1) == {plan.north.pk: 2500}
