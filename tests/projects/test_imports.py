"""The projects import: a good workbook adds drafts with their budget shares and planned
activities; every kind of bad row is reported by sheet, row and column and nothing is saved;
a dry run saves nothing; members import their own organisation's projects, coordinators any
organisation's; the template offers the lists."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from locations.models import AdminLevel
from projects.models import PlannedActivity, Project, ProjectShare, ProjectStatus, ReviewState
from tests.activities.factories import ActivityFactory, ObjectiveFactory
from tests.factories import AdminAreaFactory
from tests.projects.factories import ProjectFactory
from tests.projects.import_helpers import PROJECT, SHARES, as_upload, filled, template

pytestmark = pytest.mark.django_db

IMPORT = reverse("projects:import")


@pytest.fixture
def catalogue(world):
    """SO1, the North (ZZ01) with its district ZZ0101, the South (ZZ02), and the activity OPD."""
    ObjectiveFactory(code="SO1")
    AdminAreaFactory(pcode="ZZ02", name_en="South")
    AdminAreaFactory(pcode="ZZ0101", level=AdminLevel.ADMIN2, parent=world.area)
    ActivityFactory(code="OPD", name_en="Outpatient consultations")


def _post(client, content: bytes, **data):
    return client.post(IMPORT, {"file": as_upload(content), **data})


def _problems(client, content: bytes) -> list[str]:
    counts = (Project.objects.count(), ProjectShare.objects.count())
    response = _post(client, content)
    assert response.status_code == 400
    assert (Project.objects.count(), ProjectShare.objects.count()) == counts
    assert not PlannedActivity.objects.exists()
    return [str(problem) for problem in response.context["problems"]]


def test_a_member_imports_a_draft_of_their_organisation_with_its_split_and_plan(
    world, login, catalogue
):
    staff = world.user("staff")
    response = _post(login(staff), filled(staff))
    assert response.status_code == 302
    project = Project.objects.get()
    assert (project.organisation, project.state, project.created_by) == (
        world.org_a,
        ReviewState.DRAFT,
        staff,
    )
    assert (project.title_en, project.title_ar, project.plan_code) == (
        "Mobile clinics",
        "عيادات متنقلة",
        "HRP-26-001",
    )
    assert project.start == datetime.date(2026, 1, 1)
    assert project.budget_required_usd == Decimal("250000.00")
    assert [org.acronym for org in project.implementing_partners.all()] == ["BR"]
    assert [objective.code for objective in project.objectives.all()] == ["SO1"]
    shares = {
        (share.objective.code if share.objective else share.area.pcode): share.share_percent
        for share in project.shares.select_related("objective", "area")
    }
    assert shares == {"SO1": 100, "ZZ01": 60, "ZZ02": 40}
    planned = project.planned_activities.get()
    assert (planned.area.pcode, planned.first_month, planned.last_month) == (
        "ZZ0101",
        datetime.date(2026, 2, 1),
        datetime.date(2026, 6, 1),
    )
    assert (planned.target, planned.girls, planned.boys, planned.women, planned.men) == (
        1200,
        300,
        280,
        340,
        280,
    )
    assert project.history.first().history_user == staff


def test_a_dry_run_says_what_would_be_added_and_saves_nothing(world, login, catalogue):
    staff = world.user("staff")
    response = _post(login(staff), filled(staff), dry_run="on")
    assert response.status_code == 200
    assert not Project.objects.exists()
    assert response.context["summary"] == (
        "The file is correct; nothing was saved yet. Importing it would add 1 draft project, "
        "with 3 budget shares and 1 planned activities."
    )
    assert [project.title_en for project in response.context["result"].projects] == [
        "Mobile clinics"
    ]


def test_a_coordinator_imports_projects_of_the_organisations_named(world, login, catalogue):
    coordinator = world.user("coordinator")
    rows = [
        ["P1", "AH", *PROJECT[2:]],
        ["P2", "Beta Relief", "Vaccination", "", "", "", "", "2026-03-01", "2026-05-31",
         "planned", 1000, ""],
    ]  # fmt: skip
    response = _post(login(coordinator), filled(coordinator, rows, SHARES, []))
    assert response.status_code == 302
    assert {(p.title_en, p.organisation.acronym) for p in Project.objects.all()} == {
        ("Mobile clinics", "AH"),
        ("Vaccination", "BR"),
    }


def test_a_member_naming_another_organisation_is_refused(world, login, catalogue):
    staff = world.user("staff")
    content = filled(staff, [["P1", "BR", *PROJECT[2:]]])
    assert _problems(login(staff), content) == [
        "Sheet “Projects”, row 3, Organisation: You import your own organisation's projects "
        "only: leave the cell empty."
    ]


def test_every_bad_row_is_reported_by_sheet_row_and_column(world, login, catalogue):
    ProjectFactory(plan_code="HRP-26-007")
    staff = world.user("staff")
    projects = [
        PROJECT,
        # The same reference; a plan code taken; the end before the start; a status
        # unknown; a budget not a number; a partner and an objective unknown.
        ["P1", "", "Second", "", "HRP-26-007", "Nobody", "", "2026-05-01", "2026-04-01",
         "paused", "lots", "SO9"],
        # No reference, no title, no days.
        ["", "", "", "", "", "", "", "", "", "planned", 10, ""],
        # A plan code given twice in the file.
        ["P3", "", "Third", "", "HRP-26-001", "", "", "2026-01-01", "2026-06-30", "planned",
         10, ""],
    ]  # fmt: skip
    shares = [
        ["P1", "SO1", "", 100],
        ["P1", "", "ZZ01", 70],
        ["P1", "", "ZZ02", 40],  # 70 + 40 = 110 per cent
        ["P9", "SO1", "", 10],  # no such project
        ["P3", "SO1", "ZZ01", 10],  # both kinds at once
        ["P3", "", "XX99", 10],  # no such area
    ]
    planned = [
        ["P1", "OPD", "ZZ0101", "2025-12", "2026-03", 100],  # before the project starts
        ["P1", "NOPE", "ZZ01", "2026-02", "2026-03", 100],  # no such activity
        ["P1", "OPD", "ZZ01", "March", "2026-03", 0],  # no month, a target of 0
    ]
    problems = _problems(login(staff), filled(staff, projects, shares, planned))
    assert problems == [
        "Sheet “Projects”, row 4, Project reference: Row 3 has this reference already: give "
        "each project its own.",
        "Sheet “Projects”, row 4, Response plan code: Another project has this response plan code.",
        "Sheet “Projects”, row 4, Implementing partners: “Nobody” is not the acronym or name "
        "of one approved partner.",
        "Sheet “Projects”, row 4, End: The project cannot end before it starts.",
        "Sheet “Projects”, row 4, Status: “paused” is not one of the statuses: Planned; "
        "Ongoing; Completed; Cancelled.",
        "Sheet “Projects”, row 4, Budget required (US$): Enter a number in digits, with a "
        "point before any decimals (for example 35.204).",
        "Sheet “Projects”, row 4, Strategic objectives served: “SO9” is not the code of a "
        "strategic objective.",
        "Sheet “Projects”, row 5, Project reference: Give the project a reference, such as P1.",
        "Sheet “Projects”, row 5, Title (English): Give the project's title in English.",
        "Sheet “Projects”, row 5, Start: Give the day.",
        "Sheet “Projects”, row 5, End: Give the day.",
        "Sheet “Projects”, row 6, Response plan code: Row 3 has this response plan code already.",
        "Sheet “Budget shares”, row 4, Share (per cent): The shares by area add up to more "
        "than 100 per cent.",
        "Sheet “Budget shares”, row 6, Project reference: No project of the projects sheet has "
        "the reference “P9”.",
        "Sheet “Budget shares”, row 7, Strategic objective: Give either a strategic "
        "objective's code or an area's p-code: a share is of one.",
        "Sheet “Budget shares”, row 8, Area p-code: “XX99” is not the p-code of an admin1 or "
        "admin2 area.",
        "Sheet “Planned activities”, row 3, First month: The first month is before the "
        "project starts.",
        "Sheet “Planned activities”, row 4, Activity code: “NOPE” is not the code of an "
        "activity of the catalogue.",
        "Sheet “Planned activities”, row 5, First month: “March” is not a month; write it as "
        "2026-03.",
        "Sheet “Planned activities”, row 5, Target: Enter a number no smaller than 1.",
    ]


def test_a_planned_activity_outside_the_projects_areas_is_refused(world, login, catalogue):
    staff = world.user("staff")
    planned = [["P1", "OPD", "ZZ02", "2026-02", "2026-03", 100]]
    shares = [["P1", "", "ZZ01", 100]]
    [problem] = _problems(login(staff), filled(staff, shares=shares, planned=planned))
    assert problem.startswith(
        "Sheet “Planned activities”, row 3, Area p-code: The area is none of the areas"
    )


def test_a_workbook_without_a_project_is_refused(world, login, catalogue):
    staff = world.user("staff")
    assert _problems(login(staff), filled(staff, [], [], [])) == [
        "The sheet “Projects” holds no project under its headers."
    ]


def test_formulas_are_refused(world, login, catalogue):
    staff = world.user("staff")
    row = [*PROJECT[:2], "=A1", *PROJECT[3:10], "=1000*2", PROJECT[11]]
    problems = _problems(login(staff), filled(staff, [row]))
    assert {problem.split(": ")[0] for problem in problems} == {
        "Sheet “Projects”, row 3, Title (English)",
        "Sheet “Projects”, row 3, Budget required (US$)",
    }
    assert all("The cell holds a formula." in problem for problem in problems)


def test_the_sheets_are_found_by_their_hashtags_whatever_their_names(world, login, catalogue):
    staff = world.user("staff")

    def rename(workbook):
        for index, sheet in enumerate(workbook.worksheets[:3]):
            sheet.title = f"Mine {index}"

    assert _post(login(staff), filled(staff, edit=rename)).status_code == 302
    assert Project.objects.get().planned_activities.count() == 1


def test_the_template_offers_the_lists_and_tags_each_sheet(world, login, catalogue):
    coordinator = world.user("coordinator")
    response = login(coordinator).get(reverse("projects:import_template"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == [
        "Projects",
        "Budget shares",
        "Planned activities",
        "Lists",
        "Instructions",
    ]
    tags = [cell.value for cell in workbook["Projects"][2]]
    assert tags[:5] == [
        "#activity+project+id",
        "#org+name",
        "#activity+project+name+i_en",
        "#activity+project+name+i_ar",
        "#activity+project+code",
    ]
    lists = workbook["Lists"]
    columns = {lists.cell(1, column).value: column for column in range(1, lists.max_column + 1)}
    organisations = [
        lists.cell(row, columns["Organisation"]).value for row in range(2, lists.max_row + 1)
    ]
    assert [name for name in organisations if name] == ["AH", "BR"]
    validations = workbook["Projects"].data_validations.dataValidation
    assert {str(rule.sqref) for rule in validations} == {"J3:J302", "B3:B302"}


def test_a_members_template_offers_no_organisation(world, login, catalogue):
    workbook = load_workbook(io.BytesIO(template(world.user("staff"))))
    headers = [cell.value for cell in workbook["Lists"][1]]
    assert "Organisation" not in headers
    assert "Activity code" in headers


def test_the_arabic_template_is_right_to_left_and_reads_back_with_arabic_statuses(
    world, login, catalogue
):
    staff = world.user("staff")
    client = login(staff)
    with translation.override("ar"):
        response = client.get(reverse("projects:import_template"))
        data = b"".join(response.streaming_content)
        workbook = load_workbook(io.BytesIO(data))
        projects = workbook.worksheets[0]
        assert projects.sheet_view.rightToLeft
        status = str(ProjectStatus.ONGOING.label)
        assert status != "Ongoing"
        row = [*PROJECT[:9], status, *PROJECT[10:]]
        for column, value in enumerate(row, start=1):
            projects.cell(row=3, column=column, value=value)
        output = io.BytesIO()
        workbook.save(output)
        assert (
            client.post(
                reverse("projects:import"), {"file": as_upload(output.getvalue())}
            ).status_code
            == 302
        )
    assert Project.objects.get().status == ProjectStatus.ONGOING


def test_the_pages_of_the_import_and_a_project_with_planned_activities_work_in_arabic(
    world, login, catalogue
):
    staff = world.user("staff")
    client = login(staff)
    _post(client, filled(staff))
    project = Project.objects.get()
    with translation.override("ar"):
        for url in (
            reverse("projects:import"),
            reverse("projects:detail", args=[project.pk]),
            reverse("projects:edit", args=[project.pk]),
        ):
            page = client.get(url)
            assert page.status_code == 200, url
            assert 'dir="rtl"' in page.content.decode()
