"""Background jobs of the outbox: sending one email, the beat's minutely look for emails
whose turn has come, and the nightly purge.

Tasks take ids and are safe to run twice: a sending claims its row before it talks to the
mail server (see services.email_deliver). Retries are not Celery's: the wait before the next
attempt is kept on the row, where it survives a broker that loses its queue, and the beat
queues the row when it is due.
"""

from celery import shared_task

from outbox import services


@shared_task(
    name="outbox.tasks.deliver_email",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=services.DELIVERY_SOFT_TIME_LIMIT,
    time_limit=services.DELIVERY_TIME_LIMIT,
)
def deliver_email(email_id: int) -> str:
    """Send one email of the outbox if it is due; a refusal is recorded, never raised."""
    return services.email_deliver(email_id=email_id)


@shared_task(
    name="outbox.tasks.send_due_emails",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=50,
    time_limit=60,
)
def send_due_emails() -> int:
    """Run by the beat every minute: queue the emails whose (next) attempt has come."""
    return services.emails_requeue_due()


@shared_task(
    name="outbox.tasks.purge_old_emails",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=240,
    time_limit=300,
)
def purge_old_emails() -> int:
    """Run by the beat every night: forget emails sent or failed OUTBOX_RETENTION_DAYS ago."""
    return services.emails_purge()
