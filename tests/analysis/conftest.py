import datetime

import pytest

from tests.analysis.dataset import build

# The day the hand-computed figures of the dataset are for: its months are January to April
# 2026, so "this year", "the last twelve months" and "the cycle so far" end in April 2026.
APRIL_15_2026 = datetime.datetime(2026, 4, 15, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def data(db, time_machine):
    time_machine.move_to(APRIL_15_2026)
    return build()
