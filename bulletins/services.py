"""Changes to bulletins: creating them with an edition per language, writing the editions,
asking for builds and giving up on dead ones.

Publication, revisions and withdrawal are in ``bulletins/publication.py``; the build itself
(what the Celery task runs) in ``bulletins/build.py``. Who may do each, and when, is
``bulletins.policy``'s to say.
"""

import datetime
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import RedisError

from bulletins import policy
from bulletins.models import (
    IN_PROGRESS,
    TEXT_FIELDS,
    BuildStatus,
    Bulletin,
    Edition,
    FailureReason,
    edition_languages,
)
from strategy.selectors import cluster_profile_for_home

logger = logging.getLogger(__name__)

BULLETIN_FIELDS = ("number", "first_month", "last_month")
# What cannot change once an edition is published: readers cite it by number and title.
FIXED_ONCE_PUBLISHED = ("title",)
# What publishing a task may raise when the broker is down or unreachable.
BROKER_ERRORS = (KombuOperationalError, RedisError, ConnectionError, TimeoutError)
# One quick retry, then give up: the coordinator waits on the Build button.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}


@transaction.atomic
def next_number() -> int:
    """The number the next bulletin takes: one more than the highest so far, old numbers
    that now lead to an edition included."""
    from bulletins.models import BulletinRedirect

    highest = max(
        Bulletin.objects.aggregate(highest=Max("number"))["highest"] or 0,
        BulletinRedirect.objects.aggregate(highest=Max("number"))["highest"] or 0,
    )
    return highest + 1


def default_title(*, language: str, first_month, last_month) -> str:
    """The cluster's name and the months, in the edition's language."""
    from bulletins.rendering import period_label  # rendering imports this module

    with translation.override(language):
        return _("%(cluster)s Bulletin, %(period)s") % {
            "cluster": str(cluster_profile_for_home().cluster_name),
            "period": period_label(first_month, last_month),
        }


@transaction.atomic
def bulletin_create(*, fields: dict[str, Any], by) -> Bulletin:
    """A bulletin and an edition in every language; ``fields`` has its number and months,
    and may have ``title_<language>`` (a title left empty is the default one)."""
    policy.can_manage(by).enforce()
    bulletin = Bulletin(**{name: fields[name] for name in BULLETIN_FIELDS})
    bulletin.created_by = by
    bulletin.updated_by = by
    bulletin._history_user = by
    bulletin.save()
    for language, _name in edition_languages():
        title = (fields.get(f"title_{language}") or "").strip() or default_title(
            language=language, first_month=bulletin.first_month, last_month=bulletin.last_month
        )
        edition = Edition(bulletin=bulletin, language=language, title=title)
        edition.created_by = by
        edition.updated_by = by
        edition._history_user = by
        edition.save()
    return bulletin


@transaction.atomic
def bulletin_update(*, bulletin: Bulletin, fields: dict[str, Any], by) -> Bulletin:
    """Change the number or months of a bulletin none of whose editions is published."""
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    policy.can_change_settings(by, bulletin).enforce()
    months_changed = (fields["first_month"], fields["last_month"]) != (
        bulletin.first_month,
        bulletin.last_month,
    )
    for name in BULLETIN_FIELDS:
        setattr(bulletin, name, fields[name])
    if months_changed:
        # Figures of other months are no use: the next build takes the new ones.
        bulletin.snapshot = {}
        bulletin.snapshot_taken_at = None
    bulletin.updated_by = by
    bulletin._history_user = by
    bulletin.save()
    return bulletin


@transaction.atomic
def edition_update(
    *, edition: Edition, fields: dict[str, Any], by, record_history: bool = True
) -> Edition:
    """Save the editor's text. On a published edition this is the revision's text: the
    public keeps seeing the published version. The build bookkeeping is left as it is; a
    change of text is counted, so what was built before it cannot be published. The
    autosave, every few seconds, leaves no history row (``record_history=False``)."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    policy.can_edit_edition(by, edition).enforce()
    names = [name for name in TEXT_FIELDS if name in fields]
    if edition.is_public:
        names = [name for name in names if name not in FIXED_ONCE_PUBLISHED]
    changed = [name for name in names if getattr(edition, name) != fields[name]]
    for name in changed:
        setattr(edition, name, fields[name])
    update = ["updated_by", "updated_at"]
    if changed:
        edition.text_version += 1
        update += [*changed, "text_version"]
    if edition.is_public and "refresh_figures" in fields:
        edition.refresh_figures = bool(fields["refresh_figures"])
        update.append("refresh_figures")
    edition.updated_by = by
    edition._history_user = by
    # simple_history skips the row whenever the attribute exists, whatever its value.
    if not record_history:
        edition.skip_history_when_saving = True
    try:
        edition.save(update_fields=update)
    finally:
        edition.__dict__.pop("skip_history_when_saving", None)
    return edition


def _mark_queued(edition: Edition, token: uuid.UUID, by) -> None:
    """Mark the (locked) edition queued for the build with this token."""
    edition.status = BuildStatus.QUEUED
    edition.status_reason = ""
    edition.status_detail = ""
    edition.build_token = token
    edition.build_attempts = 0
    edition.queued_at = timezone.now()
    edition.build_started_at = None
    edition.heartbeat_at = None
    edition.updated_by = by
    edition._history_user = by
    edition.save(
        update_fields=[
            "status",
            "status_reason",
            "status_detail",
            "build_token",
            "build_attempts",
            "queued_at",
            "build_started_at",
            "heartbeat_at",
            "updated_by",
            "updated_at",
        ]
    )


@dataclass(frozen=True)
class BuildRequest:
    edition: Edition
    queued: bool
    error: str = ""


def _send(edition: Edition, token: uuid.UUID) -> BuildRequest:
    from bulletins.tasks import build_edition

    try:
        build_edition.apply_async(
            args=[edition.pk, str(token)],
            soft_time_limit=settings.BULLETIN_BUILD_SOFT_TIME_LIMIT,
            time_limit=settings.BULLETIN_BUILD_TIME_LIMIT,
            retry_policy=PUBLISH_RETRY_POLICY,
        )
    except BROKER_ERRORS:
        logger.exception("The build of edition %s could not be queued", edition.pk)
        build_fail(edition_id=edition.pk, token=token, reason=FailureReason.QUEUE_DOWN)
        edition.refresh_from_db()
        return BuildRequest(edition=edition, queued=False, error=edition.shown_reason)
    edition.refresh_from_db()
    return BuildRequest(edition=edition, queued=True)


def _queue(edition: Edition, by) -> tuple[Edition, uuid.UUID | None]:
    """Mark the edition queued with a fresh token, unless a live build is running."""
    token = uuid.uuid4()
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.status in IN_PROGRESS and not edition.stale_reason():
        return edition, None
    _mark_queued(edition, token, by)
    return edition, token


def edition_build(*, edition: Edition, by) -> BuildRequest:
    """Queue a build of one edition and send its task, telling at once if that failed.

    The row is marked queued (with a fresh build token) and committed first; only then is
    the task sent, so the worker finds the row as it should. Sending is not left to
    ``on_commit``: when the broker is down, the coordinator must hear it now, and the
    edition is marked failed with that reason. A build already running is left alone.
    With ``CELERY_TASK_ALWAYS_EAGER`` (no Redis) the task runs here, in this process.

    Call it outside any transaction: the worker must see the committed row.
    """
    policy.can_build_edition(by, edition).enforce()
    with transaction.atomic():
        edition, token = _queue(edition, by)
    if token is None:
        return BuildRequest(edition=edition, queued=False)
    return _send(edition, token)


def bulletin_build(*, bulletin: Bulletin, by) -> list[BuildRequest]:
    """Build every edition of a bulletin none of whose editions is published yet, from
    today's figures: they are emptied here, and the first build to run takes them for all.
    """
    with transaction.atomic():
        bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        policy.can_build_all(by, bulletin).enforce()
        queued = [_queue(edition, by) for edition in bulletin.editions.order_by("pk")]
        if any(token for _edition, token in queued):
            Bulletin.objects.filter(pk=bulletin.pk).update(snapshot={}, snapshot_taken_at=None)
    return [
        _send(edition, token) if token else BuildRequest(edition=edition, queued=False)
        for edition, token in queued
    ]


def edition_build_in_process(*, edition: Edition, by) -> Edition:
    """Build the edition here and now, whatever the broker: for the demo data and tests,
    which need the PDF before they go on. Safe inside a transaction (the build runs in
    this process, on this connection)."""
    from bulletins.build import build_run

    policy.can_build_edition(by, edition).enforce()
    token = uuid.uuid4()
    with transaction.atomic():
        edition = Edition.objects.select_for_update().get(pk=edition.pk)
        _mark_queued(edition, token, by)
    build_run(edition_id=edition.pk, token=str(token), in_worker=False)
    edition.refresh_from_db()
    return edition


def build_fail(
    *, edition_id: int, token: uuid.UUID | str, reason: str, detail: object = ""
) -> bool:
    """Mark the build with this token failed (reason: a FailureReason), unless a newer
    build replaced it."""
    return bool(
        Edition.objects.filter(pk=edition_id, build_token=token, status__in=IN_PROGRESS).update(
            status=BuildStatus.FAILED,
            status_reason=reason,
            status_detail=str(detail)[:300],
            updated_at=timezone.now(),
        )
    )


def editions_fail_stale(*, now: datetime.datetime | None = None) -> int:
    """Mark failed the builds that never started or stopped sending their heartbeat."""
    now = now or timezone.now()
    queue_limit = now - datetime.timedelta(seconds=settings.BULLETIN_QUEUE_TIMEOUT)
    not_started = Edition.objects.filter(
        status=BuildStatus.QUEUED, queued_at__lt=queue_limit
    ).update(status=BuildStatus.FAILED, status_reason=FailureReason.NOT_STARTED, updated_at=now)
    stopped = 0
    for edition in Edition.objects.filter(status=BuildStatus.BUILDING).only(
        "pk", "status", "build_token", "heartbeat_at", "build_started_at", "queued_at"
    ):
        if edition.stale_reason(now):
            # The token and the heartbeat in the filter: a build that beat meanwhile stays.
            stopped += Edition.objects.filter(
                pk=edition.pk,
                build_token=edition.build_token,
                status=BuildStatus.BUILDING,
                heartbeat_at=edition.heartbeat_at,
            ).update(status=BuildStatus.FAILED, status_reason=FailureReason.STOPPED)
    return not_started + stopped
