"""Partners' projects: no hostile value sent to a form field or query parameter of their
URLs is a server error (dates, amounts, budget shares, filters).

How the values are chosen and sent: ``tests/fuzz/forms.py``. The rows need the projects of
``tests/projects/factories.make_projects`` (organisation A's in each review state).
"""

import pytest

# The registry's dates count from today: the day is pinned as in tests/facilities.
from tests.facilities.conftest import pinned_day  # noqa: F401 - an autouse fixture
from tests.fuzz.forms import check_row, rows_of
from tests.projects.factories import make_projects

ROWS = rows_of("projects")


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_no_hostile_value_is_a_server_error(row, world, report_slow):
    make_projects(world)
    check_row(row, world, report_slow)
