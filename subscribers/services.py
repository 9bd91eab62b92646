"""Changes to subscriptions and the sending of announcements.

The public API other apps call is ``announce`` (record an announcement and queue its
sending) and ``purge_stale``; the views call the ``subscription_*`` functions, and the tasks
``announcement_send_batch`` and ``announcements_requeue_pending``.

The emails about a subscription itself (the confirmation link, "already subscribed") go
through the outbox (``outbox/``) like the portal's other emails. Announcements keep batches
of their own: the announcement is recorded in the publication's transaction and queued after
it, and the beat queues a stalled one again, so publication never waits on the mail server
either; but a bulk email sent twice to every subscriber is worse than one missed, and a batch
sends over one SMTP connection.

Sending is at most once per subscriber: a run claims a batch of ``Delivery`` rows (the
unique constraint lets only one run claim each subscriber), commits the claim, and only then
sends. A worker killed between the claim and the sending leaves those few subscribers
without that announcement rather than sending anyone a second copy.
"""

import datetime
import logging
import uuid
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from outbox.services import email_queue_message
from subscribers import emails
from subscribers.models import Announcement, Delivery, Subscriber, normalise_email
from subscribers.tokens import Confirmation, confirmation_days

logger = logging.getLogger(__name__)

# At most one subscription email per address in this many seconds, whatever is asked: the
# public form cannot be used to flood someone's inbox.
REQUEST_EMAIL_INTERVAL = 120

# An unfinished announcement with no batch sent for this long is queued again by the beat.
STALLED_AFTER = datetime.timedelta(minutes=10)


def batch_size() -> int:
    return getattr(settings, "SUBSCRIBER_BATCH_SIZE", 100)


def _check_language(language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Unknown language: %(language)s.") % {"language": language})


# Subscribing ------------------------------------------------------------------------------


def _may_email(address: str) -> bool:
    digest = salted_hmac("subscribers.request", address).hexdigest()
    return cache.add(f"subscribers:request:{digest}", 1, timeout=REQUEST_EMAIL_INTERVAL)


@transaction.atomic
def subscription_request(*, email: str, language: str) -> None:
    """Ask for a subscription; what happens next is the same to the caller in every case.

    A new or still pending address gets a confirmation link in the chosen language. A
    confirmed address gets a link to confirm a change of language, or, in the same
    language, a note that it is already subscribed with the way to unsubscribe. Nothing is
    returned, so a view cannot tell these cases apart either.
    """
    _check_language(language)
    address = normalise_email(email)
    subscriber, created = Subscriber.objects.select_for_update().get_or_create(
        email=address, defaults={"language": language}
    )
    if not created and not subscriber.is_confirmed:
        # A new request restarts the clock of the pending subscription (see purge_stale).
        subscriber.language = language
        subscriber.requested_at = timezone.now()
        subscriber.save(update_fields=["language", "requested_at"])
    if not _may_email(address):
        return
    if subscriber.is_confirmed and subscriber.language == language:
        message = emails.already_subscribed_message(subscriber)
        language = subscriber.language
    else:
        message = emails.confirmation_message(subscriber, language)
    # Through the outbox, in this transaction: sent once it commits, retried while the mail
    # server refuses. Each request is an email of its own.
    email_queue_message(
        message, key=f"subscription-{subscriber.uid}-{uuid.uuid4().hex}", language=language
    )


@transaction.atomic
def subscription_confirm(*, confirmation: Confirmation) -> Subscriber | None:
    """Confirm a subscription, in the language the link was made for; harmless twice.

    None when the subscriber no longer exists (unsubscribed or purged since).
    """
    subscriber = Subscriber.objects.select_for_update().filter(uid=confirmation.uid).first()
    if subscriber is None:
        return None
    fields = []
    if subscriber.language != confirmation.language:
        subscriber.language = confirmation.language
        fields.append("language")
    if subscriber.confirmed_at is None:
        subscriber.confirmed_at = timezone.now()
        fields.append("confirmed_at")
    if fields:
        subscriber.save(update_fields=fields)
    return subscriber


def subscription_cancel(*, uid: uuid.UUID) -> bool:
    """Unsubscribe: the address is deleted, with its deliveries. False if it was gone."""
    deleted, _counts = Subscriber.objects.filter(uid=uid).delete()
    return deleted > 0


def purge_stale(*, now: datetime.datetime | None = None) -> int:
    """Delete the subscriptions never confirmed within SUBSCRIPTION_CONFIRMATION_DAYS.

    Their confirmation links have expired by then, so nobody can complete them any more.
    Returns how many were deleted.
    """
    cutoff = (now or timezone.now()) - datetime.timedelta(days=confirmation_days())
    deleted, _counts = Subscriber.objects.pending().filter(requested_at__lt=cutoff).delete()
    # delete() counts the cascaded rows too; pending subscribers have no deliveries.
    return deleted


# Announcing -------------------------------------------------------------------------------


def _queue(announcement_id: int) -> bool:
    """Queue the sending; False, and logged, when the broker cannot be reached."""
    from subscribers.tasks import send_announcement

    try:
        send_announcement.delay(announcement_id)
    except (BrokerError, OSError):
        logger.exception(
            "Could not queue (or, in-process, send) announcement %s; it stays pending and "
            "the beat (or manage.py send_pending_announcements) queues it again.",
            announcement_id,
        )
        return False
    return True


def announce(*, key: str, language: str, subject: str, body: str, url: str) -> Announcement:
    """Record an announcement and queue its sending once the transaction commits.

    ``subject`` and ``body`` are plain text already in ``language``; each email adds the
    portal's subject prefix, the ``url`` and an unsubscribe footer in that language, and
    goes to every confirmed subscriber of that language. Idempotent on ``key`` (for example
    ``"edition-12-v1"``): called again with the same key it changes nothing, sends nothing
    new and returns the announcement first recorded.
    """
    _check_language(language)
    with transaction.atomic():
        announcement, created = Announcement.objects.get_or_create(
            key=key,
            defaults={"language": language, "subject": subject, "body": body, "url": url},
        )
        if created:
            transaction.on_commit(partial(_queue, announcement.pk))
    return announcement


@dataclass(frozen=True)
class BatchResult:
    sent: int
    more: bool


def _claim_batch(announcement: Announcement, size: int) -> list[Delivery]:
    """Claim up to ``size`` subscribers not yet claimed by any run; commit the claim."""
    claim = uuid.uuid4()
    already = Delivery.objects.filter(announcement=announcement, subscriber=OuterRef("pk"))
    candidates = list(
        Subscriber.objects.confirmed()
        .filter(language=announcement.language)
        .filter(~Exists(already))
        .order_by("pk")
        .values_list("pk", flat=True)[:size]
    )
    if not candidates:
        return []
    with transaction.atomic():
        # A concurrent run may have claimed some of them since the read: the unique
        # constraint skips those, and the claim id tells which rows are this run's.
        Delivery.objects.bulk_create(
            [
                Delivery(announcement=announcement, subscriber_id=pk, claim=claim)
                for pk in candidates
            ],
            ignore_conflicts=True,
        )
    return list(
        Delivery.objects.filter(announcement=announcement, claim=claim)
        .select_related("subscriber")
        .order_by("subscriber_id")
    )


def announcement_send_batch(*, announcement_id: int) -> BatchResult:
    """Send the next batch of an announcement; ``more`` when another batch may be due.

    An email that fails to go releases its claim and those after it in the batch, so a
    retry sends them; the error is raised for the task to retry.
    """
    announcement = Announcement.objects.filter(pk=announcement_id).first()
    if announcement is None or announcement.is_finished:
        return BatchResult(sent=0, more=False)
    size = batch_size()
    deliveries = _claim_batch(announcement, size)
    sent: list[int] = []
    try:
        if deliveries:
            with get_connection() as connection:
                for delivery in deliveries:
                    message = emails.announcement_message(announcement, delivery.subscriber)
                    connection.send_messages([message])
                    sent.append(delivery.pk)
    except Exception:
        done = set(sent)
        unsent = [delivery.pk for delivery in deliveries if delivery.pk not in done]
        Delivery.objects.filter(pk__in=unsent, sent_at__isnull=True).delete()
        raise
    finally:
        now = timezone.now()
        if sent:
            Delivery.objects.filter(pk__in=sent).update(sent_at=now)
        Announcement.objects.filter(pk=announcement.pk).update(last_batch_at=now)
    more = len(deliveries) >= size
    if not more:
        Announcement.objects.filter(pk=announcement.pk, finished_at__isnull=True).update(
            finished_at=timezone.now()
        )
    return BatchResult(sent=len(sent), more=more)


def announcements_requeue_pending(*, now: datetime.datetime | None = None) -> int:
    """Queue again every unfinished announcement whose sending has stalled (the broker was
    down, a worker was lost). Returns how many were queued."""
    cutoff = (now or timezone.now()) - STALLED_AFTER
    stalled = (
        Announcement.objects.filter(finished_at__isnull=True)
        .alias(active_at=Coalesce("last_batch_at", "created_at"))
        .filter(Q(active_at__lt=cutoff))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return sum(_queue(pk) for pk in stalled)
