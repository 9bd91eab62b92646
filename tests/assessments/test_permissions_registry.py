"""The registry's permission matrix: the list, an assessment's page and the exports, by role.

Published, unrestricted assessments are public. Restricted ones are for members of
partner organisations and coordinators: a 404 for anonymous visitors. A draft is for
its own organisation and the coordinators: a 404 for everybody else.
"""

import pytest

from assessments.models import AssessmentStatus
from tests.assessments.factories import AssessmentFactory, FindingFactory
from tests.matrix import Row, check, every_role, params


def _public(world) -> dict:
    return {"pk": FindingFactory(assessment__lead_organisation=world.org_a).assessment.pk}


def _restricted(world) -> dict:
    return {"pk": AssessmentFactory(lead_organisation=world.org_a, is_restricted=True).pk}


def _draft(world) -> dict:
    return {
        "pk": AssessmentFactory(lead_organisation=world.org_a, status=AssessmentStatus.DRAFT).pk
    }


def _submitted(world) -> dict:
    return {
        "pk": AssessmentFactory(lead_organisation=world.org_a, status=AssessmentStatus.SUBMITTED).pk
    }


def _format(fmt: str):
    def kwargs(world) -> dict:
        _public(world)
        _restricted(world)
        return {"fmt": fmt}

    return kwargs


OWN_AND_COORDINATORS = every_role(404, staff=200, focal=200, coordinator=200, site_admin=200)

MATRIX = [
    Row("assessments:list", every_role(200)),
    Row("assessments:detail", every_role(200), kwargs=_public, note="published"),
    Row(
        "assessments:detail",
        every_role(200, anonymous=404),
        kwargs=_restricted,
        note="restricted",
    ),
    Row("assessments:detail", OWN_AND_COORDINATORS, kwargs=_draft, note="draft of org A"),
    Row("assessments:detail", OWN_AND_COORDINATORS, kwargs=_submitted, note="submitted"),
    Row("assessments:export", every_role(200), kwargs=_format("csv"), note="csv"),
    Row("assessments:export", every_role(200), kwargs=_format("xlsx"), note="xlsx"),
    Row("assessments:export", every_role(200), kwargs=_format("hxl"), note="hxl"),
    Row(
        "assessments:export",
        every_role(200),
        data=lambda world: {"format": "xlsx"},
        note="?format=xlsx",
    ),
    Row(
        "assessments:export",
        every_role(404),
        data=lambda world: {"format": "pdf"},
        note="?format=pdf",
    ),
    Row("assessments:export", every_role(405), kwargs=_format("csv"), method="post", note="post"),
]


@pytest.mark.parametrize(("row", "role"), params(MATRIX), ids=str)
def test_permissions(row, role, world, login):
    check(row, role, world, login)
