"""The project workflow's policy: who adds, changes, submits, reviews and funds a project, in
which review state."""

import pytest

from partners.models import OrganisationStatus
from projects import policy
from projects.models import ReviewState
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_members_of_an_approved_organisation_create_projects(world):
    assert policy.can_create(world.user("staff"))
    assert policy.can_create(world.user("focal"))


def test_members_of_a_suspended_organisation_create_none(world):
    world.org_a.status = OrganisationStatus.SUSPENDED
    world.org_a.save()
    decision = policy.can_create(world.user("staff"))
    assert not decision
    assert decision.forbidden


def test_coordinators_create_no_project_of_their_own(world):
    assert not policy.can_create(world.user("coordinator"))


@pytest.mark.parametrize("state", [ReviewState.DRAFT, ReviewState.RETURNED])
def test_the_organisation_changes_and_submits_a_draft_or_returned_project(world, state):
    project = ProjectFactory(organisation=world.org_a, state=state)
    assert policy.can_edit(world.user("staff"), project)
    assert policy.can_submit(world.user("focal"), project)


@pytest.mark.parametrize("state", [ReviewState.SUBMITTED, ReviewState.ACCEPTED])
def test_the_organisation_cannot_change_a_project_under_review_or_accepted(world, state):
    project = ProjectFactory(organisation=world.org_a, state=state)
    decision = policy.can_edit(world.user("staff"), project)
    assert not decision
    assert decision.code == "wrong_state"
    assert not policy.can_submit(world.user("staff"), project)


def test_another_organisation_neither_changes_nor_submits_the_project(world):
    project = ProjectFactory(organisation=world.org_a)
    assert policy.can_edit(world.user("other_member"), project).forbidden
    assert policy.can_submit(world.user("other_member"), project).forbidden


@pytest.mark.parametrize("state", list(ReviewState))
def test_coordinators_change_any_project_in_any_state(world, state):
    project = ProjectFactory(organisation=world.org_a, state=state)
    assert policy.can_edit(world.user("coordinator"), project)


def test_coordinators_do_not_submit_a_partners_project(world):
    project = ProjectFactory(organisation=world.org_a)
    assert policy.can_submit(world.user("coordinator"), project).forbidden


def test_only_coordinators_accept_or_return_and_only_a_submitted_project(world):
    submitted = ProjectFactory(organisation=world.org_a, state=ReviewState.SUBMITTED)
    draft = ProjectFactory(organisation=world.org_a)
    coordinator = world.user("coordinator")
    assert policy.can_accept(coordinator, submitted)
    assert policy.can_return(coordinator, submitted)
    assert policy.can_accept(coordinator, draft).code == "wrong_state"
    assert policy.can_return(coordinator, draft).code == "wrong_state"
    assert policy.can_accept(world.user("focal"), submitted).forbidden


def test_the_organisation_records_funding_once_the_project_is_accepted(world):
    draft = ProjectFactory(organisation=world.org_a)
    accepted = ProjectFactory(organisation=world.org_a, state=ReviewState.ACCEPTED)
    assert policy.can_record_funding(world.user("staff"), accepted)
    assert policy.can_record_funding(world.user("staff"), draft).code == "not_accepted"
    assert policy.can_record_funding(world.user("other_member"), accepted).forbidden
    assert policy.can_record_funding(world.user("coordinator"), draft)


def test_the_review_comment_is_read_by_the_organisation_and_coordinators(world):
    project = ProjectFactory(organisation=world.org_a, state=ReviewState.RETURNED)
    assert policy.sees_review(world.user("staff"), project)
    assert policy.sees_review(world.user("coordinator"), project)
    assert not policy.sees_review(world.user("other_member"), project)
