"""Exports of the registry: one row per finding as CSV, HXL-tagged CSV and Excel."""

import csv
import datetime
import io

import pytest
from django.http import StreamingHttpResponse
from openpyxl import load_workbook

from assessments.models import AssessmentStatus
from locations.models import AdminLevel
from tests.assessments.factories import AssessmentFactory, FindingFactory, HealthDomainFactory
from tests.factories import AdminAreaFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "Organisation",
    "Admin 1",
    "Admin 1 p-code",
    "Admin 2",
    "Admin 2 p-code",
    "Health domain",
    "Severity",
    "People in need",
    "Start date",
    "End date",
    "Assessment",
    "Assessment ID",
]
TAGS = [
    "#org",
    "#adm1+name",
    "#adm1+code",
    "#adm2+name",
    "#adm2+code",
    "#sector",
    "#severity",
    "#inneed",
    "#date+start",
    "#date+end",
    "#meta+title",
    "#meta+id",
]


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


def xlsx_rows(response) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(body(response)))
    return list(workbook.active.iter_rows(values_only=True))


@pytest.fixture
def tree(world):
    riverside = AdminAreaFactory(
        pcode="ZZ0101", level=AdminLevel.ADMIN2, parent=world.area, name_en="Riverside"
    )
    ford = AdminAreaFactory(
        pcode="ZZ010101", level=AdminLevel.ADMIN3, parent=riverside, name_en="Ford"
    )
    return {"north": world.area, "riverside": riverside, "ford": ford}


@pytest.fixture
def flood(world, tree):
    """A published assessment of org A with findings at admin1, admin2 and admin3."""
    nutrition = HealthDomainFactory(code="test-nutrition", name_en="Test nutrition", order=1)
    assessment = AssessmentFactory(
        title_en="Flood needs",
        lead_organisation=world.org_a,
        start_date=datetime.date(2025, 3, 1),
        end_date=datetime.date(2025, 3, 15),
        areas=[tree["north"]],
    )
    FindingFactory(
        assessment=assessment, area=tree["north"], domain=nutrition, severity=3, people_in_need=900
    )
    FindingFactory(
        assessment=assessment,
        area=tree["riverside"],
        domain=nutrition,
        severity=4,
        people_in_need=500,
    )
    FindingFactory(
        assessment=assessment, area=tree["ford"], domain=nutrition, severity=5, people_in_need=None
    )
    return assessment


def test_the_csv_streams_one_row_per_finding_with_admin1_and_admin2(client, flood):
    response = client.get("/en/assessments/export.csv/")
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="needs-assessments-')
    rows = csv_rows(response)
    assert rows[0] == HEADER
    common = ["Test nutrition"]
    dates = ["2025-03-01", "2025-03-15", "Flood needs", str(flood.pk)]
    assert rows[1:] == [
        ["Alpha Health", "North", "ZZ01", "", "", *common, "3", "900", *dates],
        ["Alpha Health", "North", "ZZ01", "Riverside", "ZZ0101", *common, "4", "500", *dates],
        ["Alpha Health", "North", "ZZ01", "Riverside", "ZZ0101", *common, "5", "", *dates],
    ]


def test_the_hxl_export_puts_the_tags_under_the_header(client, flood):
    response = client.get("/en/assessments/export.hxl/")
    assert response["Content-Disposition"].endswith('.hxl.csv"')
    rows = csv_rows(response)
    assert rows[0] == HEADER
    assert rows[1] == TAGS
    assert len(rows) == 5


def test_the_excel_export_has_the_same_rows_as_numbers_and_dates(client, flood):
    response = client.get("/en/assessments/export.xlsx/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = xlsx_rows(response)
    assert list(rows[0]) == HEADER
    first = rows[1]
    assert first[:8] == ("Alpha Health", "North", "ZZ01", None, None, "Test nutrition", 3, 900)
    assert first[8].date() == datetime.date(2025, 3, 1)
    assert first[10:] == ("Flood needs", flood.pk)
    assert len(rows) == 4


@pytest.mark.parametrize(("fmt", "kind"), [("csv", "text/csv"), ("xlsx", "application/vnd")])
def test_the_format_can_be_given_as_a_parameter(client, flood, fmt, kind):
    response = client.get("/en/assessments/export/", {"format": fmt})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(kind)


def test_an_unknown_format_is_not_found(client, flood):
    assert client.get("/en/assessments/export/", {"format": "pdf"}).status_code == 404
    assert client.get("/en/assessments/export.pdf/").status_code == 404


def test_a_formula_in_a_title_arrives_as_text(client, world):
    FindingFactory(
        assessment__title_en='=HYPERLINK("http://evil.example","Click")',
        assessment__lead_organisation=world.org_a,
    )
    csv_title = csv_rows(client.get("/en/assessments/export.csv/"))[1][10]
    assert csv_title == '\'=HYPERLINK("http://evil.example","Click")'
    xlsx_title = xlsx_rows(client.get("/en/assessments/export.xlsx/"))[1][10]
    assert xlsx_title == csv_title


def test_restricted_assessments_are_never_in_a_public_export(client, login, world, flood):
    FindingFactory(
        assessment__title_en="Members only",
        assessment__lead_organisation=world.org_b,
        assessment__is_restricted=True,
    )
    public = {row[10] for row in csv_rows(client.get("/en/assessments/export.csv/"))[1:]}
    assert public == {"Flood needs"}
    public_xlsx = {row[10] for row in xlsx_rows(client.get("/en/assessments/export.xlsx/"))[1:]}
    assert public_xlsx == {"Flood needs"}
    member = login(world.user("staff"))
    members = {row[10] for row in csv_rows(member.get("/en/assessments/export.csv/"))[1:]}
    assert members == {"Flood needs", "Members only"}


def test_unpublished_assessments_stay_out_even_for_their_own_organisation(login, world, flood):
    FindingFactory(
        assessment__title_en="Our draft",
        assessment__lead_organisation=world.org_a,
        assessment__status=AssessmentStatus.DRAFT,
    )
    rows = csv_rows(login(world.user("focal")).get("/en/assessments/export.csv/"))
    assert {row[10] for row in rows[1:]} == {"Flood needs"}


def test_the_export_follows_the_filters_of_the_list(client, world, flood):
    FindingFactory(
        assessment__title_en="Elsewhere",
        assessment__lead_organisation=world.org_b,
        assessment__type="mira",
    )
    rows = csv_rows(client.get("/en/assessments/export.csv/", {"type": "mira"}))
    assert [row[10] for row in rows[1:]] == ["Elsewhere"]
    rows = csv_rows(client.get("/en/assessments/export.csv/", {"area": "ZZ0101"}))
    assert {row[10] for row in rows[1:]} == {"Flood needs"}


def test_the_arabic_export_gives_arabic_names(client, world, flood):
    rows = csv_rows(client.get("/ar/assessments/export.csv/"))
    assert rows[1][1] == "الشمال"


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "hxl"])
@pytest.mark.parametrize("role", ["anonymous", "staff"])
def test_an_export_takes_the_same_queries_however_many_rows(
    login, world, fmt, role, django_assert_max_num_queries
):
    def add_assessments(count: int) -> None:
        for _ in range(count):
            areas = [AdminAreaFactory(level=AdminLevel.ADMIN1) for _ in range(3)]
            assessment = AssessmentFactory(
                lead_organisation=OrganisationFactory(),
                areas=areas,
                participating_organisations=[OrganisationFactory() for _ in range(3)],
            )
            for area in areas:
                district = AdminAreaFactory(level=AdminLevel.ADMIN2, parent=area)
                FindingFactory(assessment=assessment, area=district)

    add_assessments(3)
    client = login(world.user(role))
    with django_assert_max_num_queries(8) as few:
        rows = body(client.get(f"/en/assessments/export.{fmt}/"))
    assert rows
    add_assessments(4)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body(client.get(f"/en/assessments/export.{fmt}/"))


def test_a_members_export_is_kept_out_of_shared_caches(client, login, world, flood):
    assert "private" not in client.get("/en/assessments/export.csv/").get("Cache-Control", "")
    member = login(world.user("staff"))
    assert "private" in member.get("/en/assessments/export.csv/")["Cache-Control"]
