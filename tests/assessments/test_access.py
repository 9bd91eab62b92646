"""The one visibility rule: who reads which assessment, and who may change it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from assessments.access import (
    get_assessment_for_user,
    get_editable_assessment_for_user,
    visible_assessments,
)
from tests.assessments.workflow_helpers import make_draft, make_published, make_submitted
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(world):
    return {
        "draft": make_draft(world, title_en="Draft"),
        "submitted": make_submitted(world, title_en="Submitted"),
        "public": make_published(world, title_en="Public"),
        "restricted": make_published(world, title_en="Restricted", restricted=True),
    }


def titles(user) -> set[str]:
    return set(visible_assessments(user).values_list("title_en", flat=True))


def test_visitors_see_only_public_assessments(records):
    assert titles(AnonymousUser()) == {"Public"}


def test_other_organisations_see_published_ones_including_restricted(world, records):
    assert titles(world.user("other_member")) == {"Public", "Restricted"}


def test_the_lead_organisation_and_coordinators_see_everything(world, records):
    everything = {"Draft", "Submitted", "Public", "Restricted"}
    assert titles(world.user("staff")) == everything
    assert titles(world.user("coordinator")) == everything


def test_members_of_a_pending_organisation_see_only_public_ones(records):
    pending = OrganisationFactory(status="pending")
    member = MembershipFactory(organisation=pending).user
    assert titles(member) == {"Public"}


def test_another_organisations_draft_is_a_404(world, records):
    with pytest.raises(Http404):
        get_assessment_for_user(world.user("other_member"), records["draft"].pk)
    with pytest.raises(Http404):
        get_editable_assessment_for_user(world.user("other_member"), records["public"].pk)


def test_a_suspended_organisation_reads_but_may_not_change(world, records):
    world.org_a.status = "suspended"
    world.org_a.save()
    member = type(world.user("focal")).objects.get(pk=world.user("focal").pk)
    assert get_assessment_for_user(member, records["draft"].pk)
    with pytest.raises(PermissionDenied):
        get_editable_assessment_for_user(member, records["draft"].pk)
