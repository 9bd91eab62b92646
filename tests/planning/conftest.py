"""A small plan: two admin1 areas, three districts, the 2026-2027 cycle and its indicators.

North (PL1) holds the districts PL101 and PL102; South (PL2) holds PL201.
"""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from locations.models import AdminLevel
from strategy.models import IndicatorDirection, IndicatorKind, IndicatorUnit
from tests.activities.factories import IndicatorFactory, StrategyCycleFactory
from tests.facilities.conftest import PINNED
from tests.factories import AdminAreaFactory


@pytest.fixture(autouse=True)
def pinned_day(time_machine):
    """The day these tests run on (``tests/facilities/conftest.py`` says why): the cycle's
    years and the assessments' dates are compared with fixed dates."""
    time_machine.move_to(PINNED, tick=True)


@dataclass
class Plan:
    cycle: object
    north: object
    south: object
    d11: object
    d12: object
    d21: object
    count: object  # a count indicator, target 15,000
    rate: object  # a rate indicator, baseline 50 %, target 80 %


def make_plan() -> Plan:
    north = AdminAreaFactory(pcode="PL1", name_en="North")
    south = AdminAreaFactory(pcode="PL2", name_en="South")
    district = AdminLevel.ADMIN2
    return Plan(
        cycle=StrategyCycleFactory(),
        north=north,
        south=south,
        d11=AdminAreaFactory(pcode="PL101", name_en="North One", level=district, parent=north),
        d12=AdminAreaFactory(pcode="PL102", name_en="North Two", level=district, parent=north),
        d21=AdminAreaFactory(pcode="PL201", name_en="South One", level=district, parent=south),
        count=IndicatorFactory(code="1.1", target=Decimal(15000), kind=IndicatorKind.COUNT),
        rate=IndicatorFactory(
            code="1.2",
            kind=IndicatorKind.RATE,
            unit=IndicatorUnit.PERCENT,
            baseline=Decimal(50),
            target=Decimal(80),
            direction=IndicatorDirection.INCREASE,
        ),
    )


@pytest.fixture
def plan(db) -> Plan:
    return make_plan()
