"""Permission matrix of the assessment workflow's pages.

The records: a draft of organisation A (with an attached file), a submitted one, a
published one and a restricted one. Organisation B's member (``other_member``) must
not learn that A's draft exists: opening, editing or downloading its file is a 404.
"""

import pytest

from assessments import services
from tests.assessments.workflow_helpers import (
    make_draft,
    make_published,
    make_submitted,
    pdf_upload,
)
from tests.matrix import LOGIN, Row, check, every_role, params


def _draft(world) -> dict:
    return {"pk": make_draft(world).pk}


def _submitted(world) -> dict:
    return {"pk": make_submitted(world).pk}


def _published(world) -> dict:
    return {"pk": make_published(world).pk}


def _restricted(world) -> dict:
    return {"pk": make_published(world, restricted=True).pk}


def _attachment_of(assessment, world) -> dict:
    attachment = services.attachment_add(
        assessment=assessment, by=world.user("coordinator"), upload=pdf_upload()
    )
    return {"pk": attachment.pk}


def _draft_attachment(world) -> dict:
    return _attachment_of(make_draft(world), world)


def _published_attachment(world) -> dict:
    assessment = make_draft(world)
    kwargs = _attachment_of(assessment, world)
    services.assessment_submit(assessment=assessment, by=world.user("focal"))
    services.assessment_publish(assessment=assessment, by=world.user("coordinator"))
    return kwargs


def _restricted_attachment(world) -> dict:
    assessment = make_draft(world)
    kwargs = _attachment_of(assessment, world)
    services.assessment_submit(assessment=assessment, by=world.user("focal"))
    services.assessment_publish(
        assessment=assessment, by=world.user("coordinator"), restricted=True
    )
    return kwargs


# Members of A and coordinators; B's member gets a 404; visitors are asked to log in.
EDITORS = every_role(200, anonymous=LOGIN, other_member=404)
# The same for a POST that succeeds and redirects.
EDITORS_ACT = every_role(302, anonymous=LOGIN, other_member=404)
# A published assessment: A's members are sent back to its page (it is not editable now),
# coordinators may still correct it, B's member may read it but not change it.
PUBLISHED_EDIT = every_role(302, anonymous=LOGIN, other_member=404, coordinator=200, site_admin=200)
COORDINATORS = every_role(403, anonymous=LOGIN, coordinator=200, site_admin=200)
COORDINATORS_ACT = every_role(403, anonymous=LOGIN, coordinator=302, site_admin=302)

MATRIX = [
    Row("assessments:create", every_role(200, anonymous=LOGIN)),
    Row(
        "assessments:create",
        every_role(400, anonymous=LOGIN),
        method="post",
        note="with an empty form",
    ),
    Row("assessments:mine", every_role(200, anonymous=LOGIN)),
    Row("assessments:review_queue", COORDINATORS),
    # Editing.
    Row("assessments:edit", EDITORS, kwargs=_draft, note="a draft of A"),
    Row(
        "assessments:edit",
        every_role(400, anonymous=LOGIN, other_member=404),
        kwargs=_draft,
        method="post",
        note="a draft of A, with an empty form",
    ),
    Row("assessments:edit", PUBLISHED_EDIT, kwargs=_published, note="published"),
    Row("assessments:edit", PUBLISHED_EDIT, kwargs=_restricted, note="restricted"),
    # Findings.
    Row("assessments:findings", EDITORS, kwargs=_draft, note="a draft of A"),
    Row(
        "assessments:findings",
        EDITORS_ACT,
        kwargs=_draft,
        method="post",
        note="a draft of A, with no findings",
    ),
    Row("assessments:findings", PUBLISHED_EDIT, kwargs=_published, note="published"),
    Row("assessments:findings_template", EDITORS, kwargs=_draft, note="a draft of A"),
    Row(
        "assessments:findings_template",
        every_role(200, anonymous=LOGIN, other_member=404),
        kwargs=_published,
        note="published",
    ),
    Row(
        "assessments:findings_upload",
        every_role(400, anonymous=LOGIN, other_member=404),
        kwargs=_draft,
        method="post",
        note="a draft of A, without a file",
    ),
    Row(
        "assessments:findings_upload",
        every_role(405, anonymous=LOGIN),
        kwargs=_draft,
        note="by GET",
    ),
    # Attachments.
    Row("assessments:attachment_add", EDITORS, kwargs=_draft, note="a draft of A"),
    Row(
        "assessments:attachment_add",
        every_role(400, anonymous=LOGIN, other_member=404),
        kwargs=_draft,
        method="post",
        note="a draft of A, without a file",
    ),
    Row(
        "assessments:attachment_delete",
        EDITORS_ACT,
        kwargs=_draft_attachment,
        method="post",
        note="a file of A's draft",
    ),
    Row(
        "assessments:attachment_delete",
        every_role(405, anonymous=LOGIN),
        kwargs=_draft_attachment,
        note="by GET",
    ),
    Row(
        "assessments:attachment",
        every_role(200, anonymous=404, other_member=404),
        kwargs=_draft_attachment,
        note="a file of A's draft",
    ),
    Row(
        "assessments:attachment",
        every_role(200),
        kwargs=_published_attachment,
        note="a file of a published assessment",
    ),
    Row(
        "assessments:attachment",
        every_role(200, anonymous=404),
        kwargs=_restricted_attachment,
        note="a file of a restricted assessment",
    ),
    # The review.
    Row(
        "assessments:submit",
        EDITORS_ACT,
        kwargs=_draft,
        method="post",
        note="a draft of A",
    ),
    Row("assessments:submit", every_role(405, anonymous=LOGIN), kwargs=_draft, note="by GET"),
    Row("assessments:return", COORDINATORS, kwargs=_submitted, note="submitted"),
    Row(
        "assessments:return",
        COORDINATORS_ACT,
        kwargs=_submitted,
        method="post",
        data=lambda w: {"comment": "Add the sample size."},
        note="submitted, with a comment",
    ),
    Row(
        "assessments:return",
        COORDINATORS_ACT,
        kwargs=_published,
        method="post",
        data=lambda w: {"comment": "Wrong figures."},
        note="published (withdraw)",
    ),
    Row(
        "assessments:publish",
        COORDINATORS_ACT,
        kwargs=_submitted,
        method="post",
        note="submitted",
    ),
    Row("assessments:publish", every_role(405), kwargs=_submitted, note="by GET"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role"), params(MATRIX), ids=str)
def test_permission(row, role, world, login):
    check(row, role, world, login)
