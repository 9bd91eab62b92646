"""Who has reported: a period's completeness, the year's table, a partner's history, My tasks."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import PeriodReopening, ReportStatus
from activities.selectors import completeness_table, period_completeness, tasks_for_user
from partners.models import OrganisationStatus
from tests.activities.factories import PeriodFactory, ReportFactory, ReportRowFactory
from tests.factories import MembershipFactory, OrganisationFactory
from tests.text import has_phrase

# Mid-December 2025: the November 2025 periods the tests name closed on the 10th.
pytestmark = pytest.mark.time_machine(datetime.datetime(2025, 12, 15, 12, 0, tzinfo=datetime.UTC))


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def _table(page: str) -> str:
    """The page's table of organisations, without the figures or the key above it."""
    return page[page.index("<table") : page.index("</table>")]


def _locked_period(days_ago: int = 5, **kwargs):
    now = timezone.now()
    return PeriodFactory(
        opens_at=now - datetime.timedelta(days=days_ago + 10),
        deadline=now - datetime.timedelta(days=days_ago),
        **kwargs,
    )


def _report(organisation, period, status, *, late=False, rows=3):
    submitted_at = None
    if status != ReportStatus.DRAFT:
        submitted_at = period.deadline + datetime.timedelta(hours=5 if late else -5)
    report = ReportFactory(
        organisation=organisation, period=period, status=status, submitted_at=submitted_at
    )
    ReportRowFactory.create_batch(rows, report=report)
    return report


@pytest.fixture
def period_with_reports(world):
    """Org A validated, B late, C on time, D returned, E draft, F not started, G suspended."""
    period = _locked_period()
    orgs = {"a": world.org_a, "b": world.org_b}
    for key in "cdef":
        orgs[key] = OrganisationFactory(name_en=f"Org {key.upper()}")
    orgs["g"] = OrganisationFactory(name_en="Org G", status=OrganisationStatus.SUSPENDED)
    OrganisationFactory(name_en="Pending Org", status=OrganisationStatus.PENDING)
    _report(orgs["a"], period, ReportStatus.VALIDATED)
    _report(orgs["b"], period, ReportStatus.SUBMITTED, late=True)
    _report(orgs["c"], period, ReportStatus.SUBMITTED)
    _report(orgs["d"], period, ReportStatus.RETURNED)
    _report(orgs["e"], period, ReportStatus.DRAFT)
    _report(orgs["g"], period, ReportStatus.SUBMITTED)
    return period, orgs


def test_the_period_page_counts_each_state_and_the_rates(world, period_with_reports):
    period, _orgs = period_with_reports
    completeness = period_completeness(period)
    counts = completeness.counts
    assert counts["expected"] == 6
    assert counts["submitted"] == 3
    assert counts["by_deadline"] == 2
    assert (counts["validated"], counts["late"], counts["on_time"]) == (1, 1, 1)
    assert (counts["returned"], counts["draft"], counts["not_started"]) == (1, 1, 1)
    assert completeness.completeness_rate == 50
    assert completeness.on_time_rate == 67


def test_the_period_page_lists_every_approved_and_suspended_organisation(
    world, login, period_with_reports
):
    period, orgs = period_with_reports
    page = login(world.user("coordinator")).get(
        reverse("activities:period_detail", args=[period.pk])
    )
    text = page.content.decode()
    assert "Pending Org" not in text
    assert "Suspended, not expected" in text
    assert has_phrase(text, "50% — 3 of 6 approved organisations have submitted")
    assert has_phrase(text, "67% — 2 of 3 submitted reports came by the deadline")
    table = _table(text)
    for label in ("Validated", "Submitted late", "Submitted on time", "Returned for correction"):
        assert label in table
    assert "Draft, not submitted" in table
    assert "Not started" in table
    report = orgs["a"].activity_reports.get()
    assert reverse("activities:report", args=[report.pk]) in text
    reopen = reverse("activities:period_reopen", args=[period.pk])
    assert has_phrase(text, f"{reopen}?organisation={orgs['f'].pk}")
    assert f"{reopen}?organisation={orgs['g'].pk}" not in text


def test_an_open_period_has_no_reopen_button(world, login):
    now = timezone.now()
    period = PeriodFactory(
        opens_at=now - datetime.timedelta(days=1), deadline=now + datetime.timedelta(days=5)
    )
    page = login(world.user("coordinator")).get(
        reverse("activities:period_detail", args=[period.pk])
    )
    assert reverse("activities:period_reopen", args=[period.pk]) not in page.content.decode()


def test_the_period_page_shows_until_when_an_organisation_may_submit(world, login):
    period = _locked_period()
    until = timezone.now() + datetime.timedelta(days=3)
    PeriodReopening.objects.create(period=period, organisation=world.org_b, until=until)
    completeness = period_completeness(period)
    line = next(line for line in completeness.lines if line.organisation == world.org_b)
    assert line.reopened_until == until


def test_the_period_page_makes_the_same_queries_for_more_organisations(
    world, login, django_assert_num_queries
):
    period = _locked_period()
    client = login(world.user("coordinator"))
    url = reverse("activities:period_detail", args=[period.pk])

    def add(count):
        for status in [ReportStatus.SUBMITTED, ReportStatus.DRAFT, ReportStatus.VALIDATED][:count]:
            _report(OrganisationFactory(), period, status)
        OrganisationFactory()

    add(3)
    few = _queries(client, url)
    add(3)
    add(3)
    with django_assert_num_queries(few):
        client.get(url)


def test_the_year_table_shows_each_organisation_by_period_with_its_rates(world):
    periods = [_locked_period(days_ago=30 * n + 5, year=2025, month=11 - n) for n in range(3)]
    now = timezone.now()
    PeriodFactory(  # not open yet
        opens_at=now + datetime.timedelta(days=10), deadline=now + datetime.timedelta(days=20)
    )
    _report(world.org_a, periods[0], ReportStatus.VALIDATED)
    _report(world.org_a, periods[1], ReportStatus.SUBMITTED, late=True)
    _report(world.org_b, periods[2], ReportStatus.DRAFT)

    table = completeness_table()

    assert table.periods == list(reversed(periods))
    row_a = next(row for row in table.rows if row.organisation == world.org_a)
    assert row_a.expected == 3
    assert row_a.completeness_rate == 67
    assert row_a.on_time_rate == 50
    row_b = next(row for row in table.rows if row.organisation == world.org_b)
    assert [cell.state for cell in row_b.cells] == ["draft", "not_started", "not_started"]
    assert row_b.on_time_rate is None


def test_the_year_table_keeps_only_the_last_twelve_periods(world):
    for n in range(14):
        _locked_period(days_ago=30 * n + 5)
    assert len(completeness_table().periods) == 12


def test_the_year_page_says_each_state_in_words_and_makes_a_fixed_number_of_queries(
    world, login, django_assert_num_queries
):
    client = login(world.user("coordinator"))
    periods = [_locked_period(days_ago=30 * n + 5) for n in range(3)]

    def add():
        for period in periods:
            _report(OrganisationFactory(), period, ReportStatus.SUBMITTED, rows=1)

    add()
    _report(world.org_a, periods[0], ReportStatus.RETURNED)
    url = reverse("activities:completeness")
    few = _queries(client, url)
    table = _table(client.get(url).content.decode())
    assert "Returned for correction" in table
    assert "Submitted on time" in table
    add()
    add()
    with django_assert_num_queries(few):
        client.get(url)


def test_the_year_page_links_each_reports_cell_to_that_report(world, login):
    """Each cell names its state in words; a report's cell opens that report, a period
    without a report links nowhere."""
    client = login(world.user("coordinator"))
    empty, reported = _locked_period(days_ago=35), _locked_period(days_ago=5)
    report = _report(world.org_a, reported, ReportStatus.VALIDATED)
    table = _table(client.get(reverse("activities:completeness")).content.decode())
    head = table[: table.index("</thead>")]
    columns = [int(pk) for pk in re.findall(r"/activities/periods/(\d+)/", head)]
    name = re.escape(world.org_a.name_en)
    row = re.search(rf"<th scope=\"row\">[^<]*<a [^>]*>{name}</a>.*?</tr>", table, re.S)
    cells = re.findall(r"<td>(.*?)</td>", row.group(0), re.S)
    report_url = reverse("activities:report", args=[report.pk])
    not_started = '<span aria-hidden="true">\N{EN DASH}</span> Not started'
    validated = f'<span aria-hidden="true">✔</span> <a href="{report_url}">Validated</a>'
    assert cells[columns.index(empty.pk)] == not_started
    assert cells[columns.index(reported.pk)] == validated


# --- history --------------------------------------------------------------------------------------


def test_a_member_sees_their_organisations_reports_over_the_months(world, login):
    older = _locked_period(days_ago=40, year=2025, month=10)
    newer = _locked_period(days_ago=5, year=2025, month=11)
    _report(world.org_a, older, ReportStatus.VALIDATED, late=True, rows=2)
    _report(world.org_a, newer, ReportStatus.DRAFT, rows=3)
    _report(world.org_b, newer, ReportStatus.SUBMITTED)

    response = login(world.user("staff")).get(reverse("activities:history"))

    reports = list(response.context["page_obj"])
    assert [report.period for report in reports] == [newer, older]
    assert [report.rows_count for report in reports] == [3, 2]
    assert reports[1].total_reached == 2 * 50
    page = response.content.decode()
    assert "No, late" in page
    assert "Not submitted" in page
    assert "Activity reports of Alpha Health" in page


def test_a_member_asking_for_another_organisations_history_gets_a_404(world, login):
    response = login(world.user("other_member")).get(
        reverse("activities:history"), {"organisation": world.org_a.pk}
    )
    assert response.status_code == 404


def test_a_coordinator_chooses_the_organisation(world, login):
    _report(world.org_b, _locked_period(), ReportStatus.SUBMITTED)
    response = login(world.user("coordinator")).get(
        reverse("activities:history"), {"organisation": world.org_b.pk}
    )
    assert response.context["organisation"] == world.org_b
    assert "Yes, on time" in response.content.decode()


def test_the_history_makes_the_same_queries_for_more_reports(
    world, login, django_assert_num_queries
):
    client = login(world.user("focal"))
    url = reverse("activities:history")

    def add(count):
        for _ in range(count):
            _report(world.org_a, _locked_period(days_ago=5), ReportStatus.SUBMITTED, rows=3)

    add(3)
    few = _queries(client, url)
    add(4)
    with django_assert_num_queries(few):
        client.get(url)


# --- My tasks -------------------------------------------------------------------------------------


def _open_period(**kwargs):
    now = timezone.now()
    return PeriodFactory(
        opens_at=now - datetime.timedelta(days=2), deadline=now + datetime.timedelta(days=8)
    )


@pytest.mark.parametrize("role", ["focal", "staff"])
def test_members_are_asked_for_the_report_of_an_open_period(world, role):
    period = _open_period()
    tasks = tasks_for_user(world.user(role))
    assert len(tasks) == 1
    assert tasks[0].title.startswith(f"Report for {period} due ")
    assert tasks[0].url == reverse("activities:report_start", kwargs={"period_pk": period.pk})


def test_a_draft_still_leaves_the_task_but_a_submitted_report_ends_it(world):
    period = _open_period()
    report = _report(world.org_a, period, ReportStatus.DRAFT)
    assert len(tasks_for_user(world.user("focal"))) == 1
    report.status = ReportStatus.SUBMITTED
    report.save()
    assert tasks_for_user(world.user("focal")) == []
    assert len(tasks_for_user(world.user("other_member"))) == 1


def test_a_locked_period_asks_only_the_organisation_it_is_reopened_for(world):
    period = _locked_period()
    PeriodReopening.objects.create(
        period=period, organisation=world.org_b, until=timezone.now() + datetime.timedelta(days=2)
    )
    assert tasks_for_user(world.user("focal")) == []
    assert len(tasks_for_user(world.user("other_member"))) == 1


def test_coordinators_and_suspended_organisations_get_no_reporting_task(world):
    _open_period()
    suspended = OrganisationFactory(status=OrganisationStatus.SUSPENDED)
    member = MembershipFactory(organisation=suspended).user
    assert tasks_for_user(member) == []
    assert tasks_for_user(world.user("coordinator")) == []


def test_the_task_shows_on_the_my_tasks_page(world, login):
    period = _open_period()
    page = login(world.user("focal")).get(reverse("my_tasks")).content.decode()
    assert f"Report for {period} due" in page
