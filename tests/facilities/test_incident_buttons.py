"""An incident's page offers an action exactly when doing it works.

For an incident in each state (and one of a suspended organisation, and one a coordinator
reported), seen by every role of the permission matrix, each button or link of its page is
there if and only if its POST changes the incident (``tests/buttons.py``): the page asks
``facilities.incident_policy`` and the services enforce it.
"""

import pytest
from django.urls import reverse

from facilities.models import Incident, IncidentState
from partners.models import OrganisationStatus
from tests.buttons import Action, mismatches
from tests.conftest import ROLES
from tests.facilities.incident_factories import dismissed, form_data, reported, verified

pytestmark = pytest.mark.django_db

SUSPENDED = "reported by a suspended organisation"
BY_COORDINATOR = "reported by a coordinator"
STATES = ["reported", "verified", "dismissed", SUSPENDED, BY_COORDINATOR]


def _page(incident: Incident) -> str:
    return reverse("incidents:detail", kwargs={"pk": incident.pk})


def _url(name: str):
    return lambda incident: reverse(f"incidents:{name}", kwargs={"pk": incident.pk})


def _becomes(state: str):
    return lambda before, after: before.state != state and after.state == state


def _actions(world) -> list[Action]:
    return [
        Action(
            "edit",
            _page,
            _url("edit"),
            lambda before, after: after.source == "Checked source",
            lambda incident: form_data(world, source="Checked source"),
        ),
        Action("verify", _page, _url("verify"), _becomes(IncidentState.VERIFIED)),
        Action(
            "dismiss",
            _page,
            _url("dismiss"),
            _becomes(IncidentState.DISMISSED),
            lambda incident: {"comment": "A duplicate."},
        ),
    ]


def _incident(world, state: str) -> Incident:
    if state == "verified":
        return verified(world)
    if state == "dismissed":
        return dismissed(world)
    if state == BY_COORDINATOR:
        return reported(world, by="coordinator")
    incident = reported(world)
    if state == SUSPENDED:
        world.org_a.status = OrganisationStatus.SUSPENDED
        world.org_a.save()
    return incident


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", STATES)
def test_the_incident_page_shows_a_button_exactly_when_its_action_works(state, role, world, login):
    incident = _incident(world, state)
    client = login(world.user(role))

    def reload(record: Incident) -> Incident:
        return Incident.objects.get(pk=record.pk)

    assert mismatches(client, incident, _actions(world), reload) == []
