"""The project list's files: the header and HXL rows, a project's row with its funding and
budget split, the list's filters, and who sees which projects (members the accepted ones and
their own organisation's, coordinators every one)."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from projects.models import ProjectShare, ReviewState
from tests.activities.factories import ObjectiveFactory
from tests.factories import AdminAreaFactory, OrganisationFactory
from tests.projects.factories import FundingFactory, ProjectFactory, make_projects

pytestmark = pytest.mark.django_db

TAGS = [
    "#org+name",
    "#org+acronym",
    "#org+impl",
    "#activity+project+code",
    "#activity+project+name+i_en",
    "#activity+project+name+i_ar",
    "#org+funder",
    "#date+start",
    "#date+end",
    "#status",
    "#status+review",
    "#value+funding+required+usd",
    "#value+funding+total+usd",
    "#date+funding",
    "#meta+objective+code",
    "#meta+objective+pct",
    "#loc+share+pct",
]


def _rows(client, fmt: str = "hxl", **query) -> list[list[str]]:
    response = client.get(reverse("projects:export", args=[fmt]), query)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _titles(rows: list[list[str]], skip: int = 2) -> set[str]:
    return {row[4] for row in rows[skip:]}


def test_the_hxl_file_has_a_row_of_tags_and_a_project_with_its_funding_and_split(world, login):
    project = ProjectFactory(
        organisation=world.org_a,
        state=ReviewState.ACCEPTED,
        title_en="Mobile clinics",
        plan_code="HRP-26-HEA-001",
        donors="ECHO; CERF",
        budget_required_usd=Decimal("250000"),
    )
    project.implementing_partners.set([world.org_b])
    so1, so2 = ObjectiveFactory(code="SO1"), ObjectiveFactory(code="SO2")
    project.objectives.set([so1, so2])
    south = AdminAreaFactory(pcode="ZZ02", name_en="South")
    ProjectShare.objects.bulk_create(
        [
            ProjectShare(project=project, objective=so1, share_percent=Decimal("70")),
            ProjectShare(project=project, objective=so2, share_percent=Decimal("30")),
            ProjectShare(project=project, area=world.area, share_percent=Decimal("62.5")),
            ProjectShare(project=project, area=south, share_percent=Decimal("37.5")),
        ]
    )
    # The latest update counts: 120,000 on 1 May, not 80,000 on 1 March.
    FundingFactory(project=project, date=datetime.date(2026, 3, 1), amount_received_usd=80000)
    FundingFactory(project=project, date=datetime.date(2026, 5, 1), amount_received_usd=120000)
    header, tags, row = _rows(login(world.user("other_member")))
    assert tags == TAGS
    assert header[0] == "Organisation"
    assert row == [
        "Alpha Health",
        "AH",
        "Beta Relief",
        "HRP-26-HEA-001",
        "Mobile clinics",
        project.title_ar,
        "ECHO; CERF",
        "2026-01-01",
        "2026-12-31",
        "Ongoing",
        "Accepted into the plan",
        "250000.00",
        "120000.00",
        "2026-05-01",
        "SO1; SO2",
        "SO1 70 %; SO2 30 %",
        "ZZ01 North 62.50 %; ZZ02 South 37.50 %",
    ]


def test_a_project_without_a_split_or_funding_says_so(world, login):
    ProjectFactory(organisation=world.org_a, state=ReviewState.ACCEPTED)
    [row] = _rows(login(world.user("coordinator")))[2:]
    assert row[12:] == ["", "", "", "not broken down", "not broken down"]


def test_members_get_the_accepted_projects_and_their_own_coordinators_every_one(world, login):
    projects = make_projects(world)
    titles = {name: getattr(projects, name).title_en for name in vars(projects)}
    assert _titles(_rows(login(world.user("staff")))) == {
        titles[name] for name in ("draft", "submitted", "returned", "accepted")
    }
    assert _titles(_rows(login(world.user("other_member")))) == {
        titles["accepted"],
        titles["other_draft"],
    }
    assert _titles(_rows(login(world.user("coordinator")))) == set(titles.values())


def test_the_lists_filters_apply(world, login):
    projects = make_projects(world)
    client = login(world.user("coordinator"))
    rows = _rows(client, "csv", state=ReviewState.DRAFT, organisation=world.org_a.pk)
    # A plain CSV has no row of tags.
    assert _titles(rows, skip=1) == {projects.draft.title_en}


def test_the_excel_file_holds_the_same_rows(world, login):
    make_projects(world)
    response = login(world.user("other_member")).get(reverse("projects:export", args=["xlsx"]))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    assert sheet.title == "Projects"
    assert [cell.value for cell in sheet[1]][:2] == ["Organisation", "Organisation acronym"]
    assert sheet.max_row == 3  # the header, the accepted project and Olga's own draft


def test_the_file_asks_the_same_number_of_queries_for_3_and_7_projects(world, login):
    client = login(world.user("coordinator"))
    objectives = [ObjectiveFactory(code=f"SO{n}") for n in range(1, 4)]

    def add(count: int) -> None:
        for _index in range(count):
            project = ProjectFactory(organisation=OrganisationFactory())
            project.objectives.set(objectives)
            project.implementing_partners.set([world.org_a, world.org_b])
            for objective in objectives[:2]:
                ProjectShare.objects.create(project=project, objective=objective, share_percent=50)
            FundingFactory(project=project)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            _rows(client)
        return len(captured)

    add(3)
    small = queries()
    add(4)
    assert queries() == small
