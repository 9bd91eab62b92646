"""The facility workflow's policy: who may do what, and the reason given when not."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser

from facilities import policy
from facilities.models import ReviewState
from partners.models import OrganisationStatus
from tests.facilities.factories import SupportFactory, make_registry

pytestmark = pytest.mark.django_db

MEMBERS = ["staff", "focal", "other_member"]
COORDINATORS = ["coordinator", "site_admin"]


@pytest.fixture
def registry(world):
    return make_registry(world)


@pytest.mark.parametrize("role", MEMBERS)
def test_only_coordinators_keep_the_registry(world, role):
    for decision in (
        policy.can_manage_facilities(world.user(role)),
        policy.can_manage_types(world.user(role)),
        policy.can_manage_supports(world.user(role)),
        policy.can_review_statuses(world.user(role)),
    ):
        assert not decision
        assert decision.forbidden
        assert "coordinators" in decision.reason


@pytest.mark.parametrize("role", COORDINATORS)
def test_coordinators_and_the_site_administrator_keep_the_registry(world, role):
    user = world.user(role)
    assert policy.can_manage_facilities(user)
    assert policy.can_manage_types(user)
    assert policy.can_manage_supports(user)
    assert policy.can_review_statuses(user)


def test_anonymous_visitors_may_do_nothing(registry):
    visitor = AnonymousUser()
    assert not policy.can_manage_facilities(visitor)
    assert not policy.can_record_statuses(visitor)
    assert not policy.can_record_status(visitor, registry.hospital)
    assert not policy.can_validate(visitor, registry.submitted)


@pytest.mark.parametrize("role", ["staff", "focal"])
def test_members_of_a_supporting_organisation_record_its_status(world, registry, role):
    user = world.user(role)
    assert policy.can_record_statuses(user)
    assert policy.can_record_status(user, registry.hospital)
    assert policy.can_record_for(user, world.org_a)


def test_a_member_records_only_for_the_facilities_the_organisation_supports(world, registry):
    decision = policy.can_record_status(world.user("staff"), registry.centre)
    assert decision.forbidden
    assert "Only partners supporting this facility" in decision.reason


def test_an_organisation_supporting_nothing_records_nothing(world, registry):
    decision = policy.can_record_statuses(world.user("other_member"))
    assert decision.forbidden
    assert "supports no health facility" in decision.reason
    assert not policy.can_record_status(world.user("other_member"), registry.hospital)


def test_a_member_records_only_in_the_name_of_their_organisation(world, registry):
    assert not policy.can_record_for(world.user("staff"), world.org_b)
    assert not policy.can_record_for(world.user("staff"), None)


def test_coordinators_record_for_any_partner_or_for_the_cluster(world, registry):
    coordinator = world.user("coordinator")
    assert policy.can_record_status(coordinator, registry.centre)
    assert policy.can_record_for(coordinator, world.org_b)
    assert policy.can_record_for(coordinator, None)


def test_a_suspended_organisation_records_nothing(world, registry):
    world.org_a.status = OrganisationStatus.SUSPENDED
    world.org_a.save()
    decision = policy.can_record_status(world.user("staff"), registry.hospital)
    assert decision.forbidden
    assert "suspended" in decision.reason


def test_a_support_ended_within_the_window_still_opens_the_form(world, registry):
    """A status dated while the support ran may still become current."""
    with time_machine.travel(datetime.date(2026, 5, 20), tick=False):
        registry.support.start = datetime.date(2025, 1, 1)
        registry.support.end = datetime.date(2026, 3, 31)
        registry.support.save()
        assert policy.can_record_status(world.user("staff"), registry.hospital)
        registry.support.end = datetime.date(2026, 1, 31)
        registry.support.save()
        assert not policy.can_record_status(world.user("staff"), registry.hospital)


def test_a_support_not_begun_yet_opens_nothing(world, registry):
    with time_machine.travel(datetime.date(2026, 5, 20), tick=False):
        SupportFactory(
            facility=registry.centre, organisation=world.org_b, start=datetime.date(2026, 6, 1)
        )
        assert not policy.can_record_status(world.user("other_member"), registry.centre)


def test_coordinators_validate_and_return_a_submitted_status_only(world, registry):
    coordinator = world.user("coordinator")
    assert policy.can_validate(coordinator, registry.submitted)
    assert policy.can_return(coordinator, registry.submitted)
    for status in (registry.validated, registry.returned):
        for decision in (
            policy.can_validate(coordinator, status),
            policy.can_return(coordinator, status),
        ):
            assert not decision
            assert not decision.forbidden
            assert decision.code == "wrong_state"


@pytest.mark.parametrize("role", MEMBERS)
def test_members_never_review(world, registry, role):
    decision = policy.can_validate(world.user(role), registry.submitted)
    assert decision.forbidden
    assert decision.reason == "Only coordinators review facility statuses."


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("staff", True), ("focal", True), ("other_member", False), ("coordinator", True)],
)
def test_a_returned_status_is_corrected_by_its_organisation_and_coordinators(
    world, registry, role, allowed
):
    assert bool(policy.can_edit_status(world.user(role), registry.returned)) is allowed


def test_only_a_returned_status_is_corrected(world, registry):
    for status in (registry.submitted, registry.validated):
        decision = policy.can_edit_status(world.user("staff"), status)
        assert decision.code == "wrong_state"


def test_the_review_comment_is_for_coordinators_and_the_organisation(world, registry):
    status = registry.returned
    assert policy.sees_review(world.user("staff"), status)
    assert policy.sees_review(world.user("coordinator"), status)
    assert not policy.sees_review(world.user("other_member"), status)
    assert not policy.sees_review(AnonymousUser(), status)


def test_a_support_is_ended_once(world, registry):
    coordinator = world.user("coordinator")
    assert policy.can_end_support(coordinator, registry.support)
    registry.support.end = datetime.date(2021, 1, 1)
    decision = policy.can_end_support(coordinator, registry.support)
    assert decision.code == "ended"


def test_the_status_actions_name_every_button(world, registry):
    actions = policy.status_actions(world.user("coordinator"), registry.submitted)
    assert set(actions) == {"edit", "validate", "return"}
    assert actions["validate"]
    assert actions["return"]
    assert not actions["edit"]
    assert registry.submitted.state == ReviewState.SUBMITTED
