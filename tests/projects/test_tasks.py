"""Projects on My tasks: those to review for coordinators, those returned for members."""

import pytest
from django.urls import reverse

from projects.selectors import tasks_for_user
from tests.projects.factories import make_projects

pytestmark = pytest.mark.django_db


def test_coordinators_are_told_of_the_projects_to_review(world):
    make_projects(world)
    tasks = tasks_for_user(world.user("coordinator"))
    assert [(task.title, task.count, task.url) for task in tasks] == [
        ("Projects to review", 1, reverse("projects:review_queue"))
    ]


def test_members_are_told_of_their_returned_projects_only(world):
    make_projects(world)
    [task] = tasks_for_user(world.user("staff"))
    assert task.title == "Projects returned to you"
    assert task.count == 1
    assert tasks_for_user(world.user("other_member")) == []


def test_the_my_tasks_page_lists_them(world, login):
    make_projects(world)
    page = login(world.user("focal")).get(reverse("my_tasks")).content.decode()
    assert "Projects returned to you" in page
