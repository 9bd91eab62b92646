"""The demo assessments: every state of the workflow, findings, a report; idempotent."""

import pytest

from assessments import demo
from assessments.models import Assessment, AssessmentStatus, Attachment, Finding
from locations import demo as locations_demo
from partners import demo as partners_demo
from tests.assessments.workflow_helpers import domains

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    domains()
    locations_demo.seed()
    partners_demo.seed()
    return demo.seed()


def test_the_seed_makes_assessments_in_every_state(seeded):
    assert "8 demo needs assessments" in seeded
    statuses = set(Assessment.objects.values_list("status", flat=True))
    assert statuses == set(AssessmentStatus.values)
    assert Assessment.objects.filter(status=AssessmentStatus.PUBLISHED, is_restricted=True).exists()
    assert Assessment.objects.get(status=AssessmentStatus.RETURNED).review_comment


def test_the_seed_records_findings_over_the_whole_scale(seeded):
    assert set(Finding.objects.values_list("severity", flat=True)) == {1, 2, 3, 4, 5}
    assert all(
        area.startswith("DL") for area in Finding.objects.values_list("area__pcode", flat=True)
    )


def test_the_seed_attaches_a_real_pdf(seeded):
    attachment = Attachment.objects.get()
    with attachment.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_running_the_seed_again_changes_nothing(seeded):
    counts = (
        Assessment.history.count(),
        Finding.history.count(),
        Attachment.objects.count(),
    )
    demo.seed()
    assert (
        Assessment.history.count(),
        Finding.history.count(),
        Attachment.objects.count(),
    ) == counts
