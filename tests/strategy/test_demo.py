"""The demo strategy: Demoland's profile, a current and an earlier cycle, safe to run twice."""

import pytest

from partners import demo as partners_demo
from strategy import demo
from strategy.models import Aggregation, Indicator, StrategyCycle, cluster_profile

pytestmark = pytest.mark.django_db


def _snapshot() -> dict:
    return {
        "indicators": sorted(Indicator.objects.values_list("cycle__start_year", "code", "target")),
        "history": Indicator.history.count() + StrategyCycle.history.count(),
        "profile": cluster_profile().history.count(),
    }


def test_the_demo_strategy_has_a_current_and_an_earlier_cycle_and_is_idempotent(db):
    partners_demo.seed()
    summary = demo.seed()
    assert "2 strategy cycles" in summary
    current = StrategyCycle.objects.get(is_current=True)
    assert (current.start_year, current.end_year) == (2026, 2027)
    assert StrategyCycle.objects.filter(start_year=2024, end_year=2025, is_current=False).exists()
    assert current.priorities.count() == 5
    assert current.approaches.count() == 4
    objectives = list(current.objectives.prefetch_related("indicators"))
    assert 3 <= len(objectives) <= 4
    assert all(2 <= len(o.indicators.all()) <= 3 for o in objectives)
    rules = set(Indicator.objects.filter(cycle=current).values_list("aggregation", flat=True))
    assert rules == {Aggregation.SUM, Aggregation.MAX_PER_AREA}
    profile = cluster_profile()
    assert profile.lead_agency.acronym == "UNHF"
    assert profile.co_chair.acronym == "MoH"
    assert profile.purpose_ar

    before = _snapshot()
    demo.seed()
    assert _snapshot() == before


def test_the_demo_strategy_passes_its_own_validation(db):
    demo.seed()
    for indicator in Indicator.objects.all():
        indicator.full_clean()
