"""One build of a bulletin, as its Celery task runs it: snapshot, HTML, PDF, file.

Every step is checked against the build token the task was sent with: a task for a build
that was replaced (the coordinator pressed Build again) or given up (marked failed as
stale) does nothing, and a build that finishes late throws its PDF away instead of
overwriting a newer one. While it runs, a heartbeat thread writes ``heartbeat_at`` every
few seconds; a worker killed mid-build stops it, and the build is then shown failed.
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
from bulletins.models import IN_PROGRESS, Bulletin, BulletinStatus, FailureReason
from bulletins.services import build_fail
from strategy.selectors import cluster_profile_for_home

logger = logging.getLogger(__name__)


def _current(bulletin_id: int, token: str):
    return Bulletin.objects.filter(
        pk=bulletin_id, build_token=token, status=BulletinStatus.BUILDING
    )


def beat(bulletin_id: int, token: str) -> bool:
    """Record that the build is alive; False once it was replaced or given up."""
    return bool(_current(bulletin_id, token).update(heartbeat_at=timezone.now()))


class Heartbeat:
    """A thread beating for the build while the main thread renders (which can take long
    without returning to Python code that could beat itself)."""

    def __init__(self, bulletin_id: int, token: str, *, enabled: bool) -> None:
        self.bulletin_id = bulletin_id
        self.token = token
        self.enabled = enabled
        self.stop = threading.Event()
        self.thread: threading.Thread | None = None

    def _run(self) -> None:
        try:
            while not self.stop.wait(settings.BULLETIN_HEARTBEAT_INTERVAL):
                try:
                    beat(self.bulletin_id, self.token)
                except DatabaseError:
                    logger.warning("Heartbeat of bulletin %s missed", self.bulletin_id)
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


def build_start(*, bulletin_id: int, token: str) -> Bulletin | None:
    """Count the attempt and mark the build running; None if there is nothing to do.

    A task delivered again after its worker died finds its build still "building" and
    counts one more attempt: past the limit, the build is failed instead of run again.
    """
    with transaction.atomic():
        bulletin = Bulletin.objects.select_for_update().filter(pk=bulletin_id).first()
        if (
            bulletin is None
            or str(bulletin.build_token) != str(token)
            or bulletin.status not in IN_PROGRESS
        ):
            return None
        attempts = bulletin.build_attempts + 1
        now = timezone.now()
        if attempts > settings.BULLETIN_BUILD_MAX_ATTEMPTS:
            Bulletin.objects.filter(pk=bulletin_id).update(
                status=BulletinStatus.FAILED,
                status_reason=FailureReason.TOO_MANY_ATTEMPTS,
                status_detail=str(attempts - 1),
                updated_at=now,
            )
            return None
        Bulletin.objects.filter(pk=bulletin_id).update(
            status=BulletinStatus.BUILDING,
            build_attempts=attempts,
            build_started_at=now,
            heartbeat_at=now,
        )
    bulletin.refresh_from_db()
    return bulletin


def _snapshot(bulletin: Bulletin, token: str) -> dict:
    """The stored figures of a published bulletin; fresh ones, stored, for any other."""
    if bulletin.snapshot_is_frozen() and bulletin.snapshot:
        return bulletin.snapshot
    figures = analysis_snapshot.public_figures(
        first_month=bulletin.first_month, last_month=bulletin.last_month
    )
    _current(bulletin.pk, token).update(snapshot=figures, snapshot_taken_at=timezone.now())
    return figures


def _test_delay(bulletin_id: int, token: str) -> None:
    for _second in range(settings.BULLETIN_BUILD_TEST_DELAY):
        time.sleep(1)
        beat(bulletin_id, token)


def _store(bulletin: Bulletin, token: str, pdf: bytes) -> str:
    """Save the PDF under a new name and point the bulletin at it; the old file goes after
    the commit. A build that was replaced meanwhile deletes its own file instead."""
    name = default_storage.save(
        f"bulletins/bulletin-{bulletin.number}-{uuid.UUID(str(token)).hex[:12]}.pdf",
        ContentFile(pdf),
    )
    with transaction.atomic():
        current = _current(bulletin.pk, token).select_for_update().first()
        if current is None:
            default_storage.delete(name)
            return ""
        old = current.pdf.name
        now = timezone.now()
        current.pdf.name = name
        current.status = current.status_after_build()
        current.status_reason = ""
        current.status_detail = ""
        current.built_at = now
        current.heartbeat_at = now
        current.save(
            update_fields=[
                "pdf",
                "status",
                "status_reason",
                "status_detail",
                "built_at",
                "heartbeat_at",
            ]
        )
        if old and old != name:
            transaction.on_commit(partial(default_storage.delete, old))
    return name


def _reason(error: Exception) -> tuple[str, str]:
    if isinstance(error, TemplateDoesNotExist | TemplateSyntaxError):
        return FailureReason.TEMPLATE, f"{type(error).__name__}: {error}"
    if isinstance(error, DatabaseError):
        return FailureReason.DATABASE, ""
    return FailureReason.UNEXPECTED, type(error).__name__


def build_run(*, bulletin_id: int, token: str, in_worker: bool = True) -> str:
    """Build the bulletin's PDF for this token; what happened, in one word, for the logs."""
    bulletin = build_start(bulletin_id=bulletin_id, token=token)
    if bulletin is None:
        return "skipped"
    try:
        with Heartbeat(bulletin_id, token, enabled=in_worker):
            figures = _snapshot(bulletin, token)
            beat(bulletin_id, token)
            _test_delay(bulletin_id, token)
            html = rendering.render_html(bulletin, figures, cluster_profile_for_home())
            beat(bulletin_id, token)
            pdf = rendering.render_pdf(html)
            if not beat(bulletin_id, token):
                return "superseded"
            name = _store(bulletin, token, pdf)
    except SoftTimeLimitExceeded:
        minutes = max(1, round(settings.BULLETIN_BUILD_SOFT_TIME_LIMIT / 60))
        build_fail(
            bulletin_id=bulletin_id,
            token=token,
            reason=FailureReason.TOO_LONG,
            detail=minutes,
        )
        return "failed"
    except Exception as error:
        logger.exception("The build of bulletin %s failed", bulletin_id)
        reason, detail = _reason(error)
        build_fail(bulletin_id=bulletin_id, token=token, reason=reason, detail=detail)
        return "failed"
    return "built" if name else "superseded"
