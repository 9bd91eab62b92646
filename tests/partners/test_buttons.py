"""The partners' pages offer an action exactly when doing it works.

Two pages, each for organisation A in each state the workflow and the matrices build, seen
by every role of the permission matrix: the member's organisation page, where the focal
point answers requests to join, manages the team and the profile, and a member leaves; and
the coordinators' review pages, where a registration is approved or rejected and an
organisation suspended or reinstated. Each button or link is there if and only if its POST
changes the records (``tests/buttons.py``): the pages ask ``partners.policy`` and the
services enforce it.
"""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from partners.models import (
    MemberRole,
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationStatus,
)
from partners.services.membership import membership_remove
from tests.buttons import Action, mismatches
from tests.conftest import ROLES
from tests.factories import MembershipFactory
from tests.partners.test_registration import form_data

pytestmark = pytest.mark.django_db

RENAMED = "Alpha Health Services"


@dataclass
class Team:
    """Organisation A, an open request to join it, and its staff member's membership."""

    organisation: Organisation
    request: Membership
    staff: Membership
    left: int = 0  # memberships that ended by leaving, in any organisation


def _team_now(team: Team) -> Team:
    return Team(
        organisation=Organisation.objects.get(pk=team.organisation.pk),
        request=Membership.objects.get(pk=team.request.pk),
        staff=Membership.objects.get(pk=team.staff.pk),
        left=Membership.objects.filter(status=MembershipStatus.LEFT).count(),
    )


def _mine(team: Team) -> str:
    return reverse("partners:my_organisation")


def _team_actions(world) -> list[Action]:
    return [
        Action(
            "accept the request",
            _mine,
            lambda team: reverse("partners:request_accept", args=[team.request.pk]),
            lambda before, after: after.request.status == MembershipStatus.ACTIVE,
        ),
        Action(
            "decline the request",
            _mine,
            lambda team: reverse("partners:request_decline", args=[team.request.pk]),
            lambda before, after: after.request.status == MembershipStatus.DECLINED,
        ),
        Action(
            "remove the staff member",
            _mine,
            lambda team: reverse("partners:member_remove", args=[team.staff.pk]),
            lambda before, after: (
                before.staff.status == MembershipStatus.ACTIVE
                and after.staff.status == MembershipStatus.REMOVED
            ),
        ),
        Action(
            "hand the focal point role over",
            _mine,
            lambda team: reverse("partners:member_make_focal_point", args=[team.staff.pk]),
            lambda before, after: after.staff.role == MemberRole.FOCAL_POINT,
        ),
        Action(
            "edit the profile",
            _mine,
            lambda team: reverse("partners:organisation_edit"),
            lambda before, after: Organisation.objects.filter(name_en=RENAMED).exists(),
            lambda team: form_data(world, name_en=RENAMED),
        ),
        Action(
            "leave",
            _mine,
            lambda team: reverse("partners:leave"),
            lambda before, after: after.left > before.left,
        ),
    ]


ALONE = "approved, its focal point alone with a request"
TEAM_STATES = ["approved", "suspended", "pending", ALONE]


def _team(world, state: str) -> Team:
    organisation = world.org_a
    request = MembershipFactory(organisation=organisation, status=MembershipStatus.REQUESTED)
    staff = Membership.objects.get(user=world.user("staff"))
    if state == ALONE:
        membership_remove(membership=staff, by=world.user("focal"))
    if state in ("suspended", "pending"):
        organisation.status = state
        organisation.save()
    return _team_now(Team(organisation=organisation, request=request, staff=staff))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", TEAM_STATES)
def test_the_organisation_page_shows_a_button_exactly_when_its_action_works(
    state, role, world, login
):
    team = _team(world, state)
    client = login(world.user(role))

    assert mismatches(client, team, _team_actions(world), _team_now) == []


# The coordinators' review ------------------------------------------------------------------


def _queue(organisation: Organisation) -> str:
    return reverse("partners:review_queue")


def _all_organisations(organisation: Organisation) -> str:
    return reverse("partners:review_organisations")


def _decision(name: str):
    return lambda organisation: reverse(f"partners:review_{name}", args=[organisation.pk])


def _becomes(status: str):
    return lambda before, after: before.status != status and after.status == status


def _reason(organisation: Organisation) -> dict:
    return {"reason": "Its registration documents do not match."}


REVIEW_ACTIONS = [
    Action("approve", _queue, _decision("approve"), _becomes(OrganisationStatus.APPROVED)),
    Action("reject", _queue, _decision("reject"), _becomes(OrganisationStatus.REJECTED), _reason),
    Action(
        "suspend",
        _all_organisations,
        _decision("suspend"),
        _becomes(OrganisationStatus.SUSPENDED),
        _reason,
    ),
    Action(
        "reinstate",
        _all_organisations,
        _decision("reinstate"),
        lambda before, after: (
            before.status == OrganisationStatus.SUSPENDED
            and after.status == OrganisationStatus.APPROVED
        ),
    ),
]

OWN = ", registered by the coordinator"
REVIEW_STATES = ["pending", "approved", "suspended", "rejected", f"pending{OWN}", f"suspended{OWN}"]


def _reviewed(world, state: str) -> Organisation:
    organisation = world.org_a
    organisation.status = state.removesuffix(OWN)
    if state.endswith(OWN):
        organisation.registered_by = world.user("coordinator")
    organisation.save()
    return organisation


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", REVIEW_STATES)
def test_the_review_pages_show_a_button_exactly_when_its_decision_works(state, role, world, login):
    organisation = _reviewed(world, state)
    client = login(world.user(role))

    def reload(record: Organisation) -> Organisation:
        return Organisation.objects.get(pk=record.pk)

    assert mismatches(client, organisation, REVIEW_ACTIONS, reload) == []
