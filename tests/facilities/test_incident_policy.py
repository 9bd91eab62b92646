"""The incident workflow's policy: who may report, change, verify, dismiss and read what."""

import pytest
from django.contrib.auth.models import AnonymousUser

from facilities import incident_policy as policy
from facilities.models import IncidentState
from partners.models import OrganisationStatus
from tests.facilities.incident_factories import dismissed, reported, verified
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _suspend(organisation) -> None:
    organisation.status = OrganisationStatus.SUSPENDED
    organisation.save()


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("staff", True),
        ("focal", True),
        ("other_member", True),
        ("coordinator", True),
        ("site_admin", True),
    ],
)
def test_members_of_approved_organisations_and_coordinators_report(world, role, allowed):
    assert bool(policy.can_report(world.user(role))) is allowed


def test_visitors_people_without_organisation_and_suspended_members_do_not_report(world):
    loner = UserFactory()
    pending = MembershipFactory(
        organisation=OrganisationFactory(status=OrganisationStatus.PENDING)
    ).user
    _suspend(world.org_a)
    for user in (AnonymousUser(), loner, pending, world.user("staff")):
        decision = policy.can_report(user)
        assert not decision
        assert decision.forbidden
    assert "suspended" in policy.can_report(world.user("staff")).reason


def test_the_reporting_organisation_edits_its_report_while_it_is_to_be_verified(world):
    incident = reported(world)
    assert policy.can_edit(world.user("staff"), incident)
    assert policy.can_edit(world.user("focal"), incident)
    refused = policy.can_edit(world.user("other_member"), incident)
    assert not refused
    assert refused.forbidden


@pytest.mark.parametrize("make", [verified, dismissed])
def test_once_decided_only_coordinators_correct_it(world, make):
    incident = make(world)
    decision = policy.can_edit(world.user("focal"), incident)
    assert not decision
    assert not decision.forbidden
    assert decision.code == "wrong_state"
    assert policy.can_edit(world.user("coordinator"), incident)
    assert policy.can_edit(world.user("site_admin"), incident)


def test_a_suspended_organisation_cannot_change_its_report(world):
    incident = reported(world)
    _suspend(world.org_a)
    incident.organisation.refresh_from_db()
    decision = policy.can_edit(world.user("focal"), incident)
    assert not decision
    assert decision.forbidden


def test_coordinators_verify_or_dismiss_a_reported_incident_only(world):
    incident = reported(world)
    for role in ("coordinator", "site_admin"):
        assert policy.can_verify(world.user(role), incident)
        assert policy.can_dismiss(world.user(role), incident)
    for role in ("staff", "focal", "other_member"):
        assert policy.can_verify(world.user(role), incident).forbidden
        assert policy.can_dismiss(world.user(role), incident).forbidden
    incident.state = IncidentState.VERIFIED
    assert policy.can_verify(world.user("coordinator"), incident).code == "wrong_state"
    assert policy.can_dismiss(world.user("coordinator"), incident).code == "wrong_state"


def test_details_are_for_coordinators_and_the_reporting_organisation(world):
    incident = verified(world)
    for role in ("staff", "focal", "coordinator", "site_admin"):
        assert policy.can_see_details(world.user(role), incident)
    assert not policy.can_see_details(world.user("other_member"), incident)
    assert not policy.can_see_details(AnonymousUser(), incident)


def test_a_coordinators_own_report_has_no_organisation_to_share_it_with(world):
    incident = reported(world, by="coordinator")
    assert incident.organisation is None
    assert not policy.can_see_details(world.user("focal"), incident)
    assert not policy.can_edit(world.user("focal"), incident)


def test_the_pages_are_for_members_and_coordinators(world):
    for role in ("staff", "focal", "other_member", "coordinator", "site_admin"):
        assert policy.can_read(world.user(role))
    assert not policy.can_read(AnonymousUser())
    assert not policy.can_read(UserFactory())
    for role in ("coordinator", "site_admin"):
        assert policy.can_review(world.user(role))
    assert not policy.can_review(world.user("focal"))


def test_the_page_is_told_which_buttons_to_show(world):
    incident = reported(world)
    partner = policy.incident_actions(world.user("focal"), incident)
    assert (bool(partner["edit"]), bool(partner["verify"]), partner["waiting"]) == (
        True,
        False,
        True,
    )
    coordinator = policy.incident_actions(world.user("coordinator"), incident)
    assert coordinator["verify"]
    assert coordinator["dismiss"]
    assert not coordinator["waiting"]
    other = policy.incident_actions(world.user("other_member"), incident)
    assert not other["any"]
    assert not other["details"]
