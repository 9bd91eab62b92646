import pytest

from tests.facilities.conftest import PINNED


@pytest.fixture(autouse=True)
def pinned_day(time_machine):
    """The day these tests run on, whatever the calendar says (``tests/facilities/conftest.py``
    says why): projects' dates and funding updates are dated from "today"."""
    time_machine.move_to(PINNED, tick=True)
