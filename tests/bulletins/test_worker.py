"""Builds through a real Celery worker and Redis (TEST_CELERY_REDIS_URL), as in production:
building every edition prints the public aggregates in both languages from one shared
snapshot, a worker killed mid-build leaves a failed and rebuildable edition, a build that
keeps killing its worker is given up, and a stopped broker is reported at once."""

import datetime
import re
import socket
import subprocess
import time

import pytest
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import override

from analysis.snapshot import public_figures
from bulletins import services
from bulletins.models import BuildStatus, Edition, FailureReason
from tests.bulletins.conftest import FEB, JAN, make_validated_rows
from tests.bulletins.factories import EditionFactory, bilingual_bulletin
from tests.celery_worker import celery_worker, project_app_on
from tests.clock_shim import real_clock_environment
from tests.text import has_phrase

BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _pdf_bytes(edition: Edition) -> bytes:
    with edition.pdf.open("rb") as handle:
        return handle.read()


def _pdf_text(edition: Edition) -> str:
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=_pdf_bytes(edition),
        capture_output=True,
        check=True,
    ).stdout.decode()
    return BIDI_MARKS.sub("", text)


def _status(edition: Edition) -> str:
    edition.refresh_from_db()
    return edition.status


def _arabic(value: int) -> str:
    with override("ar"):
        return number_format(value, force_grouping=True)


def _done(*editions: Edition) -> bool:
    return all(
        _status(edition) not in (BuildStatus.QUEUED, BuildStatus.BUILDING) for edition in editions
    )


# Two organisations (make_validated_rows): the public would see none of their figures
# (tests/conftest.py), here and in the worker.
EVERY_FIGURE_PUBLIC = {"PUBLIC_MIN_ORGANISATIONS": "1"}


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_every_edition_with_the_same_public_figures(
    world, profile, tmp_path, every_figure_public, file_store
):
    make_validated_rows()
    bulletin, english, arabic = bilingual_bulletin(first_month=JAN, last_month=FEB)
    environ = {**EVERY_FIGURE_PUBLIC, **file_store.environ}

    with celery_worker(tmp_path, env=environ) as worker, project_app_on():
        results = services.bulletin_build(bulletin=bulletin, by=world.user("coordinator"))
        assert [(r.queued, r.error) for r in results] == [(True, ""), (True, "")]
        worker.wait_for(lambda: _done(english, arabic), 90, "waiting for the builds")
        worker.wait_until_idle()

    assert english.status == BuildStatus.READY, english.shown_reason
    assert arabic.status == BuildStatus.READY, arabic.shown_reason
    expected = public_figures(first_month=JAN, last_month=FEB)
    bulletin.refresh_from_db()
    assert bulletin.snapshot == expected
    for edition in (english, arabic):
        assert edition.snapshot == expected, edition.language
        assert edition.snapshot_taken_at == bulletin.snapshot_taken_at, edition.language
        assert edition.pdf_shows_text, edition.language
    assert file_store.names() == {english.pdf.name, arabic.pdf.name}
    key = expected["key_figures"]
    assert key["people_reached"] == 307 + 15  # people reached once: North's February, South

    text = _pdf_text(arabic)
    lines = text.splitlines()
    assert has_phrase(text, _arabic(key["people_reached"]))
    for row in expected["by_admin1"]:
        line = next(line for line in lines if row["pcode"] in line)
        assert has_phrase(line, _arabic(row["people"])), (row, line)
    for row in expected["by_month"]:
        assert has_phrase(text, _arabic(row["people"]))
    for word in ["نشرة", "الشمال", "الجنوب", "الصحة", "الأمطار", "ألفا"]:
        assert has_phrase(text, word), f"{word} is not in the Arabic PDF's text"
    assert has_phrase(text, "Beta Care")  # no Arabic name: printed in English

    text = _pdf_text(english)
    assert has_phrase(text, str(key["people_reached"]))
    for word in ["Heavy rains displaced families", "North", "South", "Alpha Medical", "Beta Care"]:
        assert has_phrase(text, word), f"{word} is not in the English PDF's text"


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
    edition = EditionFactory()
    coordinator = world.user("coordinator")

    with celery_worker(tmp_path, env=SLOW) as worker, project_app_on():
        services.edition_build(edition=edition, by=coordinator)
        worker.wait_for(
            lambda: _status(edition) == BuildStatus.BUILDING, 30, "waiting for the build"
        )
        # The heartbeat keeps a slow build alive...
        time.sleep(6)
        edition.refresh_from_db()
        assert edition.shown_status == BuildStatus.BUILDING
        worker.kill()

    # ...and once its worker is gone, it is shown failed without waiting for the beat.
    _wait(
        lambda: Edition.objects.get(pk=edition.pk).shown_status == BuildStatus.FAILED,
        10,
        "to fail",
    )
    edition.refresh_from_db()
    assert edition.status == BuildStatus.BUILDING
    assert "stopped answering" in edition.shown_reason
    assert not edition.pdf
    assert services.editions_fail_stale() == 1
    edition.refresh_from_db()
    assert edition.status == BuildStatus.FAILED
    assert edition.status_reason == FailureReason.STOPPED

    with celery_worker(tmp_path) as worker, project_app_on():
        result = services.edition_build(edition=edition, by=coordinator)
        assert result.queued
        worker.wait_for(
            lambda: _status(edition) == BuildStatus.READY, 60, "waiting for the rebuild"
        )
    assert edition.pdf_shows_text
    assert _pdf_bytes(edition).startswith(b"%PDF")


@pytest.mark.django_db(transaction=True)
def test_a_build_that_keeps_killing_its_worker_is_given_up_after_three_attempts(
    world, profile, tmp_path
):
    edition = EditionFactory()

    with celery_worker(tmp_path, env=SLOW, pool="prefork") as worker, project_app_on():
        services.edition_build(edition=edition, by=world.user("coordinator"))
        for attempt in (1, 2, 3):
            worker.wait_for(
                lambda attempt=attempt: Edition.objects.filter(
                    pk=edition.pk, status=BuildStatus.BUILDING, build_attempts=attempt
                ).exists(),
                30,
                f"waiting for attempt {attempt}",
            )
            (child,) = worker.children()
            subprocess.run(["kill", "-9", str(child)], check=True)
        # reject_on_worker_lost puts the task back; the fourth delivery gives up.
        worker.wait_for(
            lambda: _status(edition) == BuildStatus.FAILED, 30, "waiting for the give-up"
        )
        worker.wait_until_idle()

    assert edition.status_reason == FailureReason.TOO_MANY_ATTEMPTS
    assert edition.shown_reason.startswith("The build was given up after 3 attempts")
    assert edition.build_attempts == 3
    assert not edition.pdf


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
    first, second = EditionFactory(), EditionFactory()
    bulletin, english, arabic = bilingual_bulletin()

    with project_app_on(url):
        assert services.edition_build(edition=first, by=coordinator).queued
        process.terminate()
        process.wait(timeout=5)
        started = time.monotonic()
        result = services.edition_build(edition=second, by=coordinator)
        took = time.monotonic() - started
        started = time.monotonic()
        results = services.bulletin_build(bulletin=bulletin, by=coordinator)
        took_all = time.monotonic() - started

    assert took < 5, f"the coordinator waited {took:.1f} s"
    assert not result.queued
    assert result.error.startswith("The task queue cannot be reached")
    second.refresh_from_db()
    assert second.status == BuildStatus.FAILED
    assert second.status_reason == FailureReason.QUEUE_DOWN
    # Building every edition says it for each, as quickly.
    assert took_all < 10, f"the coordinator waited {took_all:.1f} s for every edition"
    assert [(r.edition.language, r.queued) for r in results] == [("en", False), ("ar", False)]
    for found, edition in zip(results, (english, arabic), strict=True):
        assert found.error.startswith("The task queue cannot be reached"), edition.language
        edition.refresh_from_db()
        assert edition.status == BuildStatus.FAILED, edition.language
        assert edition.status_reason == FailureReason.QUEUE_DOWN, edition.language
    assert _status(first) == BuildStatus.QUEUED
    # Queued for ever is not possible: past the queue timeout it shows failed too.
    Edition.objects.filter(pk=first.pk).update(
        queued_at=timezone.now() - datetime.timedelta(days=1)
    )
    first.refresh_from_db()
    assert first.shown_status == BuildStatus.FAILED
