"""Permission matrix of the membership workflow pages: getting started, registering, the
member's organisation, join requests, managing members, leaving."""

import pytest

from partners.models import Membership, MembershipStatus
from tests.factories import MembershipFactory
from tests.matrix import LOGIN, Row, check, every_role, params


def _requested_in_org_a(world) -> dict:
    return {"pk": MembershipFactory(organisation=world.org_a, status=MembershipStatus.REQUESTED).pk}


def _staff_of_org_a(world) -> dict:
    return {"pk": Membership.objects.get(user=world.user("staff")).pk}


FOCAL_ONLY = every_role(404, anonymous=LOGIN, focal=302)

MATRIX = [
    Row(
        "partners:start",
        every_role(302, anonymous=LOGIN, coordinator=200, site_admin=200),
    ),
    Row(
        "partners:register",
        every_role(302, anonymous=LOGIN, coordinator=200, site_admin=200),
    ),
    Row(
        "partners:register",
        every_role(302, anonymous=LOGIN, coordinator=400, site_admin=400),
        method="post",
        note="with an empty form",
    ),
    Row(
        "partners:my_organisation",
        every_role(200, anonymous=LOGIN, coordinator=302, site_admin=302),
    ),
    Row(
        "partners:organisation_edit",
        every_role(404, anonymous=LOGIN, focal=200),
    ),
    Row(
        "partners:organisation_edit",
        every_role(404, anonymous=LOGIN, focal=400),
        method="post",
        note="with an empty form",
    ),
    Row(
        "partners:join",
        every_role(302, anonymous=LOGIN, coordinator=200, site_admin=200),
        kwargs=lambda w: {"pk": w.org_a.pk},
    ),
    Row(
        "partners:join",
        every_role(302, anonymous=LOGIN),
        kwargs=lambda w: {"pk": w.org_b.pk},
        method="post",
    ),
    Row(
        "partners:request_cancel",
        every_role(404, anonymous=LOGIN),
        kwargs=_requested_in_org_a,
        method="post",
        note="of somebody else",
    ),
    Row("partners:request_cancel", every_role(405, anonymous=LOGIN), kwargs=_requested_in_org_a),
    Row("partners:request_accept", FOCAL_ONLY, kwargs=_requested_in_org_a, method="post"),
    Row("partners:request_decline", FOCAL_ONLY, kwargs=_requested_in_org_a, method="post"),
    Row("partners:request_accept", every_role(405, anonymous=LOGIN), kwargs=_requested_in_org_a),
    Row(
        "partners:member_remove",
        every_role(404, anonymous=LOGIN, focal=200),
        kwargs=_staff_of_org_a,
    ),
    Row("partners:member_remove", FOCAL_ONLY, kwargs=_staff_of_org_a, method="post"),
    Row(
        "partners:member_make_focal_point",
        every_role(404, anonymous=LOGIN, focal=200),
        kwargs=_staff_of_org_a,
    ),
    Row("partners:member_make_focal_point", FOCAL_ONLY, kwargs=_staff_of_org_a, method="post"),
    Row(
        "partners:leave",
        every_role(200, anonymous=LOGIN, coordinator=302, site_admin=302),
    ),
    Row("partners:leave", every_role(302, anonymous=LOGIN), method="post"),
]


@pytest.mark.parametrize(("row", "role"), params(MATRIX), ids=str)
def test_permissions(row, role, world, login):
    check(row, role, world, login)
