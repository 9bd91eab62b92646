"""Who may open the catalogue, period, completeness and history pages (status per role).

Coordinator pages refuse members (403) and send visitors to log in. The history page shows a
member their own organisation's reports; a member naming another organisation gets a 404.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import ReportingPeriod
from tests.activities.factories import ActivityFactory, PeriodFactory
from tests.matrix import LOGIN, Redirect, Row, check, every_role, params

COORDINATORS_ONLY = every_role(403, anonymous=LOGIN, coordinator=200, site_admin=200)
MEMBERS = every_role(200, anonymous=LOGIN)


def _locked_period(world) -> ReportingPeriod:
    now = timezone.now()
    return PeriodFactory(
        year=2025,
        month=1,
        opens_at=now - datetime.timedelta(days=30),
        deadline=now - datetime.timedelta(days=2),
    )


def _period_pk(world) -> dict:
    return {"pk": _locked_period(world).pk}


def _activity_pk(world) -> dict:
    return {"pk": ActivityFactory(code="PERM1").pk}


def _reopen_data(world) -> dict:
    until = timezone.localtime(timezone.now() + datetime.timedelta(days=3))
    return {
        "organisation": world.org_a.pk,
        "until": until.strftime("%Y-%m-%dT%H:%M"),
        "reason": "Late data from the districts.",
    }


def _post_only(redirect: Redirect) -> dict:
    return every_role(403, anonymous=LOGIN, coordinator=redirect, site_admin=redirect)


MATRIX = [
    Row("activities:catalogue", every_role(200)),
    Row("activities:activity_create", COORDINATORS_ONLY),
    Row("activities:activity_edit", COORDINATORS_ONLY, kwargs=_activity_pk),
    Row(
        "activities:activity_retire",
        _post_only(Redirect(to=lambda w: reverse("activities:catalogue"))),
        kwargs=_activity_pk,
        method="post",
    ),
    Row("activities:periods", COORDINATORS_ONLY),
    Row("activities:period_create", COORDINATORS_ONLY),
    Row(
        "activities:period_create_next",
        _post_only(Redirect(to=lambda w: reverse("activities:periods"))),
        method="post",
    ),
    Row("activities:period_edit", COORDINATORS_ONLY, kwargs=_period_pk),
    Row("activities:period_detail", COORDINATORS_ONLY, kwargs=_period_pk),
    Row("activities:period_reopen", COORDINATORS_ONLY, kwargs=_period_pk),
    Row(
        "activities:period_reopen",
        _post_only(
            Redirect(
                to=lambda w: reverse(
                    "activities:period_detail", kwargs={"pk": ReportingPeriod.objects.get().pk}
                )
            )
        ),
        kwargs=_period_pk,
        method="post",
        data=_reopen_data,
    ),
    Row("activities:completeness", COORDINATORS_ONLY),
    Row("activities:history", MEMBERS),
    Row(
        "activities:history",
        every_role(200, anonymous=LOGIN, other_member=404),
        data=lambda w: {"organisation": w.org_a.pk},
        note="of organisation A",
    ),
]


# February 2025: the January 2025 period of the matrix closed on the 10th.
@pytest.mark.time_machine(datetime.datetime(2025, 2, 15, 12, 0, tzinfo=datetime.UTC))
@pytest.mark.parametrize(("row", "role"), params(MATRIX), ids=str)
def test_permissions(row, role, world, login):
    check(row, role, world, login)
