"""The build through a real Celery worker and Redis (TEST_CELERY_REDIS_URL), as in production:
the PDF's figures are the public aggregates, a worker killed mid-build leaves a failed and
rebuildable bulletin, a build that keeps killing its worker is given up, and a stopped broker
is reported at once."""

import datetime
import re
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import override

from analysis.snapshot import public_figures
from bulletins import services
from bulletins.models import Bulletin, BulletinStatus, FailureReason
from tests.bulletins.conftest import FEB, JAN, make_validated_rows
from tests.bulletins.factories import BulletinFactory
from tests.celery_worker import celery_worker, project_app_on
from tests.clock_shim import real_clock_environment
from tests.text import has_phrase

BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _pdf_text(bulletin: Bulletin) -> str:
    text = subprocess.run(
        ["pdftotext", "-layout", bulletin.pdf.path, "-"], capture_output=True, check=True, text=True
    ).stdout
    return BIDI_MARKS.sub("", text)


def _status(bulletin: Bulletin) -> str:
    bulletin.refresh_from_db()
    return bulletin.status


def _arabic(value: int) -> str:
    with override("ar"):
        return number_format(value, force_grouping=True)


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_an_arabic_bulletin_with_the_public_figures(world, profile, tmp_path):
    make_validated_rows()
    bulletin = BulletinFactory(
        language="ar",
        title="نشرة مجموعة الصحة",
        first_month=JAN,
        last_month=FEB,
        highlights="ارتفعت الاستشارات في الشمال",
        situation_overview="أمطار غزيرة في الشمال.",
    )

    with celery_worker(tmp_path) as worker, project_app_on():
        result = services.bulletin_build(bulletin=bulletin, by=world.user("coordinator"))
        assert result.queued
        assert not result.error
        worker.wait_for(
            lambda: _status(bulletin) not in (BulletinStatus.QUEUED, BulletinStatus.BUILDING),
            60,
            "waiting for the build",
        )
        worker.wait_until_idle()

    assert bulletin.status == BulletinStatus.READY, bulletin.shown_reason
    expected = public_figures(first_month=JAN, last_month=FEB)
    assert bulletin.snapshot == expected
    text = _pdf_text(bulletin)
    lines = text.splitlines()
    key = expected["key_figures"]
    assert key["people_reached"] == 307 + 15  # people reached once: North's February, South
    assert has_phrase(text, _arabic(key["people_reached"]))
    for row in expected["by_admin1"]:
        line = next(line for line in lines if row["pcode"] in line)
        assert has_phrase(line, _arabic(row["people"])), (row, line)
    for row in expected["by_month"]:
        assert has_phrase(text, _arabic(row["people"]))
    for word in ["نشرة", "الشمال", "الجنوب", "الصحة", "أمطار", "ألفا"]:
        assert word in text, f"{word} is not in the PDF's text"
    assert "Beta Care" in text  # no Arabic name: printed in English


def _wait(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"Timed out after {timeout} s {what}")


SLOW = {"BULLETIN_BUILD_TEST_DELAY": "60", "BULLETIN_HEARTBEAT_INTERVAL": "1"}


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_build_leaves_it_failed_and_a_rebuild_succeeds(
    world, profile, tmp_path, settings
):
    settings.BULLETIN_HEARTBEAT_TIMEOUT = 4
    bulletin = BulletinFactory()
    coordinator = world.user("coordinator")

    with celery_worker(tmp_path, env=SLOW) as worker, project_app_on():
        services.bulletin_build(bulletin=bulletin, by=coordinator)
        worker.wait_for(
            lambda: _status(bulletin) == BulletinStatus.BUILDING, 30, "waiting for the build"
        )
        # The heartbeat keeps a slow build alive...
        time.sleep(6)
        bulletin.refresh_from_db()
        assert bulletin.shown_status == BulletinStatus.BUILDING
        worker.kill()

    # ...and once its worker is gone, it is shown failed without waiting for the beat.
    _wait(lambda: Bulletin.objects.get(pk=bulletin.pk).shown_status == "failed", 10, "to fail")
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.BUILDING
    assert "stopped answering" in bulletin.shown_reason
    assert services.bulletins_fail_stale() == 1
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.FAILED
    assert bulletin.status_reason == FailureReason.STOPPED

    with celery_worker(tmp_path) as worker, project_app_on():
        result = services.bulletin_build(bulletin=bulletin, by=coordinator)
        assert result.queued
        worker.wait_for(
            lambda: _status(bulletin) == BulletinStatus.READY, 60, "waiting for the rebuild"
        )
    assert bulletin.pdf
    assert Path(bulletin.pdf.path).read_bytes().startswith(b"%PDF")


@pytest.mark.django_db(transaction=True)
def test_a_build_that_keeps_killing_its_worker_is_given_up_after_three_attempts(
    world, profile, tmp_path
):
    bulletin = BulletinFactory()

    with celery_worker(tmp_path, env=SLOW, pool="prefork") as worker, project_app_on():
        services.bulletin_build(bulletin=bulletin, by=world.user("coordinator"))
        for attempt in (1, 2, 3):
            worker.wait_for(
                lambda attempt=attempt: Bulletin.objects.filter(
                    pk=bulletin.pk, status=BulletinStatus.BUILDING, build_attempts=attempt
                ).exists(),
                30,
                f"waiting for attempt {attempt}",
            )
            (child,) = worker.children()
            subprocess.run(["kill", "-9", str(child)], check=True)
        # reject_on_worker_lost puts the task back; the fourth delivery gives up.
        worker.wait_for(
            lambda: _status(bulletin) == BulletinStatus.FAILED, 30, "waiting for the give-up"
        )
        worker.wait_until_idle()

    assert bulletin.status_reason == FailureReason.TOO_MANY_ATTEMPTS
    assert bulletin.shown_reason.startswith("The build was given up after 3 attempts")
    assert bulletin.build_attempts == 3
    assert not bulletin.pdf


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def private_redis(tmp_path):
    """A redis-server of the test's own, which the test may stop."""
    port = _free_port()
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=real_clock_environment(),
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    try:
        yield process, f"redis://127.0.0.1:{port}/0"
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=5)


@pytest.mark.django_db(transaction=True)
# No worker runs here, so the test process's clock alone decides the queue timeout.
@pytest.mark.time_machine(datetime.datetime(2026, 3, 15, 12, 0, tzinfo=datetime.UTC))
def test_build_says_at_once_when_the_broker_has_stopped(world, private_redis):
    process, url = private_redis
    coordinator = world.user("coordinator")
    first, second = BulletinFactory(), BulletinFactory()

    with project_app_on(url):
        assert services.bulletin_build(bulletin=first, by=coordinator).queued
        process.terminate()
        process.wait(timeout=5)
        started = time.monotonic()
        result = services.bulletin_build(bulletin=second, by=coordinator)
        took = time.monotonic() - started

    assert took < 5, f"the coordinator waited {took:.1f} s"
    assert not result.queued
    assert result.error.startswith("The task queue cannot be reached")
    second.refresh_from_db()
    assert second.status == BulletinStatus.FAILED
    assert second.status_reason == FailureReason.QUEUE_DOWN
    assert _status(first) == BulletinStatus.QUEUED
    # Queued for ever is not possible: past the queue timeout it shows failed too.
    Bulletin.objects.filter(pk=first.pk).update(
        queued_at=timezone.now() - datetime.timedelta(days=1)
    )
    first.refresh_from_db()
    assert first.shown_status == BulletinStatus.FAILED
