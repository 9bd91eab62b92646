"""One build of an edition, as its Celery task runs it: figures, HTML, PDF, file.

Every step is checked against the build token the task was sent with: a task for a build
that was replaced (the coordinator pressed Build again) or given up (marked failed as
stale) does nothing, and a build that finishes late throws its PDF away instead of
overwriting a newer one. A PDF the public has (a published version's) is never replaced or
deleted by a build: each build writes a new file. While it runs, a heartbeat thread writes
``heartbeat_at`` every few seconds; a worker killed mid-build stops it, and the build is
then shown failed.
"""

import logging
import threading
import time
import uuid
from functools import partial

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection, transaction
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.utils import timezone

from analysis import snapshot as analysis_snapshot
from bulletins import rendering
from bulletins.models import (
    IN_PROGRESS,
    BuildStatus,
    Bulletin,
    Edition,
    EditionVersion,
    FailureReason,
)
from bulletins.services import build_fail
from core.storage import StorageUnavailable, delete_quietly
from strategy.selectors import cluster_profile_for_home

logger = logging.getLogger(__name__)


def _current(edition_id: int, token: str):
    return Edition.objects.filter(pk=edition_id, build_token=token, status=BuildStatus.BUILDING)


def beat(edition_id: int, token: str) -> bool:
    """Record that the build is alive; False once it was replaced or given up."""
    return bool(_current(edition_id, token).update(heartbeat_at=timezone.now()))


class Heartbeat:
    """A thread beating for the build while the main thread renders (which can take long
    without returning to Python code that could beat itself)."""

    def __init__(self, edition_id: int, token: str, *, enabled: bool) -> None:
        self.edition_id = edition_id
        self.token = token
        self.enabled = enabled
        self.stop = threading.Event()
        self.thread: threading.Thread | None = None

    def _run(self) -> None:
        try:
            while not self.stop.wait(settings.BULLETIN_HEARTBEAT_INTERVAL):
                try:
                    beat(self.edition_id, self.token)
                except DatabaseError:
                    logger.warning("Heartbeat of edition %s missed", self.edition_id)
        finally:
            connection.close()  # this thread's own connection

    def __enter__(self) -> "Heartbeat":
        if self.enabled:
            self.thread = threading.Thread(target=self._run, daemon=True, name="bulletin-beat")
            self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        if self.thread is not None:
            self.thread.join(timeout=5)


def build_start(*, edition_id: int, token: str) -> Edition | None:
    """Count the attempt and mark the build running; None if there is nothing to do.

    A task delivered again after its worker died finds its build still "building" and
    counts one more attempt: past the limit, the build is failed instead of run again.
    """
    with transaction.atomic():
        edition = Edition.objects.select_for_update().filter(pk=edition_id).first()
        if (
            edition is None
            or str(edition.build_token) != str(token)
            or edition.status not in IN_PROGRESS
        ):
            return None
        attempts = edition.build_attempts + 1
        now = timezone.now()
        if attempts > settings.BULLETIN_BUILD_MAX_ATTEMPTS:
            Edition.objects.filter(pk=edition_id).update(
                status=BuildStatus.FAILED,
                status_reason=FailureReason.TOO_MANY_ATTEMPTS,
                status_detail=str(attempts - 1),
                updated_at=now,
            )
            return None
        Edition.objects.filter(pk=edition_id).update(
            status=BuildStatus.BUILDING,
            build_attempts=attempts,
            build_started_at=now,
            heartbeat_at=now,
        )
    return Edition.objects.select_related("bulletin").get(pk=edition_id)


def _todays_figures(bulletin: Bulletin) -> tuple[dict, object]:
    figures = analysis_snapshot.public_figures(
        first_month=bulletin.first_month, last_month=bulletin.last_month
    )
    return figures, timezone.now()


def _bulletin_figures(edition: Edition) -> tuple[dict, object]:
    """The bulletin's figures, taken now if it has none (the first build after "build all
    editions" emptied them). The row lock makes editions built together share them."""
    with transaction.atomic():
        bulletin = Bulletin.objects.select_for_update().get(pk=edition.bulletin_id)
        if not bulletin.snapshot:
            bulletin.snapshot, bulletin.snapshot_taken_at = _todays_figures(bulletin)
            Bulletin.objects.filter(pk=bulletin.pk).update(
                snapshot=bulletin.snapshot, snapshot_taken_at=bulletin.snapshot_taken_at
            )
        return bulletin.snapshot, bulletin.snapshot_taken_at


def _published_figures(edition: Edition) -> tuple[dict, object] | None:
    """A published edition's revision keeps the figures it was published with, unless the
    coordinator asked for today's."""
    if not edition.is_public or edition.refresh_figures:
        return None
    current = EditionVersion.objects.filter(edition=edition).order_by("-number").first()
    if current is None or not current.snapshot:
        return None
    return current.snapshot, current.snapshot_taken_at


def _snapshot(edition: Edition, token: str) -> dict:
    """The figures this build prints, stored on the edition with the time they were taken."""
    figures = _published_figures(edition)
    if figures is None and edition.is_public:
        figures = _todays_figures(edition.bulletin)
    if figures is None:
        figures = _bulletin_figures(edition)
    snapshot, taken_at = figures
    _current(edition.pk, token).update(snapshot=snapshot, snapshot_taken_at=taken_at)
    return snapshot


def _test_delay(edition_id: int, token: str) -> None:
    for _second in range(settings.BULLETIN_BUILD_TEST_DELAY):
        time.sleep(1)
        beat(edition_id, token)


def _store(edition: Edition, token: str, pdf: bytes, text_version: int) -> str:
    """Save the PDF under a new name and point the edition at it; the old file goes after
    the commit unless a published version keeps it. A build that was replaced meanwhile
    deletes its own file instead."""
    number = edition.bulletin.number
    name = default_storage.save(
        f"bulletins/bulletin-{number}-{edition.language}-{uuid.UUID(str(token)).hex[:12]}.pdf",
        ContentFile(pdf),
    )
    with transaction.atomic():
        current = _current(edition.pk, token).select_for_update().first()
        if current is None:
            delete_quietly(default_storage, name)
            return ""
        old = current.pdf.name
        now = timezone.now()
        current.pdf.name = name
        current.built_text_version = text_version
        current.status = BuildStatus.READY
        current.status_reason = ""
        current.status_detail = ""
        current.built_at = now
        current.heartbeat_at = now
        current.save(
            update_fields=[
                "pdf",
                "built_text_version",
                "status",
                "status_reason",
                "status_detail",
                "built_at",
                "heartbeat_at",
            ]
        )
        if old and old != name and not EditionVersion.objects.filter(pdf=old).exists():
            transaction.on_commit(partial(delete_quietly, default_storage, old))
    return name


def _reason(error: Exception) -> tuple[str, str]:
    if isinstance(error, TemplateDoesNotExist | TemplateSyntaxError):
        return FailureReason.TEMPLATE, f"{type(error).__name__}: {error}"
    if isinstance(error, DatabaseError):
        return FailureReason.DATABASE, ""
    if isinstance(error, StorageUnavailable):
        return FailureReason.STORAGE, ""
    return FailureReason.UNEXPECTED, type(error).__name__


def build_run(*, edition_id: int, token: str, in_worker: bool = True) -> str:
    """Build the edition's PDF for this token; what happened, in one word, for the logs."""
    edition = build_start(edition_id=edition_id, token=token)
    if edition is None:
        return "skipped"
    try:
        with Heartbeat(edition_id, token, enabled=in_worker):
            figures = _snapshot(edition, token)
            beat(edition_id, token)
            _test_delay(edition_id, token)
            html = rendering.render_html(edition, figures, cluster_profile_for_home())
            beat(edition_id, token)
            pdf = rendering.render_pdf(html)
            if not beat(edition_id, token):
                return "superseded"
            name = _store(edition, token, pdf, edition.text_version)
    except SoftTimeLimitExceeded:
        minutes = max(1, round(settings.BULLETIN_BUILD_SOFT_TIME_LIMIT / 60))
        build_fail(
            edition_id=edition_id,
            token=token,
            reason=FailureReason.TOO_LONG,
            detail=minutes,
        )
        return "failed"
    except Exception as error:
        logger.exception("The build of edition %s failed", edition_id)
        reason, detail = _reason(error)
        build_fail(edition_id=edition_id, token=token, reason=reason, detail=detail)
        return "failed"
    return "built" if name else "superseded"
