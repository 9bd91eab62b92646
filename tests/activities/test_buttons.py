"""The report page offers an action exactly when doing it works.

For a report in each state of its workflow (and of its organisation and period), seen by
every role of the permission matrix, each button or link of the report page is there if
and only if its POST changes the report (``tests/buttons.py``). The page asks
``activities.policy`` and the services enforce it: this checks that the two agree.
"""

import pytest
from django.urls import reverse

from activities.models import Report, ReportRow, ReportStatus, RowStatus
from activities.services.reports import (
    RowInput,
    report_request_correction,
    report_return,
    report_save_rows,
    report_submit,
    report_validate,
)
from partners.models import OrganisationStatus
from tests.activities.factories import ReportFactory
from tests.activities.test_reports_helpers import formset_post, make_setup, row_data
from tests.buttons import Action, mismatches
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db

# An implementer outside the directory: the rows stay right whatever happens to
# organisation A, so a refusal is the workflow's, never the rows'.
IMPLEMENTER = "Local Health Committee"
SUSPENDED = "validated, of a suspended organisation"


def _page(report: Report) -> str:
    return reverse("activities:report", kwargs={"pk": report.pk})


def _url(name: str):
    return lambda report: reverse(f"activities:{name}", kwargs={"pk": report.pk})


def _becomes(status: str):
    return lambda before, after: before.status != status and after.status == status


def _edit_data(report: Report) -> dict:
    row = report.rows.get()
    setup = report._setup
    values = row_data(
        setup,
        id=str(row.pk),
        implementing_organisation="",
        implementing_other=IMPLEMENTER,
        donor="Checked again",
    )
    return formset_post([values], initial=1)


def _rows_changed(before: Report, after: Report) -> bool:
    return ReportRow.objects.filter(report=after, donor="Checked again").exists()


ACTIONS = [
    Action("edit", _page, _url("report_edit"), _rows_changed, _edit_data),
    Action("submit", _page, _url("report_submit"), _becomes(ReportStatus.SUBMITTED)),
    Action("validate", _page, _url("report_validate"), _becomes(ReportStatus.VALIDATED)),
    Action(
        "return",
        _page,
        _url("report_return"),
        _becomes(ReportStatus.RETURNED),
        lambda report: {"comment": "Check the totals of the north."},
    ),
    Action(
        "request a correction",
        _page,
        _url("report_request_correction"),
        _becomes(ReportStatus.CORRECTION_REQUESTED),
        lambda report: {"reason": "The north was counted twice."},
    ),
    Action(
        "reopen",
        _page,
        _url("report_reopen"),
        lambda before, after: after.version == before.version + 1,
    ),
]


def _row(s) -> RowInput:
    return RowInput(
        activity=s.activity,
        area=s.district,
        status=RowStatus.ONGOING,
        implementing_other=IMPLEMENTER,
        girls=10,
        boys=10,
        women=20,
        men=10,
        total=50,
    )


def _report(world, state: str) -> Report:
    s = make_setup(world)
    focal, coordinator = world.user("focal"), world.user("coordinator")
    report = s.report
    if state == "draft of a closed period":
        report = ReportFactory(organisation=world.org_a, period=s.closed_period)
    report_save_rows(report=report, by=coordinator, rows=[_row(s)])
    if state in ("submitted", "returned", "validated", "correction requested", SUSPENDED):
        report_submit(report=report, by=focal)
    if state == "returned":
        report_return(report=report, by=coordinator, comment="Check the totals.")
    if state in ("validated", "correction requested", SUSPENDED):
        report_validate(report=report, by=coordinator)
    if state == "correction requested":
        report_request_correction(report=report, by=focal, reason="A row is wrong.")
    if state in (SUSPENDED, "draft of a suspended organisation"):
        world.org_a.status = OrganisationStatus.SUSPENDED
        world.org_a.save()
    report = Report.objects.get(pk=report.pk)
    report._setup = s
    return report


STATES = [
    "draft",
    "draft of a closed period",
    "submitted",
    "returned",
    "validated",
    "correction requested",
    "draft of a suspended organisation",
    SUSPENDED,
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", STATES)
def test_the_report_page_shows_a_button_exactly_when_its_action_works(state, role, world, login):
    report = _report(world, state)
    client = login(world.user(role))

    def reload(record: Report) -> Report:
        fresh = Report.objects.get(pk=record.pk)
        fresh._setup = record._setup
        return fresh

    assert mismatches(client, report, ACTIONS, reload) == []


def test_a_draft_of_a_closed_period_says_why_it_cannot_be_submitted(world, login):
    report = _report(world, "draft of a closed period")

    page = login(world.user("focal")).get(_page(report)).content.decode()

    assert f"Reporting for {report.period} is closed." in page
