"""The facility registry: no hostile value sent to a form field or query parameter of its
URLs is a server error (coordinates, dates, causes, codes, filters).

How the values are chosen and sent: ``tests/fuzz/forms.py``. The rows need the registry of
``tests/facilities/factories.make_registry`` (a supported hospital, its statuses in each
review state); the attacks on health care have rows of their own.
"""

import pytest

# The registry's dates count from today: the day is pinned as in tests/facilities.
from tests.facilities.conftest import pinned_day  # noqa: F401 - an autouse fixture
from tests.facilities.factories import make_registry
from tests.fuzz.forms import check_row, rows_of

ROWS = [row for row in rows_of("facilities") if row.name.startswith("facilities:")]


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_no_hostile_value_is_a_server_error(row, world, report_slow):
    make_registry(world)
    check_row(row, world, report_slow)
