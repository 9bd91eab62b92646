import datetime

from monitoring import services
from tests.activities.factories import StrategyCycleFactory
from tests.factories import UserFactory


def make_periods(world):
    """The 2026-2027 cycle's first quarter, closed, and its second, open; on any day after
    June 2026 the second may be closed."""
    cycle = StrategyCycleFactory(start_year=2026, end_year=2027, is_current=True)
    cora = UserFactory(email="cornelia@example.org", is_coordinator=True)

    def define(first, last):
        return services.period_create(
            cycle=cycle,
            first_month=datetime.date(2026, first, 1),
            last_month=datetime.date(2026, last, 1),
            by=cora,
        )

    world.open_period = define(4, 6)
    world.closed_period = define(1, 3)
    services.period_close(period=world.closed_period, by=cora)
    world.cycle = cycle
    return world
