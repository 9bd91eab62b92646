"""The demo assessments: every state of the workflow, findings, a report; idempotent."""

import datetime

import pytest

from assessments.models import Assessment, AssessmentStatus, Attachment, Finding
from demo import assessments as demo
from demo import locations as locations_demo
from demo import partners as partners_demo
from tests.assessments.workflow_helpers import domains

pytestmark = pytest.mark.django_db


SEEDED_AT = datetime.datetime(2027, 3, 17, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def seeded(time_machine):
    time_machine.move_to(SEEDED_AT)
    domains()
    locations_demo.seed()
    partners_demo.seed()
    return demo.seed()


def test_the_seed_makes_assessments_in_every_state(seeded):
    assert Assessment.objects.count() == 8
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


def test_the_assessments_took_place_in_the_six_months_before_the_seed(seeded):
    for assessment in Assessment.objects.all():
        assert datetime.date(2026, 9, 1) <= assessment.start_date < assessment.end_date
        assert assessment.end_date < SEEDED_AT.date()
        if assessment.published_at:
            assert assessment.end_date < assessment.published_at.date() < SEEDED_AT.date()


def test_a_run_on_a_later_day_moves_no_date(seeded, time_machine):
    dates = sorted(Assessment.objects.values_list("title_en", "start_date", "published_at"))
    time_machine.move_to(SEEDED_AT + datetime.timedelta(days=200))

    demo.seed()

    assert sorted(Assessment.objects.values_list("title_en", "start_date", "published_at")) == dates


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
