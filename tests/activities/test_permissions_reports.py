"""Permission matrix of the activity report pages.

The records: a draft report of organisation A in an open period (and, for the review
pages, the same report submitted or validated). Organisation B's member
(``other_member``) must not learn that A's report exists: every page of it is a 404.
Coordinators' pages are a 403 for members, which tells nothing about any report.
"""

import pytest
from django.urls import reverse

from activities.models import Report
from activities.services.reports import RowInput, report_save_rows, report_submit, report_validate
from tests.activities.test_reports_helpers import make_setup
from tests.matrix import LOGIN, Redirect, Row, check, every_role, params


def _setup(world):
    return make_setup(world)


def _draft(world) -> dict:
    return {"pk": _setup(world).report.pk}


def _submitted_report(world):
    s = _setup(world)
    report_save_rows(
        report=s.report,
        by=world.user("focal"),
        rows=[
            RowInput(
                activity=s.activity,
                area=s.district,
                status="ongoing",
                implementing_organisation=world.org_a,
                girls=1,
                boys=1,
                women=1,
                men=1,
                total=4,
            )
        ],
    )
    return report_submit(report=s.report, by=world.user("focal"))


def _submitted(world) -> dict:
    return {"pk": _submitted_report(world).pk}


def _validated(world) -> dict:
    report = report_validate(report=_submitted_report(world), by=world.user("coordinator"))
    return {"pk": report.pk}


def _period(world) -> dict:
    return {"period_pk": _setup(world).open_period.pk}


def _a_report(world) -> str:
    return reverse("activities:report", kwargs={"pk": world.org_a.activity_reports.get().pk})


def _b_report_edit(world) -> str:
    report = Report.objects.get(organisation=world.org_b)
    return reverse("activities:report_edit", kwargs={"pk": report.pk})


TO_A = Redirect(to=_a_report)
ON_BEHALF = Redirect(to=lambda w: reverse("activities:report_on_behalf"))
MEMBERS_ONLY = {"anonymous": LOGIN, "other_member": 404}

MATRIX = [
    Row(
        "activities:reports",
        every_role(200, anonymous=LOGIN),
    ),
    Row(
        "activities:report_start",
        every_role(
            200,
            anonymous=LOGIN,
            staff=TO_A,
            focal=TO_A,
            coordinator=ON_BEHALF,
            site_admin=ON_BEHALF,
        ),
        kwargs=_period,
    ),
    Row(
        "activities:report_start",
        every_role(
            TO_A,
            anonymous=LOGIN,
            other_member=Redirect(to=_b_report_edit),
            coordinator=ON_BEHALF,
            site_admin=ON_BEHALF,
        ),
        kwargs=_period,
        method="post",
        note="starts or reopens the organisation's report",
    ),
    Row(
        "activities:report_on_behalf",
        every_role(403, anonymous=LOGIN, coordinator=200, site_admin=200),
    ),
    Row("activities:report", every_role(200, **MEMBERS_ONLY), kwargs=_draft),
    Row("activities:report_edit", every_role(200, **MEMBERS_ONLY), kwargs=_draft),
    Row(
        "activities:report_edit",
        every_role(TO_A, **MEMBERS_ONLY, coordinator=200, site_admin=200),
        kwargs=_submitted,
        note="of a submitted report: members are sent back, coordinators may fix it",
    ),
    Row(
        "activities:report_submit",
        every_role(TO_A, **MEMBERS_ONLY),
        kwargs=_draft,
        method="post",
    ),
    Row(
        "activities:report_validate",
        every_role(403, anonymous=LOGIN, coordinator=200, site_admin=200),
        kwargs=_submitted,
        note="the confirmation",
    ),
    Row(
        "activities:report_validate",
        every_role(403, anonymous=LOGIN, coordinator=TO_A, site_admin=TO_A),
        kwargs=_submitted,
        method="post",
    ),
    Row(
        "activities:report_return",
        every_role(403, anonymous=LOGIN, coordinator=200, site_admin=200),
        kwargs=_submitted,
    ),
    Row(
        "activities:report_return",
        every_role(403, anonymous=LOGIN, coordinator=TO_A, site_admin=TO_A),
        kwargs=_submitted,
        method="post",
        data=lambda w: {"comment": "Check the totals."},
    ),
    Row(
        "activities:report_request_correction",
        every_role(200, **MEMBERS_ONLY, coordinator=403, site_admin=403),
        kwargs=_validated,
    ),
    Row(
        "activities:report_request_correction",
        every_role(TO_A, **MEMBERS_ONLY, coordinator=403, site_admin=403),
        kwargs=_draft,
        note="of a draft: members are sent back to it",
    ),
    Row(
        "activities:report_reopen",
        every_role(403, anonymous=LOGIN, coordinator=TO_A, site_admin=TO_A),
        kwargs=_validated,
        method="post",
    ),
]


@pytest.mark.parametrize(("row", "role"), params(MATRIX), ids=str)
def test_permissions(row, role, world, login):
    check(row, role, world, login)
