"""Permission matrix of the pages of attacks on health care: every URL, every role.

The records are organisation A's: one reported (to be verified), one verified, one
dismissed. Visitors are asked to sign in to every page; the public sees no incident, only
the verified counts on the dashboard. B's member (``other_member``) reads A's verified
incident (without its description and source) but must not learn that A's reported or
dismissed ones exist: a 404. The queue, verification, dismissal and the SSA export are the
coordinators': members get a 403 (the pages concern the cluster, refusing them reveals
nothing).
"""

import pytest

from tests.facilities.incident_factories import dismissed, form_data, reported, verified
from tests.matrix import LOGIN, Row, check, every_role, params


def _reported(world) -> dict:
    return {"pk": reported(world).pk}


def _verified(world) -> dict:
    return {"pk": verified(world).pk}


def _dismissed(world) -> dict:
    return {"pk": dismissed(world).pk}


MEMBERS = every_role(200, anonymous=LOGIN)
# A's reported or dismissed incident: B's member does not know it exists.
OWN_ONLY = every_role(200, anonymous=LOGIN, other_member=404)
COORDINATORS = every_role(403, anonymous=LOGIN, coordinator=200, site_admin=200)
COORDINATORS_ACT = every_role(403, anonymous=LOGIN, coordinator=302, site_admin=302)
# A's members are sent back to the incident with the reason (it is no longer theirs to
# change); B's member sees it but may not change it; coordinators correct it.
VERIFIED_EDIT = every_role(302, anonymous=LOGIN, other_member=403, coordinator=200, site_admin=200)

MATRIX = [
    Row("incidents:list", MEMBERS),
    Row(
        "incidents:list",
        MEMBERS,
        data=lambda w: {
            "first_month": "2025-01",
            "last_month": "2025-12",
            "area": "ZZ01",
            "type": "fire",
            "state": "verified",
        },
        note="filtered",
    ),
    Row(
        "incidents:list",
        MEMBERS,
        data=lambda w: {"first_month": "soon", "area": "nowhere", "page": "x"},
        note="with wrong filters",
    ),
    Row("incidents:report", MEMBERS),
    Row("incidents:report", every_role(302, anonymous=LOGIN), method="post", data=form_data),
    Row(
        "incidents:report",
        every_role(400, anonymous=LOGIN),
        method="post",
        data=lambda w: form_data(w, attack_types=[], date="2999-01-01"),
        note="refused",
    ),
    Row(
        "incidents:report",
        every_role(200, anonymous=LOGIN),
        method="post",
        data=lambda w: {**form_data(w), "_area_search": "1", "area__q": "North"},
        note="area search",
    ),
    Row("incidents:queue", COORDINATORS),
    Row("incidents:export", COORDINATORS, kwargs=lambda w: {"fmt": "csv"}),
    Row("incidents:export", COORDINATORS, kwargs=lambda w: {"fmt": "xlsx"}),
    Row("incidents:export", COORDINATORS, kwargs=lambda w: {"fmt": "hxl"}),
    Row("incidents:detail", OWN_ONLY, kwargs=_reported, note="reported"),
    Row("incidents:detail", MEMBERS, kwargs=_verified, note="verified"),
    Row("incidents:detail", OWN_ONLY, kwargs=_dismissed, note="dismissed"),
    Row("incidents:edit", OWN_ONLY, kwargs=_reported, note="reported"),
    Row(
        "incidents:edit",
        every_role(302, anonymous=LOGIN, other_member=404),
        kwargs=_reported,
        method="post",
        data=form_data,
        note="reported",
    ),
    Row("incidents:edit", VERIFIED_EDIT, kwargs=_verified, note="verified"),
    Row(
        "incidents:edit",
        every_role(302, anonymous=LOGIN, other_member=403),
        kwargs=_verified,
        method="post",
        data=form_data,
        note="verified",
    ),
    Row("incidents:verify", COORDINATORS, kwargs=_reported, note="reported"),
    Row("incidents:verify", COORDINATORS_ACT, kwargs=_reported, method="post"),
    Row(
        "incidents:verify",
        COORDINATORS_ACT,
        kwargs=_verified,
        note="already verified: back to it with the reason",
    ),
    Row("incidents:dismiss", COORDINATORS, kwargs=_reported, note="reported"),
    Row(
        "incidents:dismiss",
        COORDINATORS_ACT,
        kwargs=_reported,
        method="post",
        data=lambda w: {"comment": "A duplicate."},
    ),
    Row(
        "incidents:dismiss",
        every_role(403, anonymous=LOGIN, coordinator=400, site_admin=400),
        kwargs=_reported,
        method="post",
        note="without a comment",
    ),
    Row("incidents:dismiss", COORDINATORS_ACT, kwargs=_dismissed, note="already dismissed"),
]


@pytest.mark.parametrize(("row", "role"), params(MATRIX), ids=str)
def test_permissions(row, role, world, login):
    check(row, role, world, login)
