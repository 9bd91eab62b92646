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
