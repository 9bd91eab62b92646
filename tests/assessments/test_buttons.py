"""An assessment's page offers an action exactly when doing it works.

For an assessment in each state of its review (and of its lead organisation), seen by every
role of the permission matrix, each button or link of its page is there if and only if its
POST changes the assessment (``tests/buttons.py``). The page asks ``assessments.policy``
and the services enforce it: this checks that the two agree.
"""

import pytest
from django.db.models import Count
from django.urls import reverse

from assessments import services
from assessments.models import Assessment, AssessmentStatus
from partners.models import OrganisationStatus
from tests.assessments.test_views import form_data
from tests.assessments.workflow_helpers import make_draft, pdf_upload
from tests.buttons import Action, mismatches
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db

SUSPENDED_DRAFT = "draft of a suspended organisation"
SUSPENDED_PUBLISHED = "published, of a suspended organisation"
STATES = [
    "draft",
    "submitted",
    "returned",
    "published",
    "published for members only",
    SUSPENDED_DRAFT,
    SUSPENDED_PUBLISHED,
]


def _page(assessment: Assessment) -> str:
    return reverse("assessments:detail", kwargs={"pk": assessment.pk})


def _url(name: str):
    return lambda assessment: reverse(f"assessments:{name}", kwargs={"pk": assessment.pk})


def _becomes(status: str):
    return lambda before, after: before.status != status and after.status == status


def _actions(world) -> list[Action]:
    return [
        Action(
            "edit the description",
            _page,
            _url("edit"),
            lambda before, after: after.title_en == "Checked title",
            lambda assessment: form_data(world, title_en="Checked title"),
        ),
        Action(
            "enter the findings",
            _page,
            _url("findings"),
            lambda before, after: after.updated_at != before.updated_at,
        ),
        Action(
            "attach a file",
            _page,
            _url("attachment_add"),
            lambda before, after: after.attachment_count > before.attachment_count,
            lambda assessment: {"kind": "report", "file": pdf_upload()},
        ),
        Action("submit", _page, _url("submit"), _becomes(AssessmentStatus.SUBMITTED)),
        Action("publish", _page, _url("publish"), _becomes(AssessmentStatus.PUBLISHED)),
        Action(
            "return or withdraw",
            _page,
            _url("return"),
            _becomes(AssessmentStatus.RETURNED),
            lambda assessment: {"comment": "Add the sample size."},
        ),
    ]


def _assessment(world, state: str) -> Assessment:
    focal, coordinator = world.user("focal"), world.user("coordinator")
    assessment = make_draft(world)
    if state != "draft" and state != SUSPENDED_DRAFT:
        services.assessment_submit(assessment=assessment, by=focal)
    if state == "returned":
        services.assessment_return(assessment=assessment, by=coordinator, comment="Add dates.")
    if state in ("published", "published for members only", SUSPENDED_PUBLISHED):
        services.assessment_publish(
            assessment=assessment,
            by=coordinator,
            restricted=state == "published for members only",
        )
    if state in (SUSPENDED_DRAFT, SUSPENDED_PUBLISHED):
        world.org_a.status = OrganisationStatus.SUSPENDED
        world.org_a.save()
    return Assessment.objects.get(pk=assessment.pk)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", STATES)
def test_the_assessment_page_shows_a_button_exactly_when_its_action_works(
    state, role, world, login
):
    assessment = _assessment(world, state)
    client = login(world.user(role))

    def reload(record: Assessment) -> Assessment:
        counted = Assessment.objects.annotate(attachment_count=Count("attachments"))
        return counted.get(pk=record.pk)

    assert mismatches(client, assessment, _actions(world), reload) == []
