"""The read API and the token pages: no hostile value sent to a query parameter or a form
field of their URLs is a server error (filters, cursors, page sizes, token names).

How the values are chosen and sent: ``tests/fuzz/forms.py``. The rows need the records of
``tests/api/test_permissions.add_matrix_records``.
"""

import pytest

from tests.api.conftest import pinned_day  # noqa: F401 - an autouse fixture
from tests.api.test_permissions import add_matrix_records
from tests.fuzz.forms import check_row, rows_of

ROWS = rows_of("api")


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_no_hostile_value_is_a_server_error(row, world, report_slow):
    add_matrix_records(world)
    check_row(row, world, report_slow)
