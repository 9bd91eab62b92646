"""Issue 22: the list of activity reports counts rows and people for the page's reports only.

It computed the rows and the sum of people of every report the list could show (7,759 at
scale) before showing 25, and its paginator repeated that join: 1.04 s for a coordinator.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.activities.factories import PeriodFactory, ReportFactory
from tests.activities.test_reports_helpers import add_rows
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

LIST = reverse("activities:reports")


def _shown(response) -> dict[int, tuple[int, int | None]]:
    return {report.pk: (report.row_count, report.reached) for report in response.context["reports"]}


def test_each_report_shows_its_rows_and_people(setup, login):
    add_rows(setup, [10, 20, 30])
    empty = ReportFactory(organisation=setup.world.org_b, period=setup.open_period)
    response = login(setup.world.user("coordinator")).get(LIST)
    assert _shown(response) == {setup.report.pk: (3, 60), empty.pk: (0, None)}
    row = response.content.decode().split(f'href="/en/activities/reports/{setup.report.pk}/"')[1]
    row = row.split("</tr>")[0]
    assert '<td class="text-end">3</td>' in row
    assert '<td class="text-end">60</td>' in row


def test_a_member_sees_the_figures_of_their_own_reports_only(setup, login):
    add_rows(setup, [5])
    other = ReportFactory(organisation=setup.world.org_b, period=setup.open_period)
    add_rows(setup, [7], report=other)
    response = login(setup.world.user("focal")).get(LIST)
    assert _shown(response) == {setup.report.pk: (1, 5)}


def _reports(setup, count: int) -> None:
    for number in range(count):
        report = ReportFactory(
            organisation=OrganisationFactory(),
            period=PeriodFactory(year=2020, month=1 + number % 12),
        )
        add_rows(setup, [number, 1], report=report)


def test_the_list_makes_the_same_queries_with_3_or_60_reports(setup, login):
    client = login(setup.world.user("coordinator"))
    _reports(setup, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST).status_code == 200
    _reports(setup, 57)
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)
    assert response.context["page_obj"].paginator.count == 61
    assert len(response.context["reports"]) == 25
    assert len(few) == len(many), [query["sql"] for query in many.captured_queries]
