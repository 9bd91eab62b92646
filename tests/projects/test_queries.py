"""The project list and the review queue ask the database a fixed number of times, whatever
their rows: each read with a small dataset and with one more than twice its size, each
project of its own organisation with three objectives and three funding updates."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import PlannedActivity, ReviewState
from tests.activities.factories import ActivityFactory, ObjectiveFactory
from tests.factories import AdminAreaFactory, OrganisationFactory
from tests.projects.factories import FundingFactory, ProjectFactory

pytestmark = pytest.mark.django_db

LIST = reverse("projects:list")
QUEUE = reverse("projects:review_queue")


def add_projects(count: int, state: str) -> None:
    objectives = [ObjectiveFactory(code=f"SO{n}") for n in range(1, 4)]
    for _index in range(count):
        project = ProjectFactory(organisation=OrganisationFactory(), state=state)
        project.objectives.set(objectives)
        for month in (1, 2, 3):
            FundingFactory(project=project, date=datetime.date(2026, month, 1))


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("role", "url", "state"),
    [
        ("other_member", LIST, ReviewState.ACCEPTED),
        ("coordinator", LIST, ReviewState.DRAFT),
        ("coordinator", QUEUE, ReviewState.SUBMITTED),
    ],
)
def test_the_page_asks_the_same_number_of_queries_for_3_and_7_projects(
    world, login, role, url, state
):
    client = login(world.user(role))
    add_projects(3, state)
    small = _queries(client, url)
    add_projects(4, state)
    assert _queries(client, url) == small


def test_the_list_asks_a_pinned_number_of_queries(world, login, django_assert_num_queries):
    add_projects(3, ReviewState.ACCEPTED)
    client = login(world.user("other_member"))
    client.get(LIST)  # the session's first read
    # Session, user, membership; the count and the page of projects with their funding; their
    # objectives; the two filters' choices (organisations, objectives). The cluster's profile
    # for the footer is kept in the cache after the first read.
    with django_assert_num_queries(8):
        client.get(LIST)


def test_the_form_reads_each_list_of_choices_once_whatever_its_length(world, login):
    project = ProjectFactory(organisation=world.org_a)
    client = login(world.user("staff"))
    url = reverse("projects:edit", args=[project.pk])
    for n in range(3):
        ObjectiveFactory(code=f"SO{n}")
        AdminAreaFactory(pcode=f"ZZ1{n}")
    small = _queries(client, url)
    for n in range(3, 10):
        ObjectiveFactory(code=f"SO{n}")
        AdminAreaFactory(pcode=f"ZZ1{n}")
    assert _queries(client, url) == small


@pytest.mark.parametrize(
    ("role", "page", "state"),
    [("other_member", "detail", ReviewState.ACCEPTED), ("staff", "edit", ReviewState.DRAFT)],
)
def test_a_projects_page_asks_the_same_number_of_queries_for_3_and_7_planned_activities(
    world, login, role, page, state
):
    project = ProjectFactory(organisation=world.org_a, state=state)
    client = login(world.user(role))
    url = reverse(f"projects:{page}", args=[project.pk])

    def plan(count: int) -> None:
        for _index in range(count):
            PlannedActivity.objects.create(
                project=project,
                activity=ActivityFactory(),
                area=AdminAreaFactory(),
                first_month=datetime.date(2026, 1, 1),
                last_month=datetime.date(2026, 3, 1),
                target=100,
            )

    plan(3)
    small = _queries(client, url)
    plan(4)
    assert _queries(client, url) == small
