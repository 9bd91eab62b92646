"""Background jobs of the subscriptions: sending announcements in batches, queueing again
the ones that stalled, and forgetting subscriptions never confirmed.

Tasks take ids and are safe to run twice: each email is claimed in the database before it
goes (see services.announcement_send_batch).
"""

from smtplib import SMTPException

from celery import shared_task

from subscribers import services


@shared_task(
    name="subscribers.tasks.send_announcement",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=240,
    time_limit=300,
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=60,
    retry_backoff_max=900,
    max_retries=5,
)
def send_announcement(announcement_id: int) -> int:
    """Send one batch (SUBSCRIBER_BATCH_SIZE emails) and queue itself for the next."""
    result = services.announcement_send_batch(announcement_id=announcement_id)
    if result.more:
        send_announcement.delay(announcement_id)
    return result.sent


@shared_task(
    name="subscribers.tasks.send_pending_announcements",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=60,
    time_limit=90,
)
def send_pending_announcements() -> int:
    """Run by the beat: queue again the announcements whose sending stalled."""
    return services.announcements_requeue_pending()


@shared_task(
    name="subscribers.tasks.purge_stale_subscriptions",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=60,
    time_limit=90,
)
def purge_stale_subscriptions() -> int:
    """Run by the beat daily: delete subscriptions left unconfirmed past their links' expiry."""
    return services.purge_stale()
