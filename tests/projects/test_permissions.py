"""The projects' permission matrix: every URL of ``projects:`` for every role.

Members and coordinators read the list; visitors get the login page. Sam and Alice's
organisation owns the draft, submitted, returned and accepted projects: they change and
submit their draft, and record the accepted one's funding. Olga's organisation owns none:
their drafts and projects under review are a 404 for her, the accepted one she reads but may
not fund (403). Coordinators and the site administrator review, change any project and record
funding, but add and submit none (projects are their organisation's): a 403. Every member
and coordinator downloads the list's files and imports projects: members their own
organisation's (Olga's file of Alpha Health's project is refused, a 400), coordinators any.
"""

import pytest
from django.utils import timezone

from tests.matrix import LOGIN, Row, check, every_role, params
from tests.projects.factories import make_projects, project_form
from tests.projects.import_helpers import as_upload, filled

COORDINATORS_ONLY = every_role(403, anonymous=LOGIN, coordinator=200, site_admin=200)
COORDINATORS_ACT = every_role(403, anonymous=LOGIN, coordinator=302, site_admin=302)
MEMBERS_ONLY = every_role(200, anonymous=LOGIN, coordinator=403, site_admin=403)
OWNERS_AND_COORDINATORS = every_role(200, anonymous=LOGIN, other_member=404)
OWNERS_ONLY = every_role(200, anonymous=LOGIN, other_member=404, coordinator=403, site_admin=403)


def _draft(world) -> dict:
    return {"pk": world.projects.draft.pk}


def _submitted(world) -> dict:
    return {"pk": world.projects.submitted.pk}


def _accepted(world) -> dict:
    return {"pk": world.projects.accepted.pk}


def _acted(expected: dict) -> dict:
    """The POST's answers for a GET matrix: a redirect where the page was shown."""
    return {role: 302 if status == 200 else status for role, status in expected.items()}


def _import_file(world) -> dict:
    """A project of Alpha Health (AH): Sam's and Alice's own, not Olga's to import."""
    row = ["P1", "AH", "Clinics", "", "", "", "", "2026-01-01", "2026-06-30", "planned", 10, ""]
    return {"file": as_upload(filled(world.user("coordinator"), [row], [], []))}


def _funding_form(world) -> dict:
    return {
        "date": timezone.localdate().isoformat(),
        "amount_received_usd": "50000",
        "source": "FTS",
    }


MATRIX = [
    Row("projects:list", every_role(200, anonymous=LOGIN)),
    Row(
        "projects:list",
        every_role(200, anonymous=LOGIN),
        data=lambda w: {"state": "draft", "status": "ongoing", "organisation": w.org_a.pk},
        note="filter",
    ),
    Row("projects:list", every_role(405, anonymous=LOGIN), method="post"),
    Row("projects:export", every_role(200, anonymous=LOGIN), kwargs=lambda w: {"fmt": "csv"}),
    Row(
        "projects:export",
        every_role(200, anonymous=LOGIN),
        kwargs=lambda w: {"fmt": "xlsx"},
        note="xlsx",
    ),
    Row(
        "projects:export",
        every_role(200, anonymous=LOGIN),
        kwargs=lambda w: {"fmt": "hxl"},
        data=lambda w: {"state": "draft"},
        note="hxl filtered",
    ),
    Row(
        "projects:export",
        every_role(405, anonymous=LOGIN),
        kwargs=lambda w: {"fmt": "csv"},
        method="post",
    ),
    # Members import their own organisation's projects; coordinators any organisation's.
    Row("projects:import", every_role(200, anonymous=LOGIN)),
    Row(
        "projects:import",
        every_role(302, anonymous=LOGIN, other_member=400),
        method="post",
        data=_import_file,
    ),
    Row("projects:import_template", every_role(200, anonymous=LOGIN)),
    Row("projects:import_template", every_role(405, anonymous=LOGIN), method="post"),
    Row("projects:detail", OWNERS_AND_COORDINATORS, kwargs=_draft),
    Row("projects:detail", every_role(200, anonymous=LOGIN), kwargs=_accepted, note="accepted"),
    Row("projects:create", MEMBERS_ONLY),
    Row("projects:create", _acted(MEMBERS_ONLY), method="post", data=lambda w: project_form()),
    Row("projects:edit", OWNERS_AND_COORDINATORS, kwargs=_draft),
    Row(
        "projects:edit",
        _acted(OWNERS_AND_COORDINATORS),
        kwargs=_draft,
        method="post",
        data=lambda w: project_form(),
    ),
    Row("projects:submit", OWNERS_ONLY, kwargs=_draft),
    Row("projects:submit", _acted(OWNERS_ONLY), kwargs=_draft, method="post"),
    Row("projects:review_queue", COORDINATORS_ONLY),
    Row("projects:accept", COORDINATORS_ONLY | {"other_member": 404}, kwargs=_submitted),
    Row(
        "projects:accept",
        COORDINATORS_ACT | {"other_member": 404},
        kwargs=_submitted,
        method="post",
    ),
    Row("projects:return", COORDINATORS_ONLY | {"other_member": 404}, kwargs=_submitted),
    Row(
        "projects:return",
        COORDINATORS_ACT | {"other_member": 404},
        kwargs=_submitted,
        method="post",
        data=lambda w: {"comment": "Split the budget by area."},
    ),
    Row(
        "projects:funding_add", every_role(200, anonymous=LOGIN, other_member=403), kwargs=_accepted
    ),
    Row(
        "projects:funding_add",
        every_role(302, anonymous=LOGIN, other_member=403),
        kwargs=_accepted,
        method="post",
        data=_funding_form,
    ),
]


@pytest.mark.parametrize(("row", "role"), params(MATRIX), ids=str)
def test_permissions(row, role, world, login):
    make_projects(world)
    check(row, role, world, login)
