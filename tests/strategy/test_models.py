"""The strategy's rules: targets that follow their direction, one current cycle, one profile."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from strategy.models import (
    ClusterProfile,
    Indicator,
    IndicatorDirection,
    IndicatorUnit,
    StrategicObjective,
    StrategyCycle,
    cluster_profile,
)

pytestmark = pytest.mark.django_db


def _indicator(strategy, **values) -> Indicator:
    fields = {
        "objective": strategy.objective,
        "code": "9.9",
        "name_en": "Consultations",
        "baseline": Decimal(100),
        "target": Decimal(200),
        "direction": IndicatorDirection.INCREASE,
    }
    return Indicator(**{**fields, **values})


def _errors(indicator: Indicator) -> dict:
    with pytest.raises(ValidationError) as caught:
        indicator.full_clean(exclude=["cycle"])
    return caught.value.message_dict


@pytest.mark.parametrize(
    ("direction", "target"),
    [("increase", 100), ("increase", 50), ("decrease", 100), ("decrease", 150), ("maintain", 99)],
)
def test_it_rejects_a_target_that_contradicts_the_direction(strategy, direction, target):
    errors = _errors(_indicator(strategy, direction=direction, target=Decimal(target)))
    assert "target" in errors
    assert "baseline" in errors["target"][0]


@pytest.mark.parametrize(
    ("direction", "target"),
    [("increase", 101), ("decrease", 0), ("maintain", 100), ("maintain", 120)],
)
def test_it_accepts_a_target_that_follows_the_direction(strategy, direction, target):
    _indicator(strategy, direction=direction, target=Decimal(target)).full_clean(exclude=["cycle"])


def test_the_database_refuses_a_target_against_the_direction(strategy):
    indicator = strategy.indicator
    indicator.target = indicator.baseline - 1
    with pytest.raises(IntegrityError), transaction.atomic():
        indicator.save()


def test_it_rejects_a_percentage_above_100(strategy):
    errors = _errors(_indicator(strategy, unit=IndicatorUnit.PERCENT, baseline=50, target=120))
    assert errors["target"] == ["A percentage target cannot be above 100."]


def test_it_asks_for_a_label_when_the_unit_is_other(strategy):
    errors = _errors(_indicator(strategy, unit=IndicatorUnit.OTHER))
    assert "unit_label_en" in errors


def test_it_rejects_a_negative_baseline(strategy):
    errors = _errors(_indicator(strategy, baseline=Decimal(-1)))
    assert "baseline" in errors


def test_indicator_codes_are_unique_within_a_cycle_but_not_across_cycles(strategy):
    errors = _errors(_indicator(strategy, code="1.2"))
    assert errors["code"] == ["Another indicator of this strategy cycle has this code."]
    earlier_objective = strategy.earlier.objectives.first()
    _indicator(strategy, objective=earlier_objective, code="9.9").full_clean(exclude=["cycle"])


def test_an_indicator_takes_the_cycle_of_its_objective(strategy):
    indicator = _indicator(strategy)
    indicator.save()
    assert indicator.cycle == strategy.current


def test_an_objective_cannot_take_a_priority_of_another_cycle(strategy):
    objective = StrategicObjective(
        cycle=strategy.current,
        code="SO9",
        title_en="Another",
        priority=strategy.earlier.priorities.first(),
    )
    with pytest.raises(ValidationError) as caught:
        objective.full_clean()
    assert "priority" in caught.value.message_dict


def test_a_cycle_cannot_end_before_it_starts(db):
    cycle = StrategyCycle(title_en="Backwards", start_year=2027, end_year=2026)
    with pytest.raises(ValidationError) as caught:
        cycle.full_clean()
    assert caught.value.message_dict["end_year"] == [
        "The last year cannot be before the first year."
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        cycle.save()


def test_only_one_cycle_can_be_current(strategy):
    with pytest.raises(IntegrityError), transaction.atomic():
        StrategyCycle.objects.create(
            title_en="Another", start_year=2028, end_year=2029, is_current=True
        )


def test_there_is_one_cluster_profile(db):
    first = cluster_profile()
    second = cluster_profile()
    assert first.pk == second.pk == 1
    ClusterProfile(cluster_name_en="Renamed").save()
    assert ClusterProfile.objects.count() == 1
    assert cluster_profile().cluster_name_en == "Renamed"


def test_changes_to_an_indicator_are_audited(strategy):
    indicator = strategy.indicator
    indicator.target = Decimal(9000)
    indicator.save()
    targets = [record.target for record in indicator.history.all()]
    assert targets[0] == Decimal(9000)
    assert Decimal(2500) in targets[1:]
