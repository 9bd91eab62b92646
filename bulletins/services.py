"""Changes to bulletins: writing them, asking for a build, giving up on dead builds, and
publishing and withdrawing them.

The build itself (what the Celery task runs) is in ``bulletins/build.py``.
"""

import datetime
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import RedisError

from bulletins.models import IN_PROGRESS, Bulletin, BulletinStatus, FailureReason
from core.emails import absolute_url
from strategy.selectors import cluster_profile_for_home
from subscribers import services as subscriber_services

logger = logging.getLogger(__name__)

EDITABLE_FIELDS = (
    "number",
    "title",
    "language",
    "first_month",
    "last_month",
    "highlights",
    "situation_overview",
    "public_health_concerns",
    "health_response",
    "gaps_and_challenges",
    "coordination",
)
# What publishing a task may raise when the broker is down or unreachable.
BROKER_ERRORS = (KombuOperationalError, RedisError, ConnectionError, TimeoutError)
# One quick retry, then give up: the coordinator waits on the Build button.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}


@transaction.atomic
def next_number() -> int:
    """The number the next bulletin takes: one more than the highest so far."""
    return (Bulletin.objects.aggregate(highest=Max("number"))["highest"] or 0) + 1


def default_title(*, language: str, first_month, last_month) -> str:
    """The cluster's name and the months, in the bulletin's language."""
    from bulletins.rendering import period_label  # rendering imports this module

    with translation.override(language):
        return _("%(cluster)s Bulletin, %(period)s") % {
            "cluster": str(cluster_profile_for_home().cluster_name),
            "period": period_label(first_month, last_month),
        }


def bulletin_create(*, fields: dict[str, Any], by) -> Bulletin:
    bulletin = Bulletin(**{name: fields[name] for name in EDITABLE_FIELDS if name in fields})
    if not (bulletin.title or "").strip():
        bulletin.title = default_title(
            language=bulletin.language,
            first_month=bulletin.first_month,
            last_month=bulletin.last_month,
        )
    bulletin.created_by = by
    bulletin.updated_by = by
    bulletin._history_user = by
    bulletin.save()
    return bulletin


@transaction.atomic
def bulletin_update(
    *, bulletin: Bulletin, fields: dict[str, Any], by, record_history: bool = True
) -> Bulletin:
    """Save the editor's fields. The build bookkeeping is left as it is: an edit during a
    build is picked up by the next build. The autosave, every few seconds, leaves no
    history row (``record_history=False``); saving the form does."""
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    changed = [name for name in EDITABLE_FIELDS if name in fields]
    for name in changed:
        setattr(bulletin, name, fields[name])
    bulletin.updated_by = by
    bulletin._history_user = by
    bulletin.skip_history_when_saving = not record_history
    bulletin.save(update_fields=[*changed, "updated_by", "updated_at"])
    return bulletin


def _mark_queued(bulletin: Bulletin, token: uuid.UUID, by) -> None:
    """Mark the (locked) bulletin queued for the build with this token."""
    bulletin.status = BulletinStatus.QUEUED
    bulletin.status_reason = ""
    bulletin.status_detail = ""
    bulletin.build_token = token
    bulletin.build_attempts = 0
    bulletin.queued_at = timezone.now()
    bulletin.build_started_at = None
    bulletin.heartbeat_at = None
    bulletin.updated_by = by
    bulletin._history_user = by
    bulletin.save(
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
    bulletin: Bulletin
    queued: bool
    error: str = ""


def bulletin_build(*, bulletin: Bulletin, by) -> BuildRequest:
    """Queue a build of the bulletin and send its task, telling at once if that failed.

    The row is marked queued (with a fresh build token) and committed first; only then is
    the task sent, so the worker finds the row as it should. Sending is not left to
    ``on_commit``: when the broker is down, the coordinator must hear it now, and the
    bulletin is marked failed with that reason. A build already running is left alone.
    With ``CELERY_TASK_ALWAYS_EAGER`` (no Redis) the task runs here, in this process.

    Call it outside any transaction: the worker must see the committed row.
    """
    from bulletins.tasks import build_bulletin

    token = uuid.uuid4()
    with transaction.atomic():
        bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        if bulletin.status in IN_PROGRESS and not bulletin.stale_reason():
            return BuildRequest(bulletin=bulletin, queued=False)
        _mark_queued(bulletin, token, by)
    try:
        build_bulletin.apply_async(
            args=[bulletin.pk, str(token)],
            soft_time_limit=settings.BULLETIN_BUILD_SOFT_TIME_LIMIT,
            time_limit=settings.BULLETIN_BUILD_TIME_LIMIT,
            retry_policy=PUBLISH_RETRY_POLICY,
        )
    except BROKER_ERRORS:
        logger.exception("The build of bulletin %s could not be queued", bulletin.pk)
        build_fail(bulletin_id=bulletin.pk, token=token, reason=FailureReason.QUEUE_DOWN)
        bulletin.refresh_from_db()
        return BuildRequest(bulletin=bulletin, queued=False, error=bulletin.shown_reason)
    bulletin.refresh_from_db()
    return BuildRequest(bulletin=bulletin, queued=True)


def bulletin_build_in_process(*, bulletin: Bulletin, by) -> Bulletin:
    """Build the bulletin here and now, whatever the broker: for the demo data and tests,
    which need the PDF before they go on. Safe inside a transaction (the build runs in
    this process, on this connection)."""
    from bulletins.build import build_run

    token = uuid.uuid4()
    with transaction.atomic():
        bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        _mark_queued(bulletin, token, by)
    build_run(bulletin_id=bulletin.pk, token=str(token), in_worker=False)
    bulletin.refresh_from_db()
    return bulletin


def build_fail(
    *, bulletin_id: int, token: uuid.UUID | str, reason: str, detail: object = ""
) -> bool:
    """Mark the build with this token failed (reason: a FailureReason), unless a newer
    build replaced it."""
    return bool(
        Bulletin.objects.filter(pk=bulletin_id, build_token=token, status__in=IN_PROGRESS).update(
            status=BulletinStatus.FAILED,
            status_reason=reason,
            status_detail=str(detail)[:300],
            updated_at=timezone.now(),
        )
    )


def bulletins_fail_stale(*, now: datetime.datetime | None = None) -> int:
    """Mark failed the builds that never started or stopped sending their heartbeat."""
    now = now or timezone.now()
    queue_limit = now - datetime.timedelta(seconds=settings.BULLETIN_QUEUE_TIMEOUT)
    not_started = Bulletin.objects.filter(
        status=BulletinStatus.QUEUED, queued_at__lt=queue_limit
    ).update(status=BulletinStatus.FAILED, status_reason=FailureReason.NOT_STARTED, updated_at=now)
    stopped = 0
    for bulletin in Bulletin.objects.filter(status=BulletinStatus.BUILDING).only(
        "pk", "status", "build_token", "heartbeat_at", "build_started_at", "queued_at"
    ):
        if bulletin.stale_reason(now):
            # The token and the heartbeat in the filter: a build that beat meanwhile stays.
            stopped += Bulletin.objects.filter(
                pk=bulletin.pk,
                build_token=bulletin.build_token,
                status=BulletinStatus.BUILDING,
                heartbeat_at=bulletin.heartbeat_at,
            ).update(status=BulletinStatus.FAILED, status_reason=FailureReason.STOPPED)
    return not_started + stopped


# Publication ------------------------------------------------------------------------------

# What may be published: a bulletin built and checked, or one withdrawn earlier (its PDF
# and frozen figures are still those it was first published with).
PUBLISHABLE = (BulletinStatus.READY, BulletinStatus.WITHDRAWN)


def announcement_key(bulletin: Bulletin) -> str:
    """One announcement per bulletin, ever: publishing it again after a withdrawal, or
    twice by a double click, emails nobody a second time."""
    return f"bulletin-{bulletin.pk}"


def public_url(bulletin: Bulletin) -> str:
    """The absolute address of the bulletin's public page, in its own language."""
    with translation.override(bulletin.language):
        return absolute_url(reverse("bulletins:public", kwargs={"number": bulletin.number}))


def announcement_text(bulletin: Bulletin) -> tuple[str, str]:
    """The subscribers' email (subject, body) in the bulletin's language."""
    from bulletins.rendering import period_label

    with translation.override(bulletin.language):
        key = (bulletin.snapshot or {}).get("key_figures") or {}
        context = {
            "bulletin": bulletin,
            "period": period_label(bulletin.first_month, bulletin.last_month),
            "key": key,
            "people_percent": round(key["people_reached"] * 100 / key["people_targeted"])
            if key.get("people_targeted") and key.get("people_reached") is not None
            else None,
            "highlights": bulletin.highlight_list,
            "url": public_url(bulletin),
        }
        subject = render_to_string("email/bulletins/published_subject.txt", context)
        body = render_to_string("email/bulletins/published_body.txt", context)
    return " ".join(subject.split()), body.strip() + "\n"


def _locked(bulletin: Bulletin) -> Bulletin:
    return Bulletin.objects.select_for_update().get(pk=bulletin.pk)


def check_publishable(bulletin: Bulletin) -> None:
    """Raise the reason a bulletin cannot be published now, if there is one."""
    if bulletin.status == BulletinStatus.PUBLISHED:
        raise ValidationError(_("This bulletin is already published."), code="published")
    if bulletin.status not in PUBLISHABLE or not bulletin.pdf or not bulletin.snapshot:
        raise ValidationError(
            _(
                "Only a ready bulletin can be published: build its PDF, check it, and "
                "publish it once its status is Ready."
            ),
            code="not_ready",
        )


def check_withdrawable(bulletin: Bulletin) -> None:
    """Raise the reason a bulletin cannot be withdrawn now, if there is one."""
    # A published bulletin whose rebuild failed keeps its published PDF, and may go too.
    if not bulletin.is_public or bulletin.is_withdrawn or bulletin.status in IN_PROGRESS:
        raise ValidationError(
            _("Only a published bulletin can be withdrawn, once any build of it has finished."),
            code="not_published",
        )


@transaction.atomic
def bulletin_publish(*, bulletin: Bulletin, by) -> Bulletin:
    """Publish a ready bulletin (or one withdrawn before) and announce it to the confirmed
    subscribers of its language.

    Its figures were frozen by the build and stay so (``snapshot_is_frozen``); the first
    publication date is kept when it is published again. The announcement is recorded in
    this transaction and sent after the commit, once per bulletin whatever happens later.
    """
    bulletin = _locked(bulletin)
    check_publishable(bulletin)
    now = timezone.now()
    bulletin.status = BulletinStatus.PUBLISHED
    if bulletin.published_at is None:
        bulletin.published_at = now
    bulletin.withdrawn_at = None
    bulletin.withdrawal_reason = ""
    bulletin.updated_by = by
    bulletin._history_user = by
    bulletin.save(
        update_fields=[
            "status",
            "published_at",
            "withdrawn_at",
            "withdrawal_reason",
            "updated_by",
            "updated_at",
        ]
    )
    subject, body = announcement_text(bulletin)
    subscriber_services.announce(
        key=announcement_key(bulletin),
        language=bulletin.language,
        subject=subject,
        body=body,
        url=public_url(bulletin),
    )
    return bulletin


@transaction.atomic
def bulletin_withdraw(*, bulletin: Bulletin, by, reason: str) -> Bulletin:
    """Withdraw a published bulletin, saying why. Its page, PDF and feed entry stay, marked
    withdrawn with the reason: the record of what was published is kept."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            _("Say why the bulletin is withdrawn: the reason is shown on its public page."),
            code="reason_required",
        )
    bulletin = _locked(bulletin)
    check_withdrawable(bulletin)
    bulletin.status = BulletinStatus.WITHDRAWN
    bulletin.withdrawn_at = timezone.now()
    bulletin.withdrawal_reason = reason
    bulletin.updated_by = by
    bulletin._history_user = by
    bulletin.save(
        update_fields=["status", "withdrawn_at", "withdrawal_reason", "updated_by", "updated_at"]
    )
    return bulletin
