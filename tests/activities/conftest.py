"""Fixtures shared by the activity report tests: the setup of ``test_reports_helpers`` and
its organisation's focal point, signed in."""

import pytest

from tests.activities.test_reports_helpers import make_setup


@pytest.fixture
def setup(world):
    return make_setup(world)


@pytest.fixture
def focal(setup, login):
    return login(setup.world.user("focal"))
