"""Review over HTTP, the emails each step sends, the My tasks lines and the list of reports."""

import pytest
import tinyhtml5
from django.urls import reverse

from activities.models import ReportStatus
from activities.selectors_reports import review_tasks_for_user
from activities.services.reports import (
    RowInput,
    report_request_correction,
    report_save_rows,
    report_submit,
    report_validate,
)
from tests.activities.factories import PeriodFactory, ReportFactory, ReportRowFactory
from tests.activities.test_reports_helpers import make_setup
from tests.factories import OrganisationFactory
from tests.text import has_phrase


@pytest.fixture
def s(world):
    return make_setup(world)


def fill(s, by="focal", donor=""):
    report_save_rows(
        report=s.report,
        by=s.world.user(by),
        rows=[
            RowInput(
                activity=s.activity,
                area=s.district,
                status="ongoing",
                implementing_organisation=s.world.org_a,
                donor=donor,
                girls=10,
                boys=10,
                women=20,
                men=10,
                total=50,
            )
        ],
    )


def fill_and_submit(s, by="focal"):
    fill(s, by)
    return report_submit(report=s.report, by=s.world.user(by))


def url(name, s):
    return reverse(f"activities:{name}", kwargs={"pk": s.report.pk})


# --- emails --------------------------------------------------------------------------------------


def test_submitting_tells_the_coordinators(s, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        fill_and_submit(s, by="staff")
    recipients = {message.to[0] for message in mailoutbox}
    assert recipients == {"cora@example.org", "ada@example.org"}
    assert "Activity report to validate: Alpha Health" in mailoutbox[0].subject
    assert f"/en/activities/reports/{s.report.pk}/" in mailoutbox[0].body


def test_returning_tells_the_focal_point_and_the_submitter(
    s, login, mailoutbox, django_capture_on_commit_callbacks
):
    fill_and_submit(s, by="staff")
    row = s.report.rows.get()
    client = login(s.world.user("coordinator"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("report_return", s),
            {"comment": "Women look too many.", f"row_{row.pk}": "Check this row."},
        )
    assert response.status_code == 302
    s.report.refresh_from_db()
    assert s.report.status == ReportStatus.RETURNED
    row.refresh_from_db()
    assert row.review_comment == "Check this row."
    assert {message.to[0] for message in mailoutbox} == {"alice@example.org", "sam@example.org"}
    assert "Women look too many." in mailoutbox[0].body


def _flash(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_returning_says_how_many_people_are_emailed(s, login, mailoutbox):
    fill_and_submit(s, by="staff")
    client = login(s.world.user("coordinator"))
    response = client.post(url("report_return", s), {"comment": "Check."}, follow=True)
    assert _flash(response) == [
        "The report is returned. 2 people at the organisation will be told by email."
    ]


def test_returning_to_an_organisation_nobody_can_be_emailed_at_says_so(
    s, login, mailoutbox, django_capture_on_commit_callbacks
):
    fill_and_submit(s, by="staff")
    for name in ("focal", "staff"):
        user = s.world.user(name)
        user.__class__.objects.filter(pk=user.pk).update(is_active=False)
    client = login(s.world.user("coordinator"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("report_return", s), {"comment": "Check."}, follow=True)
    assert mailoutbox == []
    assert _flash(response) == [
        "The report is returned. Nobody at the organisation has an email address the portal "
        "can use, so nobody was emailed: tell them yourself."
    ]


def test_submitting_when_no_coordinator_can_be_emailed_says_so(
    s, login, mailoutbox, django_capture_on_commit_callbacks
):
    for name in ("coordinator", "site_admin"):
        user = s.world.user(name)
        user.__class__.objects.filter(pk=user.pk).update(is_active=False)
    fill(s, by="focal")
    client = login(s.world.user("focal"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("report_submit", s), follow=True)
    s.report.refresh_from_db()
    assert s.report.status == ReportStatus.SUBMITTED
    assert mailoutbox == []
    assert _flash(response) == [
        "The report is submitted. No coordinator has an email address the portal can use, so "
        "nobody was emailed: tell the cluster coordinators yourself."
    ]


def test_validating_asks_first_and_says_what_counts_and_who_is_told(
    s, login, mailoutbox, django_capture_on_commit_callbacks
):
    fill_and_submit(s, by="staff")
    client = login(s.world.user("coordinator"))
    page = client.get(url("report", s)).content.decode()
    assert f'href="{url("report_validate", s)}"' in page
    confirmation = client.get(url("report_validate", s))
    tree = tinyhtml5.parse(confirmation.content.decode(), namespace_html_elements=False)
    lines = [
        " ".join("".join(item.itertext()).split())
        for item in tree.find(".//ul[@id='consequences']").iter("li")
    ]
    focal, staff = s.world.user("focal"), s.world.user("staff")
    assert lines == [
        "Its 1 row counts in the cluster's figures from now on: the dashboard, the strategy "
        "page and the bulletins not yet published.",
        "This version is kept as validated. To change it later the organisation asks for a "
        "correction, and a coordinator reopens it as a new version.",
        f"Emailed: {focal.get_full_name()} <{focal.email}>, "
        f"{staff.get_full_name()} <{staff.email}>.",
    ]
    s.report.refresh_from_db()
    assert s.report.status == ReportStatus.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("report_validate", s), follow=True)
    assert _flash(response) == ["Version 1 of the report is validated. 2 people are told by email."]
    s.report.refresh_from_db()
    assert s.report.status == ReportStatus.VALIDATED
    assert {message.to[0] for message in mailoutbox} == {focal.email, staff.email}


def test_emails_are_written_in_the_recipients_language(
    s, mailoutbox, django_capture_on_commit_callbacks
):
    coordinator = s.world.user("coordinator")
    coordinator.language = "ar"
    coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        fill_and_submit(s)
    to_cora = next(m for m in mailoutbox if m.to == ["cora@example.org"])
    assert "/ar/activities/reports/" in to_cora.body


def test_validating_over_http_keeps_version_one(s, login, mailoutbox):
    fill_and_submit(s)
    client = login(s.world.user("coordinator"))
    response = client.post(url("report_validate", s), follow=True)
    assert "Version 1 of the report is validated." in response.content.decode()
    assert s.report.versions.get().version == 1


def test_a_correction_request_tells_the_coordinators(
    s, login, mailoutbox, django_capture_on_commit_callbacks
):
    fill_and_submit(s)
    report_validate(report=s.report, by=s.world.user("coordinator"))
    client = login(s.world.user("staff"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("report_request_correction", s), {"reason": "Wrong district."})
    assert response.status_code == 302
    correction = [m for m in mailoutbox if "Correction requested" in m.subject]
    assert {m.to[0] for m in correction} == {"cora@example.org", "ada@example.org"}
    assert "Wrong district." in correction[0].body


def test_the_report_page_shows_both_versions_and_what_changed(s, login):
    fill_and_submit(s)
    report_validate(report=s.report, by=s.world.user("coordinator"))
    report_request_correction(report=s.report, by=s.world.user("staff"), reason="Typo")
    client = login(s.world.user("coordinator"))
    client.post(url("report_reopen", s))
    row = s.report.rows.get()
    report_save_rows(
        report=s.report,
        by=s.world.user("staff"),
        rows=[
            RowInput(
                pk=row.pk,
                activity=s.activity,
                area=s.district,
                status="completed",
                implementing_organisation=s.world.org_a,
                girls=20,
                boys=10,
                women=20,
                men=10,
                total=60,
            )
        ],
    )
    report_submit(report=s.report, by=s.world.user("staff"))
    report_validate(report=s.report, by=s.world.user("coordinator"))
    content = login(s.world.user("focal")).get(url("report", s)).content.decode()
    assert "Version 1, validated on" in content
    assert "Version 2, validated on" in content
    assert has_phrase(content, "What changed from version 1 to version 2")
    assert has_phrase(content, "Total reached: 50 → 60")
    assert "Status: Ongoing → Completed" in content


def test_a_report_entered_on_behalf_says_so(s, login):
    client = login(s.world.user("coordinator"))
    response = client.post(
        reverse("activities:report_on_behalf"),
        {"organisation": s.world.org_b.pk, "period": s.closed_period.pk},
    )
    report = s.world.org_b.activity_reports.get()
    assert response["Location"] == url("report_edit", type("S", (), {"report": report}))
    assert report.entered_by_coordinator
    page = login(s.world.user("other_member")).get(reverse("activities:report", args=[report.pk]))
    assert "Entered by the cluster on the partner" in page.content.decode()


# --- My tasks ------------------------------------------------------------------------------------


def test_coordinators_get_a_task_for_reports_to_validate(s):
    fill_and_submit(s)
    tasks = review_tasks_for_user(s.world.user("coordinator"))
    assert [task.title for task in tasks] == ["Activity reports to validate"]
    assert tasks[0].count == 1
    assert tasks[0].url == reverse("activities:reports") + "?status=submitted"


def test_the_organisation_gets_a_task_for_a_returned_report(s):
    ReportFactory(organisation=s.world.org_a, status=ReportStatus.RETURNED)
    tasks = review_tasks_for_user(s.world.user("staff"))
    assert [task.title for task in tasks] == ["Activity reports returned to you"]
    assert tasks[0].needs_action
    assert review_tasks_for_user(s.world.user("other_member")) == []


def test_coordinators_get_a_task_for_requested_corrections(s):
    ReportFactory(organisation=s.world.org_b, status=ReportStatus.CORRECTION_REQUESTED)
    titles = [task.title for task in review_tasks_for_user(s.world.user("coordinator"))]
    assert titles == ["Corrections of activity reports requested"]


def test_the_tasks_provider_makes_at_most_two_queries(s, django_assert_max_num_queries):
    user = s.world.user("focal")
    from partners.access import active_membership

    active_membership(user)
    with django_assert_max_num_queries(1):
        review_tasks_for_user(user)


# --- the list ------------------------------------------------------------------------------------


def test_members_see_only_their_organisations_reports(s, login):
    ReportFactory(organisation=s.world.org_b, period=s.closed_period)
    response = login(s.world.user("staff")).get(reverse("activities:reports"))
    assert {report.organisation for report in response.context["reports"]} == {s.world.org_a}
    assert "Beta Relief" not in response.content.decode()


def test_coordinators_filter_by_status(s, login):
    ReportFactory(organisation=s.world.org_b, period=s.closed_period, status=ReportStatus.SUBMITTED)
    client = login(s.world.user("coordinator"))
    response = client.get(reverse("activities:reports"), {"status": "submitted"})
    reports = list(response.context["reports"])
    assert [report.organisation for report in reports] == [s.world.org_b]


def test_the_list_makes_a_fixed_number_of_queries(s, login, django_assert_max_num_queries):
    for _index in range(4):
        organisation = OrganisationFactory()
        for month in (1, 2, 3):
            report = ReportFactory(
                organisation=organisation, period=PeriodFactory(year=2024, month=month)
            )
            for _ in range(3):
                ReportRowFactory(report=report, activity=s.activity, area=s.district)
    client = login(s.world.user("coordinator"))
    with django_assert_max_num_queries(9):
        response = client.get(reverse("activities:reports"))
    assert response.status_code == 200
    assert len(response.context["reports"]) == 13


def test_the_return_page_says_what_happens_and_whom_it_emails(s, login):
    fill_and_submit(s, by="staff")
    client = login(s.world.user("coordinator"))
    page = client.get(url("report_return", s))
    tree = tinyhtml5.parse(page.content.decode(), namespace_html_elements=False)
    lines = [
        " ".join("".join(item.itertext()).split())
        for item in tree.find(".//ul[@id='consequences']").iter("li")
    ]
    focal, staff = s.world.user("focal"), s.world.user("staff")
    assert lines == [
        f"The report goes back to {s.report.organisation.name}, which corrects it and submits "
        "it again.",
        "They read your comments on the report's page, where the rows you comment on are "
        "highlighted.",
        f"Emailed: {focal.get_full_name()} <{focal.email}>, "
        f"{staff.get_full_name()} <{staff.email}>.",
    ]


def test_the_history_lists_each_change_of_state_once(s, login):
    for donor in ("ECHO", "UNICEF", "WHO"):
        fill(s, donor=donor)
    report_submit(report=s.report, by=s.world.user("focal"))
    report_validate(report=s.report, by=s.world.user("coordinator"))
    assert s.report.history.count() > 3
    page = login(s.world.user("coordinator")).get(url("report", s))
    tree = tinyhtml5.parse(page.content.decode(), namespace_html_elements=False)
    section = tree.find(".//section[@aria-labelledby='history-heading']")
    states = [
        "".join(item.itertext()).split(": ", 1)[1].split(" (")[0] for item in section.iter("li")
    ]
    assert states == ["Validated", "Submitted", "Draft"]
