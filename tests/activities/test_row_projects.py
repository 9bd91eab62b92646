"""Issue 26: a 4W row names the project it belongs to.

A row may name a project of the reporting organisation accepted into the plan, not
cancelled, running in the report's month and covering the row's area (its budget not broken
down by area, or a share in the area or one of the areas it lies in). The rows page offers
those; a coordinator may require, period by period, that every row names one, which the
submission enforces (drafts save without). The Excel template takes the project's code in its
last column (the response plan code, else "P-" and the portal's number), the row exports give
it as ``#activity+project+code`` and ``#activity+project+name``, the report page shows it, and
the project's page says what its organisation reported under it.

The setup's report is Alpha Health's for October 2026, in North One (ZZ0101) or North Two
(ZZ0102), both in the admin1 area North (ZZ01).
"""

import csv
import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from activities.models import PendingImport, ReportRow, ReportStatus, UnfinishedRow
from activities.services import imports
from activities.services.reports import RowInput, report_save_rows, report_submit, report_validate
from projects import selectors
from projects.models import ProjectShare, ProjectStatus, ReviewState
from tests.activities.factories import ReportFactory, ReportRowFactory
from tests.activities.test_import_helpers import GOOD_ROW, download_template, filled, upload
from tests.activities.test_reports_helpers import formset_post, row_data
from tests.activities.test_unfinished_rows import saved_page, shows
from tests.facilities.conftest import PINNED
from tests.projects.factories import ProjectFactory
from tests.text import has_phrase, page_text

pytestmark = pytest.mark.django_db

OCTOBER = datetime.date(2026, 10, 1)


@pytest.fixture(autouse=True)
def pinned_day(time_machine):
    time_machine.move_to(PINNED, tick=True)


class Projects:
    """Alpha Health's projects and one of Beta Relief's, against October 2026."""

    def __init__(self, setup):
        world = setup.world

        def project(code, organisation=None, shares=(), **values):
            values = {"state": ReviewState.ACCEPTED, **values}
            made = ProjectFactory(
                organisation=organisation or world.org_a, plan_code=code, **values
            )
            for area in shares:
                ProjectShare.objects.create(project=made, area=area, share_percent=100)
            return made

        # Split to the admin1 area North: covers both its districts.
        self.north = project("HRP-26-001", title_en="North outreach", shares=[world.area])
        # Split to North One only.
        self.one = project("HRP-26-002", title_en="North One clinics", shares=[setup.district])
        # Not broken down by area, without a plan code: named P- and its number.
        self.whole = project("", title_en="Whole country")
        self.ended = project("HRP-26-003", title_en="Ended", end=datetime.date(2026, 9, 30))
        self.cancelled = project("HRP-26-004", title_en="Dropped", status=ProjectStatus.CANCELLED)
        self.submitted = project("HRP-26-005", title_en="Waiting", state=ReviewState.SUBMITTED)
        self.others = project("HRP-26-009", title_en="Beta's", organisation=world.org_b)
        self.others_draft = project(
            "HRP-26-010", title_en="Beta's plans", organisation=world.org_b, state=ReviewState.DRAFT
        )


@pytest.fixture
def projects(setup):
    return Projects(setup)


def edit_url(setup) -> str:
    return reverse("activities:report_edit", args=[setup.report.pk])


def save(client, setup, **values):
    return client.post(edit_url(setup), formset_post([row_data(setup, **values)]))


def _row(setup, project, area=None) -> RowInput:
    return RowInput(
        activity=setup.total_only,
        area=area or setup.district,
        status="ongoing",
        total=10,
        implementing_organisation=setup.world.org_a,
        project=project,
    )


# --- which projects a row may name ---------------------------------------------------------------


def test_the_rows_may_name_the_organisations_accepted_projects_running_that_month(
    setup, projects, django_assert_num_queries
):
    with django_assert_num_queries(2):  # the projects, then their area shares
        offered = selectors.projects_for_rows(setup.world.org_a, OCTOBER)

    assert [project.row_code for project in offered] == [
        f"P-{projects.whole.pk}",
        "HRP-26-001",
        "HRP-26-002",
    ]


def test_a_project_runs_in_a_month_from_its_first_to_its_last_day(setup, projects):
    ProjectFactory(
        organisation=setup.world.org_a,
        plan_code="ENDS-1-OCT",
        state=ReviewState.ACCEPTED,
        end=datetime.date(2026, 10, 1),
    )
    ProjectFactory(
        organisation=setup.world.org_a,
        plan_code="STARTS-31-OCT",
        state=ReviewState.ACCEPTED,
        start=datetime.date(2026, 10, 31),
    )
    ProjectFactory(
        organisation=setup.world.org_a,
        plan_code="STARTS-1-NOV",
        state=ReviewState.ACCEPTED,
        start=datetime.date(2026, 11, 1),
    )
    codes = {
        project.row_code for project in selectors.projects_for_rows(setup.world.org_a, OCTOBER)
    }

    assert {"ENDS-1-OCT", "STARTS-31-OCT"} <= codes
    assert "STARTS-1-NOV" not in codes
    assert "HRP-26-003" not in codes  # ended on 30 September


def test_a_project_covers_its_areas_the_areas_within_them_or_every_area_unsplit(setup, projects):
    offered = {p.pk: p for p in selectors.projects_for_rows(setup.world.org_a, OCTOBER)}
    north, one, whole = (
        offered[projects.north.pk],
        offered[projects.one.pk],
        offered[projects.whole.pk],
    )

    assert selectors.covers(north, setup.district)  # North One lies in North
    assert selectors.covers(north, setup.other_district)
    assert selectors.covers(one, setup.district)
    assert not selectors.covers(one, setup.other_district)
    assert not selectors.covers(one, setup.world.area)  # North is wider than North One
    assert selectors.covers(whole, setup.other_district)


# --- the rows page -------------------------------------------------------------------------------


def _offered_in_page(page: str) -> list[str]:
    select = re.search(r'<select[^>]* name="form-0-project"[^>]*>(.*?)</select>', page, re.S)
    return re.findall(r">([^<]+)</option>", select[1])


def test_the_page_offers_only_the_projects_the_rows_may_name(setup, focal, projects):
    page = focal.get(edit_url(setup)).content.decode()

    assert _offered_in_page(page) == [
        "—",
        f"P-{projects.whole.pk} Whole country",
        "HRP-26-001 North outreach",
        "HRP-26-002 North One clinics",
    ]


def test_a_row_saved_with_its_project_keeps_it(setup, focal, projects):
    response = save(focal, setup, project=str(projects.north.pk))

    assert response.status_code == 302
    assert setup.report.rows.get().project == projects.north


def test_a_project_that_does_not_cover_the_rows_area_is_a_row_problem(setup, focal, projects):
    response = save(focal, setup, area=str(setup.other_district.pk), project=str(projects.one.pk))

    assert shows(
        saved_page(focal, response),
        "Row 1, project: The project HRP-26-002 North One clinics does not cover North Two "
        "(ZZ0102): its budget goes to other areas.",
    )
    assert not setup.report.rows.exists()
    assert UnfinishedRow.objects.get().values["project"] == str(projects.one.pk)


def test_a_project_of_another_organisation_cannot_be_chosen(setup, focal, projects):
    response = save(focal, setup, project=str(projects.others.pk))

    assert shows(
        saved_page(focal, response),
        "Row 1, project: Choose a project of the list: your organisation's projects accepted "
        "into the plan for this month.",
    )
    assert not setup.report.rows.exists()


def test_a_saved_rows_project_cancelled_since_stays_on_the_row_and_says_why(setup, focal, projects):
    ReportRowFactory(
        report=setup.report, activity=setup.total_only, area=setup.district, project=projects.one
    )
    projects.one.status = ProjectStatus.CANCELLED
    projects.one.save()
    page = focal.get(edit_url(setup)).content.decode()

    assert "HRP-26-002 North One clinics" in _offered_in_page(page)
    assert f'<option value="{projects.one.pk}" selected>' in page


# --- submission ----------------------------------------------------------------------------------


def test_rows_without_a_project_are_submitted_while_the_period_does_not_require_one(
    setup, projects
):
    focal = setup.world.user("focal")
    report_save_rows(report=setup.report, by=focal, rows=[_row(setup, None)])

    assert report_submit(report=setup.report, by=focal).status == ReportStatus.SUBMITTED


def test_a_period_that_requires_projects_refuses_the_rows_without_one_by_number(setup, projects):
    focal = setup.world.user("focal")
    setup.open_period.projects_required = True
    setup.open_period.save()
    # Drafts save without.
    report_save_rows(
        report=setup.report,
        by=focal,
        rows=[_row(setup, projects.north), _row(setup, None), _row(setup, None)],
    )

    with pytest.raises(ValidationError) as refused:
        report_submit(report=setup.report, by=focal)
    assert refused.value.messages == [
        "Rows 2, 3 name no project: for October 2026 every row names the project it belongs "
        "to. Choose them on the rows page, then submit the report."
    ]
    setup.report.refresh_from_db()
    assert setup.report.status == ReportStatus.DRAFT

    setup.report.rows.update(project=projects.whole)
    assert report_submit(report=setup.report, by=focal).status == ReportStatus.SUBMITTED


def test_submission_refuses_a_project_cancelled_after_the_row_named_it(setup, projects):
    focal = setup.world.user("focal")
    report_save_rows(report=setup.report, by=focal, rows=[_row(setup, projects.one)])
    projects.one.status = ProjectStatus.CANCELLED
    projects.one.save()

    with pytest.raises(ValidationError) as refused:
        report_submit(report=setup.report, by=focal)
    assert refused.value.messages == [
        "Row 1: The project HRP-26-002 North One clinics is cancelled."
    ]


def test_the_submit_button_says_which_rows_lack_a_project(setup, focal, projects):
    setup.open_period.projects_required = True
    setup.open_period.save()
    ReportRowFactory(report=setup.report, activity=setup.total_only, area=setup.district)

    response = focal.post(reverse("activities:report_submit", args=[setup.report.pk]), follow=True)

    assert has_phrase(
        page_text(response.content.decode()),
        "Row 1 names no project: for October 2026 every row names the project it belongs to.",
    )
    setup.report.refresh_from_db()
    assert setup.report.status == ReportStatus.DRAFT


def test_a_coordinator_requires_projects_for_a_period_on_its_page(setup, login):
    coordinator = login(setup.world.user("coordinator"))
    url = reverse("activities:period_edit", args=[setup.open_period.pk])
    form = {"opens_at": "2026-11-01T00:00", "deadline": "2026-11-10T23:59"}

    assert coordinator.post(url, {**form, "projects_required": "on"}).status_code == 302
    setup.open_period.refresh_from_db()
    assert setup.open_period.projects_required
    listing = page_text(coordinator.get(reverse("activities:periods")).content.decode())
    assert has_phrase(listing, "October 2026")
    assert has_phrase(listing, "Every row names its project")
    page = coordinator.get(url).content.decode()
    assert re.search(r'<input type="checkbox" name="projects_required"[^>]* checked', page)

    coordinator.post(url, form)
    setup.open_period.refresh_from_db()
    assert not setup.open_period.projects_required


def test_the_validated_version_keeps_the_project(setup, projects):
    ReportRowFactory(
        report=setup.report, activity=setup.total_only, area=setup.district, project=projects.one
    )
    setup.report.status = ReportStatus.SUBMITTED
    setup.report.save()
    report_validate(report=setup.report, by=setup.world.user("coordinator"))

    kept = setup.report.versions.get().rows[0]
    assert (kept["project_code"], kept["project_title"]) == ("HRP-26-002", "North One clinics")


# --- pages: what they show and their queries -----------------------------------------------------


def test_the_report_page_shows_each_rows_project(setup, focal, projects):
    ReportRowFactory(
        report=setup.report, activity=setup.total_only, area=setup.district, project=projects.one
    )
    ReportRowFactory(report=setup.report, activity=setup.total_only, area=setup.other_district)
    page = focal.get(reverse("activities:report", args=[setup.report.pk])).content.decode()

    assert has_phrase(page_text(page), "Project HRP-26-002 · North One clinics")
    assert page.count("Project <span") == 1


def _rows_naming(setup, project, count: int, start: int = 0) -> None:
    ReportRow.objects.bulk_create(
        ReportRow(
            report=setup.report,
            activity=setup.total_only,
            area=setup.district,
            project=project,
            implementing_other=f"Local partner {number}",
            status="ongoing",
            total=10,
            order=number,
        )
        for number in range(start, start + count)
    )


@pytest.mark.parametrize("name", ["activities:report_edit", "activities:report"])
def test_rows_naming_projects_take_no_more_queries_to_show(setup, focal, projects, name):
    url = reverse(name, args=[setup.report.pk])
    _rows_naming(setup, projects.north, 3)
    focal.get(url)  # the footer's identity is kept after a first page
    with CaptureQueriesContext(connection) as few:
        assert focal.get(url).status_code == 200
    _rows_naming(setup, projects.one, 20, start=3)
    with CaptureQueriesContext(connection) as many:
        assert focal.get(url).status_code == 200
    assert len(few) == len(many), [query["sql"] for query in many.captured_queries]


def test_saving_rows_naming_projects_takes_the_same_queries_for_3_or_20(setup, focal, projects):
    def saving(count: int) -> int:
        setup.report.rows.all().delete()
        rows = [
            row_data(setup, project=str(projects.north.pk), implementing_other=f"P{n}")
            | {"implementing_organisation": ""}
            for n in range(count)
        ]
        with CaptureQueriesContext(connection) as queries:
            assert focal.post(edit_url(setup), formset_post(rows)).status_code == 302
        assert setup.report.rows.filter(project=projects.north).count() == count
        return len(queries)

    assert saving(3) == saving(20)


def test_the_projects_page_says_what_its_organisation_reported_under_it(
    setup, login, projects, django_assert_num_queries
):
    validated = ReportFactory(
        organisation=setup.world.org_a, period=setup.closed_period, status=ReportStatus.VALIDATED
    )
    for total in (50, 30):
        ReportRowFactory(
            report=validated,
            activity=setup.total_only,
            area=setup.district,
            project=projects.north,
            total=total,
        )
    # Not counted: a draft's row, and a row of another organisation's report.
    ReportRowFactory(
        report=setup.report, activity=setup.total_only, area=setup.district, project=projects.north
    )
    others = ReportFactory(
        organisation=setup.world.org_b, period=setup.closed_period, status=ReportStatus.VALIDATED
    )
    ReportRowFactory(
        report=others, activity=setup.total_only, area=setup.district, project=projects.north
    )
    with django_assert_num_queries(1):
        figures = selectors.reported_under(projects.north)
    assert figures == {"rows": 2, "people": 80}  # 50 + 30

    member = login(setup.world.user("staff"))
    page = member.get(reverse("projects:detail", args=[projects.north.pk])).content.decode()
    assert has_phrase(
        page_text(page),
        "2 rows in validated 4W reports of the organisation, 80 people reached",
    )


# --- the Excel template and import ---------------------------------------------------------------


def _with_project(code, pcode: str = "ZZ0101") -> list:
    row = list(GOOD_ROW)
    row[2] = pcode
    return [*row, None, code]  # no facility code


def test_the_template_holds_the_project_code_last_and_lists_the_projects(setup, focal, projects):
    ReportRowFactory(
        report=setup.report, activity=setup.activity, area=setup.district, project=projects.one
    )
    workbook = load_workbook(io.BytesIO(download_template(focal, setup.report)))
    sheet = workbook.worksheets[0]

    assert sheet["Q5"].value == "Project code"
    assert sheet["Q6"].value == "HRP-26-002"
    listed = list(workbook["Projects"].values)
    assert [(row[0], row[1], row[4]) for row in listed[1:]] == [
        (f"P-{projects.whole.pk}", "Whole country", "Every area (not broken down)"),
        ("HRP-26-001", "North outreach", "ZZ01"),
        ("HRP-26-002", "North One clinics", "ZZ0101"),
    ]
    instructions = "\n".join(str(row[0]) for row in workbook["Instructions"].values)
    assert "such as P-12" in instructions


def test_an_import_names_projects_by_plan_code_or_portal_code(setup, focal, projects):
    rows = [_with_project("hrp-26-001"), _with_project(f"P-{projects.whole.pk}", pcode="ZZ0102")]
    response = upload(focal, setup.report, filled(download_template(focal, setup.report), rows))

    assert response.status_code == 302
    confirm = focal.get(response["Location"]).content.decode()
    assert has_phrase(page_text(confirm), "Alpha Health · HRP-26-001")
    focal.post(response["Location"])
    assert [row.project for row in setup.report.rows.order_by("order")] == [
        projects.north,
        projects.whole,
    ]


@pytest.mark.parametrize("row", [GOOD_ROW, [*GOOD_ROW, None]], ids=["15 columns", "16 columns"])
def test_an_import_of_a_sheet_made_before_the_project_column_names_no_project(
    setup, focal, projects, row
):
    response = upload(focal, setup.report, filled(download_template(focal, setup.report), [row]))
    focal.post(response["Location"])

    assert setup.report.rows.get().project is None


@pytest.mark.parametrize(
    ("code", "pcode", "message"),
    [
        (
            "HRP-404",
            "ZZ0101",
            "HRP-404 is not the code of a project: give its response plan code, or P- and its "
            "number for a project without one (the Projects sheet lists them).",
        ),
        (
            # Another organisation's draft is not Alpha Health's to see: not even its title.
            "HRP-26-010",
            "ZZ0101",
            "HRP-26-010 is not the code of a project: give its response plan code, or P- and its "
            "number for a project without one (the Projects sheet lists them).",
        ),
        (
            "HRP-26-009",
            "ZZ0101",
            "The project HRP-26-009 Beta's is another organisation's: "
            "a row names a project of Alpha Health (AH).",
        ),
        (
            "HRP-26-005",
            "ZZ0101",
            "The project HRP-26-005 Waiting is not accepted into the "
            "plan (it is submitted for review): a row names an accepted project.",
        ),
        (
            "HRP-26-004",
            "ZZ0101",
            "The project HRP-26-004 Dropped is cancelled.",
        ),
        (
            "HRP-26-003",
            "ZZ0101",
            "The project HRP-26-003 Ended runs from 1 Jan 2026 to 30 Sep 2026, not in "
            "October 2026.",
        ),
        (
            "HRP-26-002",
            "ZZ0102",
            "The project HRP-26-002 North One clinics does not cover North Two (ZZ0102): its "
            "budget goes to other areas.",
        ),
    ],
    ids=[
        "unknown",
        "another organisation's draft",
        "another organisation",
        "not accepted",
        "cancelled",
        "ended",
        "area",
    ],
)
def test_an_import_refuses_a_wrong_project_by_row_and_imports_nothing(
    setup, focal, projects, code, pcode, message
):
    content = filled(
        download_template(focal, setup.report), [_with_project(""), _with_project(code, pcode)]
    )

    with pytest.raises(imports.ImportRefused) as refused:
        imports.read_rows(
            SimpleUploadedFile("report.xlsx", content), setup.report, by=setup.world.user("focal")
        )
    assert [(p.row, p.column, p.message) for p in refused.value.problems] == [
        (7, "Project code", message)
    ]

    assert upload(focal, setup.report, content).status_code == 400
    assert not PendingImport.objects.exists()
    assert not setup.report.rows.exists()


def test_the_import_looks_projects_up_in_the_same_queries_for_3_or_30_rows(setup, projects):
    def reading(count: int) -> int:
        rows = [_with_project("HRP-26-001")] * count
        content = filled(download_template_for(setup), rows)
        focal = setup.world.user("focal")
        by = type(focal).objects.get(pk=focal.pk)  # afresh: nothing of it cached yet
        with CaptureQueriesContext(connection) as queries:
            read = imports.read_rows(SimpleUploadedFile("r.xlsx", content), setup.report, by=by)
        assert [row.project for row in read] == [projects.north] * count
        return len(queries)

    assert reading(3) == reading(30)


def download_template_for(setup) -> bytes:
    from django.test import Client

    client = Client()
    client.force_login(setup.world.user("focal"))
    return download_template(client, setup.report)


# --- the exports ---------------------------------------------------------------------------------


def _export(client, fmt: str) -> list[list[str]]:
    response = client.get(reverse("activities:export", kwargs={"fmt": fmt}))
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_row_exports_give_the_project_code_and_title(setup, login, projects, settings):
    validated = ReportFactory(
        organisation=setup.world.org_a, period=setup.closed_period, status=ReportStatus.VALIDATED
    )
    ReportRowFactory(
        report=validated, activity=setup.total_only, area=setup.district, project=projects.north
    )
    ReportRowFactory(
        report=validated, activity=setup.total_only, area=setup.district, project=projects.whole
    )
    ReportRowFactory(report=validated, activity=setup.total_only, area=setup.other_district)
    member = login(setup.world.user("staff"))

    table = _export(member, "csv")
    lines = [dict(zip(table[0], line, strict=True)) for line in table[1:]]
    assert sorted((line["Project code"], line["Project"]) for line in lines) == [
        ("", ""),
        ("HRP-26-001", "North outreach"),
        (f"P-{projects.whole.pk}", "Whole country"),
    ]
    hxl = _export(member, "hxl")
    code, name = hxl[1].index("#activity+project+code"), hxl[1].index("#activity+project+name")
    assert sorted((line[code], line[name]) for line in hxl[2:]) == [
        ("", ""),
        ("HRP-26-001", "North outreach"),
        (f"P-{projects.whole.pk}", "Whole country"),
    ]

    response = member.get(reverse("activities:export", kwargs={"fmt": "xlsx"}))
    values = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    column = values[0].index("Project code")
    assert sorted(str(line[column] or "") for line in values[1:]) == [
        "",
        "HRP-26-001",
        f"P-{projects.whole.pk}",
    ]

    settings.PUBLIC_MIN_ORGANISATIONS = 1
    public = login(None)
    for fmt in ("csv", "hxl"):
        text = "\n".join(",".join(line) for line in _export(public, fmt))
        assert "HRP-26-001" not in text
        assert "#activity+project" not in text
