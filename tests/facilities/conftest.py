import datetime

import pytest

from facilities.defaults import load_lists
from facilities.models import AttackType, FacilityType


@pytest.fixture(autouse=True)
def the_lists(request):
    """SSA's types of attack and the facility types, as the migration loads them: a
    transactional test earlier in the run empties every table, the migration's rows too."""
    if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
        load_lists(AttackType, FacilityType)


# The day these tests run on, whatever the calendar says: statuses, supports, funding updates
# and incidents are dated from "today", and the rules they meet (not after today, the latest
# value no older than LATEST_MAX_AGE months, a support covering the day) count in months. A
# test that needs another day moves the clock itself.
PINNED = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def pinned_day(time_machine):
    time_machine.move_to(PINNED, tick=True)
