"""Who may send a reminder by hand (status per role): coordinators only.

Members get a 403 (it is a cluster tool, not an organisation's record) and visitors the login
page; a coordinator is sent back to the period page.
"""

import pytest
from django.urls import reverse

from activities.models import ReportingPeriod
from tests.activities.test_reports_helpers import open_period
from tests.matrix import LOGIN, Redirect, Row, check, every_role, params


def _period_and_organisation(world) -> dict:
    return {"pk": open_period().pk, "organisation_pk": world.org_a.pk}


def _back_to_period(world) -> str:
    period = ReportingPeriod.objects.get(year=2026, month=10)  # the one open_period() made
    return reverse("activities:period_detail", kwargs={"pk": period.pk})


BACK = Redirect(to=_back_to_period)

MATRIX = [
    Row(
        "activities:period_remind",
        every_role(403, anonymous=LOGIN, coordinator=BACK, site_admin=BACK),
        kwargs=_period_and_organisation,
        method="post",
    ),
    Row(
        "activities:period_remind",
        every_role(405),
        kwargs=_period_and_organisation,
        note="GET is refused",
    ),
]


@pytest.mark.parametrize(("row", "role"), params(MATRIX), ids=str)
def test_permissions(row, role, world, login):
    check(row, role, world, login)
