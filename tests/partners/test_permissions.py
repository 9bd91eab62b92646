"""The partners permission matrix: every URL of the app by every role.

Directory pages are public; a non-approved organisation is a 404 except for its own
members and the coordinators. Coordinators' pages refuse everybody else (403), and
the membership workflow keeps each organisation's records to its own focal point (404).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from partners.models import Membership, MembershipStatus, OrganisationStatus
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.matrix import LOGIN, Redirect, Row, check, every_role, params

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)

COORDINATORS_ONLY = every_role(403, anonymous=LOGIN, coordinator=200, site_admin=200)


def coordinators_act(redirect: str) -> dict:
    """Coordinators act and are sent back to ``redirect``; everybody else is refused."""
    return every_role(
        403, anonymous=LOGIN, coordinator=Redirect(redirect), site_admin=Redirect(redirect)
    )


QUEUE = "/en/partners/review/"
ORGANISATIONS = "/en/partners/review/organisations/"
COORDINATORS = "/en/partners/coordinators/"
MINE = "/en/partners/mine/"
START = "/en/partners/start/"
OWN_AND_COORDINATORS = every_role(404, staff=200, focal=200, coordinator=200, site_admin=200)
FOCAL_POINT_ONLY = every_role(404, anonymous=LOGIN, focal=200)


def _org_a(world) -> dict:
    return {"pk": world.org_a.pk}


def _org_a_pending(world) -> dict:
    world.org_a.status = OrganisationStatus.PENDING
    world.org_a.save()
    return {"pk": world.org_a.pk}


def _with_logo(world) -> None:
    world.org_a.logo = SimpleUploadedFile("logo.png", PNG, content_type="image/png")
    world.org_a.save()


def _org_a_logo(world) -> dict:
    _with_logo(world)
    return _org_a(world)


def _org_a_pending_logo(world) -> dict:
    _with_logo(world)
    return _org_a_pending(world)


def _new_pending(world) -> dict:
    return {"pk": OrganisationFactory(status=OrganisationStatus.PENDING).pk}


def _new_approved(world) -> dict:
    return {"pk": OrganisationFactory().pk}


def _new_suspended(world) -> dict:
    return {"pk": OrganisationFactory(status=OrganisationStatus.SUSPENDED).pk}


def _other_coordinator(world) -> dict:
    return {"pk": UserFactory(is_coordinator=True).pk}


def _reason(world) -> dict:
    return {"reason": "Explained to the organisation."}


def _grant(world) -> dict:
    return {"email": UserFactory(email="future.coordinator@example.org").email}


def _org_b(world) -> dict:
    return {"pk": world.org_b.pk}


def _request_to_org_a(world) -> dict:
    membership = MembershipFactory(organisation=world.org_a, status=MembershipStatus.REQUESTED)
    return {"pk": membership.pk}


def _staff_membership(world) -> dict:
    return {"pk": Membership.objects.get(user=world.user("staff")).pk}


# Members already belong to an organisation: they are sent to it.
MEMBERS_REDIRECTED = every_role(Redirect(MINE), anonymous=LOGIN, coordinator=200, site_admin=200)
# People without an organisation are sent to get started.
MEMBERS_ONLY = every_role(
    200, anonymous=LOGIN, coordinator=Redirect(START), site_admin=Redirect(START)
)

MATRIX = [
    # The public directory.
    Row("partners:list", every_role(200)),
    Row("partners:detail", every_role(200), kwargs=_org_a),
    Row("partners:detail", OWN_AND_COORDINATORS, kwargs=_org_a_pending, note="pending"),
    Row("partners:detail", every_role(404), kwargs=lambda w: {"pk": 999999}, note="missing"),
    Row("partners:logo", every_role(200), kwargs=_org_a_logo),
    Row("partners:logo", OWN_AND_COORDINATORS, kwargs=_org_a_pending_logo, note="pending"),
    Row("partners:logo", every_role(404), kwargs=_org_a, note="without a logo"),
    # The coordinators' review.
    Row("partners:review_queue", COORDINATORS_ONLY),
    Row("partners:review_organisations", COORDINATORS_ONLY),
    Row("partners:review_approve", coordinators_act(QUEUE), kwargs=_new_pending, method="post"),
    Row("partners:review_approve", COORDINATORS_ONLY, kwargs=_new_pending, note="confirmation"),
    Row("partners:review_reject", COORDINATORS_ONLY, kwargs=_new_pending, note="confirmation"),
    Row("partners:review_suspend", COORDINATORS_ONLY, kwargs=_new_approved, note="confirmation"),
    Row(
        "partners:review_reject",
        coordinators_act(QUEUE),
        kwargs=_new_pending,
        method="post",
        data=_reason,
    ),
    Row(
        "partners:review_suspend",
        coordinators_act(ORGANISATIONS),
        kwargs=_new_approved,
        method="post",
        data=_reason,
    ),
    Row(
        "partners:review_reinstate",
        coordinators_act(ORGANISATIONS),
        kwargs=_new_suspended,
        method="post",
    ),
    Row("partners:review_reinstate", every_role(405), kwargs=_new_suspended, note="by GET"),
    Row("partners:coordinators", COORDINATORS_ONLY),
    Row("partners:coordinators", coordinators_act(COORDINATORS), method="post", data=_grant),
    Row(
        "partners:coordinator_revoke",
        coordinators_act(COORDINATORS),
        kwargs=_other_coordinator,
        method="post",
    ),
    # The membership workflow (partners/views/workflow.py).
    Row("partners:start", MEMBERS_REDIRECTED),
    Row("partners:register", MEMBERS_REDIRECTED),
    Row("partners:join", MEMBERS_REDIRECTED, kwargs=_org_b),
    Row("partners:my_organisation", MEMBERS_ONLY),
    Row("partners:leave", MEMBERS_ONLY),
    Row("partners:organisation_edit", FOCAL_POINT_ONLY),
    Row(
        "partners:request_cancel",
        every_role(404, anonymous=LOGIN),
        kwargs=_request_to_org_a,
        method="post",
        note="of someone else",
    ),
    Row(
        "partners:request_accept",
        every_role(404, anonymous=LOGIN, focal=302),
        kwargs=_request_to_org_a,
        method="post",
    ),
    Row(
        "partners:request_decline",
        every_role(404, anonymous=LOGIN, focal=302),
        kwargs=_request_to_org_a,
        method="post",
    ),
    Row("partners:member_remove", FOCAL_POINT_ONLY, kwargs=_staff_membership),
    Row("partners:member_make_focal_point", FOCAL_POINT_ONLY, kwargs=_staff_membership),
]


@pytest.mark.parametrize(("row", "role"), params(MATRIX), ids=str)
def test_permissions(row, role, world, login):
    check(row, role, world, login)
