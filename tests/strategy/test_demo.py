"""The demo strategy: Demoland's profile, a current and an earlier cycle, safe to run twice."""

import datetime

import pytest

from demo import partners as partners_demo
from demo import strategy as demo
from strategy.models import Indicator, IndicatorKind, StrategyCycle, cluster_profile

pytestmark = pytest.mark.django_db


def _snapshot() -> dict:
    return {
        "indicators": sorted(Indicator.objects.values_list("cycle__start_year", "code", "target")),
        "history": Indicator.history.count() + StrategyCycle.history.count(),
        "profile": cluster_profile().history.count(),
    }


def _cycles() -> list[tuple[int, int, bool]]:
    return list(
        StrategyCycle.objects.order_by("start_year").values_list(
            "start_year", "end_year", "is_current"
        )
    )


def test_the_demo_strategy_has_a_current_and_an_earlier_cycle_and_is_idempotent(db, time_machine):
    time_machine.move_to(datetime.datetime(2027, 3, 17, 12, 0, tzinfo=datetime.UTC))
    partners_demo.seed()
    demo.seed()
    assert _cycles() == [(2025, 2026, False), (2027, 2028, True)]
    current = StrategyCycle.objects.get(is_current=True)
    assert "For 2027 and 2028" in current.summary_en
    assert current.priorities.count() == 5
    assert current.approaches.count() == 4
    objectives = list(current.objectives.prefetch_related("indicators"))
    assert 3 <= len(objectives) <= 4
    assert all(2 <= len(o.indicators.all()) <= 3 for o in objectives)
    kinds = set(Indicator.objects.filter(cycle=current).values_list("kind", flat=True))
    assert kinds == set(IndicatorKind)  # every kind shows on the demo's strategy page
    assert current.headline.code == "1.3"
    assert current.headline.kind == IndicatorKind.PEOPLE_ONCE
    profile = cluster_profile()
    assert profile.lead_agency.acronym == "UNHF"
    assert profile.co_chair.acronym == "MoH"
    assert profile.purpose_ar

    before = _snapshot()
    demo.seed()
    assert _snapshot() == before


def test_a_run_in_the_cycles_second_year_keeps_it(db, time_machine):
    time_machine.move_to(datetime.datetime(2027, 3, 17, 12, 0, tzinfo=datetime.UTC))
    demo.seed()
    before = _snapshot()

    time_machine.move_to(datetime.datetime(2028, 12, 31, 12, 0, tzinfo=datetime.UTC))
    demo.seed()

    assert _cycles() == [(2025, 2026, False), (2027, 2028, True)]
    assert _snapshot() == before


def test_a_run_after_the_cycle_starts_a_new_one_and_keeps_the_old_as_it_was(db, time_machine):
    time_machine.move_to(datetime.datetime(2027, 3, 17, 12, 0, tzinfo=datetime.UTC))
    demo.seed()
    past = sorted(Indicator.objects.filter(cycle__start_year=2027).values_list("code", "name_en"))

    time_machine.move_to(datetime.datetime(2029, 1, 2, 12, 0, tzinfo=datetime.UTC))
    demo.seed()

    assert _cycles() == [(2025, 2026, False), (2027, 2028, False), (2029, 2030, True)]
    kept = sorted(Indicator.objects.filter(cycle__start_year=2027).values_list("code", "name_en"))
    assert kept == past
    assert Indicator.objects.filter(cycle__start_year=2029).count() == len(past)


def test_the_demo_strategy_passes_its_own_validation(db):
    demo.seed()
    for indicator in Indicator.objects.all():
        indicator.full_clean()
