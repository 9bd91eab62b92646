"""A project's page offers an action exactly when doing it works.

For organisation A's projects in each review state (the organisation approved or suspended),
seen by every role of the permission matrix, each button or link of the project's page is
there if and only if its POST changes the project (``tests/buttons.py``). The page asks
``projects.policy`` and the services enforce it: this checks that the two agree.
"""

import pytest
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from partners.models import OrganisationStatus
from projects.models import Project, ReviewState
from tests.buttons import Action, mismatches
from tests.conftest import ROLES
from tests.projects.factories import make_projects, project_form

pytestmark = pytest.mark.django_db


def _page(project: Project) -> str:
    return reverse("projects:detail", kwargs={"pk": project.pk})


def _url(name: str):
    return lambda project: reverse(f"projects:{name}", kwargs={"pk": project.pk})


def _becomes(state: str):
    return lambda before, after: before.state != state and after.state == state


ACTIONS = [
    Action(
        "edit",
        _page,
        _url("edit"),
        lambda before, after: after.title_en == "Renamed project",
        lambda project: project_form(title_en="Renamed project"),
    ),
    Action("submit", _page, _url("submit"), _becomes(ReviewState.SUBMITTED)),
    Action("accept", _page, _url("accept"), _becomes(ReviewState.ACCEPTED)),
    Action(
        "return",
        _page,
        _url("return"),
        _becomes(ReviewState.RETURNED),
        lambda project: {"comment": "Give the donors."},
    ),
    Action(
        "record funding",
        _page,
        _url("funding_add"),
        lambda before, after: after.updates > before.updates,
        lambda project: {
            "date": timezone.localdate().isoformat(),
            "amount_received_usd": "1000",
            "source": "FTS",
        },
    ),
]


def _reload(project: Project) -> Project:
    return Project.objects.annotate(updates=Count("funding")).get(pk=project.pk)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", ["draft", "submitted", "returned", "accepted"])
@pytest.mark.parametrize("suspended", [False, True], ids=["approved", "suspended"])
def test_a_project_shows_its_buttons_exactly_when_they_work(world, login, role, state, suspended):
    projects = make_projects(world)
    if suspended:
        world.org_a.status = OrganisationStatus.SUSPENDED
        world.org_a.save()
    client = login(world.user(role))
    assert mismatches(client, getattr(projects, state), ACTIONS, _reload) == []
