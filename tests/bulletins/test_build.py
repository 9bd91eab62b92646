"""The build in-process (as ``make run`` runs it without Redis): snapshot, PDF, failures.

The task runs eagerly inside ``bulletin_build``; the real worker is in test_worker.py.
"""

import datetime
import subprocess
import uuid

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.storage import default_storage
from django.utils import timezone

from analysis.snapshot import public_figures
from bulletins import build, rendering, services
from bulletins.models import Bulletin, BulletinStatus, FailureReason
from bulletins.tasks import build_bulletin, fail_stale_builds
from tests.bulletins.conftest import FEB, JAN, make_validated_rows
from tests.bulletins.factories import BulletinFactory
from tests.text import has_phrase

# Mid-March 2026: the bulletins cover January and February 2026.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.time_machine(datetime.datetime(2026, 3, 15, 12, 0, tzinfo=datetime.UTC)),
]


def pdf_text(bulletin: Bulletin) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", bulletin.pdf.path, "-"],
        capture_output=True,
        check=True,
        text=True,
    )
    return result.stdout


def _build(bulletin, by=None):
    return services.bulletin_build(bulletin=bulletin, by=by)


def test_a_build_stores_the_public_figures_and_a_pdf_of_them(validated_rows, profile, world):
    bulletin = BulletinFactory(first_month=JAN, last_month=FEB)

    result = _build(bulletin, world.user("coordinator"))

    assert result.queued
    assert not result.error
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.READY
    assert bulletin.shown_reason == ""
    assert bulletin.build_attempts == 1
    assert bulletin.snapshot == public_figures(first_month=JAN, last_month=FEB)
    # People reached once: North's largest month (February's 307, not January's 36) and
    # South's (15); the draft and March do not count.
    assert bulletin.snapshot["key_figures"]["people_reached"] == 307 + 15
    assert bulletin.pdf.name.startswith("bulletins/")
    text = pdf_text(bulletin)
    assert has_phrase(text, "322")
    assert "Zedland Health Cluster" in text
    assert "World Health Organization" in text
    assert "Ministry of Health" in text
    assert "coordinator@example.org" in text
    assert "Heavy rains displaced families" in text
    assert "5,555" not in text
    assert "9,999" not in text


def test_a_rebuild_takes_fresh_figures_and_replaces_the_file(
    validated_rows, profile, django_capture_on_commit_callbacks
):
    bulletin = BulletinFactory(first_month=JAN, last_month=FEB)
    _build(bulletin)
    bulletin.refresh_from_db()
    first_file = bulletin.pdf.name
    report = validated_rows.reports[1]
    row = report.rows.get()
    row.girls = 1100
    row.total = 1100 + 200 + 7
    row.save()
    build_token_before = bulletin.build_token

    from activities.signals import report_figures_changed

    report_figures_changed.send(sender=type(report), report_id=report.pk)
    with django_capture_on_commit_callbacks(execute=True):
        _build(bulletin)

    bulletin.refresh_from_db()
    assert bulletin.build_token != build_token_before
    assert bulletin.snapshot["key_figures"]["people_reached"] == 1307 + 15  # North's peak
    assert bulletin.pdf.name != first_file
    assert default_storage.exists(bulletin.pdf.name)
    assert not default_storage.exists(first_file), "the old PDF is deleted after the commit"


def test_a_published_bulletin_is_rebuilt_with_the_figures_it_was_published_with(
    validated_rows, profile
):
    bulletin = BulletinFactory(first_month=JAN, last_month=FEB)
    _build(bulletin)
    Bulletin.objects.filter(pk=bulletin.pk).update(
        status=BulletinStatus.PUBLISHED, published_at=timezone.now()
    )
    bulletin.refresh_from_db()
    frozen = bulletin.snapshot
    assert bulletin.snapshot_is_frozen()
    make_more = validated_rows.reports[0].rows.first()
    make_more.girls, make_more.total = 1000, 1000 + 12 + 13
    make_more.save()

    from activities.signals import report_figures_changed

    report_figures_changed.send(sender=type(make_more.report), report_id=make_more.report_id)
    assert public_figures(first_month=JAN, last_month=FEB) != frozen

    _build(bulletin)

    bulletin.refresh_from_db()
    assert bulletin.snapshot == frozen
    assert bulletin.status == BulletinStatus.PUBLISHED, "a rebuild leaves it published"
    assert has_phrase(pdf_text(bulletin), "322")


def test_a_broken_print_template_fails_with_the_reason_and_a_rebuild_succeeds(
    validated_rows, profile, settings
):
    bulletin = BulletinFactory()
    settings.BULLETIN_PRINT_TEMPLATE = "bulletins/print/no-such-template.html"

    result = _build(bulletin)

    bulletin.refresh_from_db()
    assert result.queued
    assert bulletin.status == BulletinStatus.FAILED
    assert bulletin.status_reason == FailureReason.TEMPLATE
    assert "print layout has an error" in bulletin.shown_reason
    assert "no-such-template.html" in bulletin.shown_reason
    assert not bulletin.pdf

    settings.BULLETIN_PRINT_TEMPLATE = "bulletins/print/bulletin.html"
    _build(bulletin)

    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.READY
    assert bulletin.shown_reason == ""
    assert bulletin.pdf


def test_a_build_over_its_soft_time_limit_fails_in_plain_words(profile, monkeypatch):
    bulletin = BulletinFactory()

    def too_slow(html):
        raise SoftTimeLimitExceeded

    monkeypatch.setattr(rendering, "render_pdf", too_slow)
    _build(bulletin)

    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.FAILED
    assert bulletin.shown_reason.startswith("The build took longer than 4 minutes")


def test_a_task_with_an_old_token_does_nothing(profile):
    bulletin = BulletinFactory()
    _build(bulletin)
    bulletin.refresh_from_db()
    built_at = bulletin.built_at

    assert build_bulletin.apply(args=[bulletin.pk, str(uuid.uuid4())]).get() == "skipped"

    bulletin.refresh_from_db()
    assert bulletin.built_at == built_at
    assert bulletin.build_attempts == 1


def test_a_task_delivered_again_counts_attempts_and_gives_up_after_three(profile):
    bulletin = BulletinFactory()
    token = uuid.uuid4()
    # As a worker killed mid-build leaves it: building, two attempts made.
    Bulletin.objects.filter(pk=bulletin.pk).update(
        status=BulletinStatus.BUILDING, build_token=token, build_attempts=3
    )

    assert build.build_run(bulletin_id=bulletin.pk, token=str(token), in_worker=False) == (
        "skipped"
    )

    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.FAILED
    assert bulletin.shown_reason.startswith("The build was given up after 3 attempts")
    assert not bulletin.pdf


def test_a_redelivered_task_under_the_limit_builds(profile):
    bulletin = BulletinFactory()
    token = uuid.uuid4()
    Bulletin.objects.filter(pk=bulletin.pk).update(
        status=BulletinStatus.BUILDING, build_token=token, build_attempts=2
    )

    assert build.build_run(bulletin_id=bulletin.pk, token=str(token), in_worker=False) == "built"

    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.READY
    assert bulletin.build_attempts == 3


def test_a_silent_build_shows_failed_at_once_and_the_beat_writes_it_down(settings):
    settings.BULLETIN_HEARTBEAT_TIMEOUT = 30
    long_ago = timezone.now() - datetime.timedelta(seconds=31)
    bulletin = BulletinFactory()
    Bulletin.objects.filter(pk=bulletin.pk).update(
        status=BulletinStatus.BUILDING,
        build_token=uuid.uuid4(),
        heartbeat_at=long_ago,
        build_started_at=long_ago,
    )
    alive = BulletinFactory()
    Bulletin.objects.filter(pk=alive.pk).update(
        status=BulletinStatus.BUILDING, build_token=uuid.uuid4(), heartbeat_at=timezone.now()
    )
    bulletin.refresh_from_db()

    assert bulletin.shown_status == BulletinStatus.FAILED
    assert "stopped answering" in bulletin.shown_reason
    assert bulletin.status == BulletinStatus.BUILDING  # read, not yet written

    assert fail_stale_builds.apply().get() == 1

    bulletin.refresh_from_db()
    alive.refresh_from_db()
    assert bulletin.status == BulletinStatus.FAILED
    assert bulletin.status_reason == FailureReason.STOPPED
    assert alive.status == BulletinStatus.BUILDING


def test_a_build_queued_too_long_is_failed_as_not_started(settings):
    settings.BULLETIN_QUEUE_TIMEOUT = 600
    bulletin = BulletinFactory()
    Bulletin.objects.filter(pk=bulletin.pk).update(
        status=BulletinStatus.QUEUED,
        build_token=uuid.uuid4(),
        queued_at=timezone.now() - datetime.timedelta(minutes=11),
    )
    bulletin.refresh_from_db()
    assert "did not start; the task queue may be down" in bulletin.shown_reason

    assert services.bulletins_fail_stale() == 1

    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.FAILED
    assert bulletin.status_reason == FailureReason.NOT_STARTED


def test_a_dead_build_can_be_rebuilt_and_its_late_task_is_ignored(profile, settings):
    settings.BULLETIN_HEARTBEAT_TIMEOUT = 30
    bulletin = BulletinFactory()
    old_token = uuid.uuid4()
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    Bulletin.objects.filter(pk=bulletin.pk).update(
        status=BulletinStatus.BUILDING, build_token=old_token, heartbeat_at=long_ago
    )

    result = _build(bulletin)

    assert result.queued
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.READY
    assert build.build_run(bulletin_id=bulletin.pk, token=str(old_token)) == "skipped"


def test_build_leaves_a_running_build_alone(profile):
    bulletin = BulletinFactory()
    token = uuid.uuid4()
    Bulletin.objects.filter(pk=bulletin.pk).update(
        status=BulletinStatus.BUILDING, build_token=token, heartbeat_at=timezone.now()
    )

    result = _build(bulletin)

    assert not result.queued
    assert not result.error
    bulletin.refresh_from_db()
    assert bulletin.build_token == token


def test_each_failure_reason_has_words():
    from bulletins.models import reason_text

    for reason in FailureReason:
        assert reason_text(reason, "x")


def test_make_validated_rows_is_reusable_in_other_modules():
    assert callable(make_validated_rows)
