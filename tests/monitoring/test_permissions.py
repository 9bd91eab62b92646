"""The monitoring periods' permission matrix: every URL of ``monitoring:`` for every role.
Coordinators and the site administrator keep the periods; members get a 403, visitors the
login page. The open period (April to June 2026) has ended on the pinned day, so it may be
closed; the closed one (January to March) may be reopened and downloaded."""

import datetime

import pytest

from tests.matrix import LOGIN, Row, check, every_role, params
from tests.monitoring.factories import make_periods

COORDINATORS = every_role(403, anonymous=LOGIN, coordinator=200, site_admin=200)
COORDINATORS_ACT = every_role(403, anonymous=LOGIN, coordinator=302, site_admin=302)


@pytest.fixture
def periods(world):
    return make_periods(world)


def _open(world) -> dict:
    return {"pk": world.open_period.pk}


def _closed(world) -> dict:
    return {"pk": world.closed_period.pk}


def _closing(world) -> dict:
    return {"pk": world.closed_period.pk, "number": 1}


MATRIX = [
    Row("monitoring:list", COORDINATORS),
    Row(
        "monitoring:list",
        COORDINATORS_ACT,
        method="post",
        data=lambda w: {"cycle": w.cycle.pk, "first_month": "2026-07", "last_month": "2026-07"},
    ),
    Row("monitoring:detail", COORDINATORS, kwargs=_open),
    Row("monitoring:detail", COORDINATORS, kwargs=_closed, note="closed"),
    Row("monitoring:close", COORDINATORS, kwargs=_open),
    Row("monitoring:close", COORDINATORS_ACT, kwargs=_open, method="post"),
    Row("monitoring:reopen", COORDINATORS, kwargs=_closed),
    Row(
        "monitoring:reopen",
        COORDINATORS_ACT,
        kwargs=_closed,
        method="post",
        data=lambda w: {"reason": "A late report."},
    ),
    Row("monitoring:frozen_csv", COORDINATORS, kwargs=_closing),
    Row("monitoring:frozen_xlsx", COORDINATORS, kwargs=_closing),
    Row("monitoring:frozen_csv", every_role(405, anonymous=LOGIN), kwargs=_closing, method="post"),
]


@pytest.mark.time_machine(datetime.datetime(2026, 7, 15, 9, 0, tzinfo=datetime.UTC))
@pytest.mark.parametrize(("row", "role"), params(MATRIX), ids=str)
def test_permissions(row, role, periods, login):
    check(row, role, periods, login)
