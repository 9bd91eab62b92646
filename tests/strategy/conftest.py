"""A strategy to test with: a current cycle with three of everything, and an earlier one."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from strategy.models import (
    HealthDomain,
    Indicator,
    IndicatorDirection,
    IndicatorKind,
    StrategicApproach,
    StrategicObjective,
    StrategicPriority,
    StrategyCycle,
)


@dataclass
class Strategy:
    current: StrategyCycle
    earlier: StrategyCycle
    objective: StrategicObjective
    indicator: Indicator
    priority: StrategicPriority
    approach: StrategicApproach


def make_cycle(start: int, end: int, *, current: bool, size: int = 3) -> StrategyCycle:
    cycle = StrategyCycle.objects.create(
        title_en=f"Strategy {start}",
        title_ar=f"استراتيجية {start}",
        start_year=start,
        end_year=end,
        summary_en="Keep **essential** services running.",
        is_current=current,
    )
    domains = list(HealthDomain.objects.order_by("order")[:size])
    for n in range(1, size + 1):
        priority = StrategicPriority.objects.create(
            cycle=cycle, order=n, title_en=f"Priority {n} of {start}", title_ar=f"أولوية {n}"
        )
        StrategicApproach.objects.create(
            cycle=cycle, order=n, title_en=f"Approach {n} of {start}", title_ar=f"نهج {n}"
        )
        objective = StrategicObjective.objects.create(
            cycle=cycle,
            code=f"SO{n}",
            order=n,
            title_en=f"Objective {n} of {start}",
            title_ar=f"الهدف {n}",
            priority=priority,
        )
        for m in range(1, size + 1):
            indicator = Indicator.objects.create(
                objective=objective,
                code=f"{n}.{m}",
                order=m,
                name_en=f"Indicator {n}.{m} of {start}",
                name_ar=f"المؤشر {n}.{m}",
                baseline=Decimal(1000 * m),
                target=Decimal(2500 * m),
                direction=IndicatorDirection.INCREASE,
                kind=IndicatorKind.COUNT if m % 2 else IndicatorKind.PEOPLE_ONCE,
            )
            indicator.domains.set(domains)
    return cycle


@pytest.fixture
def strategy(db) -> Strategy:
    current = make_cycle(2026, 2027, current=True)
    earlier = make_cycle(2024, 2025, current=False)
    objective = current.objectives.get(code="SO1")
    return Strategy(
        current=current,
        earlier=earlier,
        objective=objective,
        indicator=objective.indicators.get(code="1.1"),
        priority=current.priorities.get(order=1),
        approach=current.approaches.get(order=1),
    )
