import pytest

from tests.analysis.kinds import JULY_15_2026


@pytest.fixture(autouse=True)
def pinned_day(time_machine):
    """Mid-July 2026: the second quarter has ended, the third has not."""
    time_machine.move_to(JULY_15_2026, tick=True)
