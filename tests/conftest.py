"""Shared fixtures: the personas every permission matrix and journey uses.

Alice is the focal point of organisation A and Sam is on its staff; Olga belongs
to organisation B and must see nothing of A's; Cora is a coordinator and Ada a
site administrator.
"""

import importlib
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from partners.models import MemberRole
from tests.factories import (
    AdminAreaFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytest_plugins = ["tests.browser_fixtures", "tests.storage"]

CLOCK_SHIM = Path(__file__).parent / "clock_shim"


def pytest_configure(config):
    """Under ``faketime``, keep ``time.sleep`` working here and in the processes tests start."""
    from tests.clock_shim import sitecustomize as clock_shim

    if clock_shim.under_faketime():
        paths = [str(CLOCK_SHIM), os.environ.get("PYTHONPATH", "")]
        os.environ["PYTHONPATH"] = os.pathsep.join(path for path in paths if path)


ROLES = ["anonymous", "staff", "focal", "other_member", "coordinator", "site_admin"]


def pytest_report_header(config):
    database = settings.DATABASES["default"]
    where = database.get("HOST") or database.get("NAME")
    return f"database: {database['ENGINE']} ({where})"


@pytest.fixture(autouse=True)
def _english_and_plain_storage(settings, tmp_path):
    # A fast hasher: the suite creates many users; password hashing is Django's, not ours.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LANGUAGE_CODE = "en"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEMO_MODE = True
    # Query counts and page contents are about the rendering; tests/platform/test_page_cache.py
    # turns the anonymous page cache on.
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters live in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _standard_health_domains(request):
    """The ten domains of strategy's data migration. A transactional test (browser journeys)
    flushes every table when it ends, migration data included, so they are put back."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if not (transactional or marker or "db" in request.fixturenames):
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    migration = importlib.import_module("strategy.migrations.0002_standard_health_domains")
    migration.add_domains(apps, None)


@pytest.fixture
def every_figure_public(settings):
    """Every figure public, whatever the organisations it comes from.

    The datasets of the figure tests (tests/analysis/dataset.py, kinds.py, the bulletins')
    have two organisations: under the disclosure policy's minimum of three
    (``PUBLIC_MIN_ORGANISATIONS``) the public would see none of their figures. Tests of how
    figures are computed, shown and frozen lower the minimum to one, which lets every figure
    through; tests/analysis/test_disclosure.py and tests/platform/test_disclosure_probe.py
    test the policy itself, at its default."""
    settings.PUBLIC_MIN_ORGANISATIONS = 1


@dataclass
class World:
    org_a: object
    org_b: object
    area: object
    users: dict

    def user(self, role: str):
        return self.users.get(role)


@pytest.fixture
def world(db) -> World:
    area = AdminAreaFactory(pcode="ZZ01", name_en="North", name_ar="الشمال")
    org_a = OrganisationFactory(name_en="Alpha Health", acronym="AH")
    org_b = OrganisationFactory(name_en="Beta Relief", acronym="BR")
    org_a.areas.add(area)
    org_b.areas.add(area)
    focal = MembershipFactory(
        organisation=org_a, role=MemberRole.FOCAL_POINT, user__email="alice@example.org"
    ).user
    staff = MembershipFactory(organisation=org_a, user__email="sam@example.org").user
    other = MembershipFactory(organisation=org_b, user__email="olga@example.org").user
    coordinator = UserFactory(email="cora@example.org", is_coordinator=True)
    admin = UserFactory(email="ada@example.org", is_superuser=True, is_staff=True)
    users = {
        "anonymous": None,
        "staff": staff,
        "focal": focal,
        "other_member": other,
        "coordinator": coordinator,
        "site_admin": admin,
    }
    return World(org_a=org_a, org_b=org_b, area=area, users=users)


@pytest.fixture
def login(client):
    """Log the test client in as a user (or stay anonymous for None)."""

    def _login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return _login
