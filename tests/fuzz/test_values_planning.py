"""The plan per area and the monitoring periods: no hostile value sent to a form field or query
parameter of their URLs is a server error (caseload figures, uploads' fields, targets, months).

How the values are chosen and sent: ``tests/fuzz/forms.py``. The rows need the plan of
``tests/planning/conftest.make_plan`` and the periods of ``tests/monitoring/factories``.
"""

import pytest

# The cycle's years and the periods' ends are compared with today: the day is pinned.
from tests.facilities.conftest import pinned_day  # noqa: F401 - an autouse fixture
from tests.fuzz.forms import check_row, rows_of
from tests.monitoring.factories import make_periods
from tests.planning.conftest import make_plan

ROWS = rows_of("planning")


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_no_hostile_value_is_a_server_error(row, world, report_slow):
    world.plan = make_plan()
    make_periods(world)
    check_row(row, world, report_slow)
