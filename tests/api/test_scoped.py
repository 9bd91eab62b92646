"""The token's scope: each endpoint answers exactly what the corresponding page's selector
gives that person, the export holds what the rows endpoint pages through, a page is a fixed
number of queries however many rows, and an ETag is the caller's own."""

import datetime
import json

import pytest

from activities import selectors_reports as report_selectors
from activities.models import Report, ReportStatus
from facilities import incident_selectors
from facilities import selectors as facility_selectors
from facilities.models import IncidentState
from projects import selectors as project_selectors
from projects.models import ReviewState
from tests.activities.factories import ActivityFactory, ReportFactory, ReportRowFactory
from tests.api.conftest import token_for
from tests.facilities.factories import FacilityFactory
from tests.facilities.incident_factories import incident, standard_lists
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

MEMBERS = ["staff", "focal", "other_member", "coordinator", "site_admin"]


def make_records(world, rows: int = 2, activity=None) -> None:
    """For each organisation a draft and a validated report of ``rows`` rows each (of
    ``activity`` when given); a project of each in each review state; a facility; verified
    and reported incidents of each."""
    activity = activity or ActivityFactory()
    for organisation in (world.org_a, world.org_b):
        for status in (ReportStatus.DRAFT, ReportStatus.VALIDATED):
            report = ReportFactory(organisation=organisation, status=status)
            ReportRowFactory.create_batch(rows, report=report, area=world.area, activity=activity)
        for state in (ReviewState.DRAFT, ReviewState.ACCEPTED):
            ProjectFactory(organisation=organisation, state=state)
        for state in (IncidentState.VERIFIED, IncidentState.REPORTED):
            incident(
                area=world.area,
                date=datetime.date(2026, 11, 3),
                state=state,
                organisation=organisation,
                description="Shelling near the gate.",
            )
    FacilityFactory(area=world.area)


@pytest.fixture
def records(world):
    standard_lists()
    make_records(world)
    return world


def _all_pages(client, url: str) -> list[dict]:
    results = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        results += response.json()["results"]
        url = response.json()["next"]
    return results


@pytest.mark.parametrize("role", MEMBERS)
def test_each_endpoint_gives_what_the_pages_show(role, records, api):
    user = records.user(role)
    client = api.as_(token_for(user))
    reports = _all_pages(client, "/api/v1/reports/")
    assert [r["id"] for r in reports] == list(
        report_selectors.report_list_for_user(user).values_list("pk", flat=True)
    )
    rows = _all_pages(client, "/api/v1/rows/?page_size=3")
    page_rows = [
        row.pk
        for report in report_selectors.report_list_for_user(user)
        for row in report_selectors.report_rows(report)
    ]
    assert sorted(r["id"] for r in rows) == sorted(page_rows)
    facilities = _all_pages(client, "/api/v1/facilities/")
    assert [f["code"] for f in facilities] == sorted(
        facility_selectors.registry(user).values_list("code", flat=True)
    )
    projects = _all_pages(client, "/api/v1/projects/")
    assert [p["id"] for p in projects] == list(
        project_selectors.project_list(user).values_list("pk", flat=True)
    )
    incidents = _all_pages(client, "/api/v1/incidents/")
    assert [i["id"] for i in incidents] == list(
        incident_selectors.incident_list(user).values_list("pk", flat=True)
    )


def test_a_partner_reads_its_own_reports_in_every_state_and_no_other(records, api):
    client = api.as_(token_for(records.user("staff")))
    reports = client.get("/api/v1/reports/").json()["results"]
    # Alpha's draft and validated reports, 2 rows each; none of Beta's.
    assert sorted(r["status"] for r in reports) == ["draft", "validated"]
    assert {r["organisation"]["acronym"] for r in reports} == {"AH"}
    assert [r["row_count"] for r in reports] == [2, 2]
    rows = client.get("/api/v1/rows/").json()["results"]
    assert len(rows) == 4
    assert {row["organisation"] for row in rows} == {str(records.org_a.public_id)}
    beta = Report.objects.filter(organisation=records.org_b).first()
    assert client.get(f"/api/v1/reports/{beta.pk}/").status_code == 404
    assert client.get(f"/api/v1/rows/?report={beta.pk}").json()["results"] == []


def test_the_coordinator_filters_reports_by_organisation_and_a_partner_cannot(records, api):
    coordinator = api.as_(token_for(records.user("coordinator")))
    url = f"/api/v1/reports/?organisation={records.org_b.pk}&status=validated"
    reports = coordinator.get(url).json()["results"]
    assert [(r["organisation"]["acronym"], r["status"]) for r in reports] == [("BR", "validated")]
    partner = api.as_(token_for(records.user("focal")))
    # The page has no organisation filter for a partner: the parameter means nothing.
    assert len(partner.get(url).json()["results"]) == 1
    assert partner.get(url).json()["results"][0]["organisation"]["acronym"] == "AH"


def test_a_filter_that_is_not_valid_is_a_400_that_names_it(records, api):
    client = api.as_(token_for(records.user("coordinator")))
    response = client.get("/api/v1/rows/?period_from=not-a-month")
    assert response.status_code == 400
    assert "period_from" in response.json()["error"]["fields"]


def test_incident_details_only_for_coordinators_and_the_reporting_organisation(records, api):
    other = api.as_(token_for(records.user("other_member")))
    for item in other.get("/api/v1/incidents/").json()["results"]:
        own = item["organisation"]["acronym"] == "BR"
        assert (item["description"] is not None) == own
        assert (item["source"] is not None) == own
    # Olga (Beta) sees both verified incidents and Beta's reported one, not Alpha's.
    states = sorted(
        (i["organisation"]["acronym"], i["state"])
        for i in other.get("/api/v1/incidents/").json()["results"]
    )
    assert states == [("AH", "verified"), ("BR", "reported"), ("BR", "verified")]


def test_the_public_incident_counts_are_the_verified_ones(records, api):
    counts = api.as_(None).get("/api/v1/incidents/counts/").json()
    # Two verified incidents in November 2026 in the one admin1 area (the reported two are
    # not counted): one cell of 2. The twelve months to December 2026 start in January.
    assert counts["first_month"] == "2026-01"
    assert counts["last_month"] == "2026-12"
    assert [(c["month"], c["area"], c["incidents"]) for c in counts["cells"]] == [
        ("2026-11", records.area.pcode, 2)
    ]


@pytest.mark.parametrize("path", ["reports", "rows", "rows/export", "projects", "incidents"])
def test_anonymous_callers_get_a_401_that_says_how(path, records, api):
    response = api.as_(None).get(f"/api/v1/{path}/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert "Access-Control-Allow-Origin" not in response


def test_the_export_holds_exactly_what_the_rows_endpoint_pages_through(records, api):
    client = api.as_(token_for(records.user("coordinator")))
    paged = _all_pages(client, "/api/v1/rows/?page_size=3")
    response = client.get("/api/v1/rows/export/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/jsonl; charset=utf-8"
    streamed = [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    assert len(streamed) == 8  # 2 organisations x 2 reports x 2 rows
    assert streamed == sorted(paged, key=lambda row: row["id"])


def test_the_export_keeps_the_filters(records, api):
    client = api.as_(token_for(records.user("coordinator")))
    report = Report.objects.filter(organisation=records.org_b).first()
    response = client.get(f"/api/v1/rows/export/?report={report.pk}")
    lines = b"".join(response.streaming_content).splitlines()
    assert [json.loads(line)["report"] for line in lines] == [report.pk, report.pk]


def _queries(django_assert_num_queries, client, url: str, count: int) -> None:
    client.get(url)  # the token's last use written, as it is at most once a minute
    with django_assert_num_queries(count):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("path", "count"),
    [
        # The token, then the page: rows one query; reports its count, the page and their
        # figures; projects the count, the page and their objectives; incidents the count, the
        # page and their types; facilities the count, the page, their statuses and supports.
        ("rows/", 2),
        ("reports/", 4),
        ("projects/", 4),
        ("incidents/", 4),
        ("facilities/", 5),
    ],
)
def test_query_counts_do_not_grow_with_the_rows(path, count, world, api, django_assert_num_queries):
    standard_lists()
    client = api.as_(token_for(world.user("coordinator")))
    make_records(world, rows=1)
    _queries(django_assert_num_queries, client, f"/api/v1/{path}", count)
    make_records(world, rows=5)
    make_records(world, rows=5)
    _queries(django_assert_num_queries, client, f"/api/v1/{path}", count)


def test_a_304_for_the_same_caller_not_for_another_organisation(records, api):
    alpha = token_for(records.user("staff"))
    beta = token_for(records.user("other_member"))
    first = api.as_(alpha).get("/api/v1/rows/")
    etag = first["ETag"]
    again = api.as_(alpha).get("/api/v1/rows/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag
    other = api.as_(beta).get("/api/v1/rows/", HTTP_IF_NONE_MATCH=etag)
    assert other.status_code == 200
    assert other.json()["results"][0]["organisation"] == str(records.org_b.public_id)


def test_the_public_reads_facilities_only_where_the_deployment_publishes_them(
    records, api, settings
):
    settings.PUBLISH_FACILITY_LOCATIONS = False
    hidden = api.as_(None).get("/api/v1/facilities/")
    assert hidden.status_code == 200
    assert hidden.json()["count"] == 0
    member = api.as_(token_for(records.user("other_member"))).get("/api/v1/facilities/")
    assert member.json()["count"] == 1
    settings.PUBLISH_FACILITY_LOCATIONS = True
    shown = api.as_(None).get("/api/v1/facilities/")
    assert [f["code"] for f in shown.json()["results"]] == [
        f["code"] for f in member.json()["results"]
    ]
    assert shown["Access-Control-Allow-Origin"] == "*"


def test_the_documentation_page_shows_how_to_read_the_export(api):
    page = api.get("/api/v1/docs/").content.decode()
    assert 'url = "http://testserver/api/v1/rows/export/?period_from=2026-01"' in page
    assert 'Web.Contents("http://testserver/api/v1/rows/export/"' in page


def test_rows_filtered_by_their_reports_status(records, api):
    client = api.as_(token_for(records.user("coordinator")))
    rows = client.get("/api/v1/rows/?report_status=validated").json()["results"]
    # The validated report of each organisation, 2 rows each.
    assert len(rows) == 4
    assert {row["report_status"] for row in rows} == {"validated"}
    assert client.get("/api/v1/rows/?status=planned").json()["results"] == []
