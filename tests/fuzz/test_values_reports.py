"""Activity reports and their catalogue, imports, exports and reminders: no hostile value
sent to a form field or query parameter of their URLs is a server error.

How the values are chosen and sent: ``tests/fuzz/forms.py``.
"""

import pytest

from tests.fuzz.forms import check_row, rows_of


@pytest.mark.parametrize("row", rows_of("reports"), ids=str)
def test_no_hostile_value_is_a_server_error(row, world, report_slow):
    check_row(row, world, report_slow)
