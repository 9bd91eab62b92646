"""Background jobs of the activities app: the scheduled and the manual reminders.

Tasks take ids, never objects, and do their own reading: a message may wait in the
queue while the records change.
"""

from celery import shared_task
from django.contrib.auth import get_user_model

from activities.models import ReportingPeriod
from activities.services import reminders
from partners.models import Organisation


@shared_task(
    name="activities.tasks.send_due_reminders",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=240,
    time_limit=300,
)
def send_due_reminders() -> dict[str, int]:
    """Run by the beat every hour; safe to run twice, each reminder goes once."""
    return reminders.reminders_send()


@shared_task(
    name="activities.tasks.send_reminder_now",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=60,
    time_limit=90,
)
def send_reminder_now(period_id: int, organisation_id: int, user_id: int | None) -> None:
    """Email a reminder a coordinator recorded by hand.

    The portal no longer queues it (the reminder's emails are written with its record); it
    stays for the messages an earlier release left in the queue.
    """
    period = ReportingPeriod.objects.filter(pk=period_id).first()
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if period is None or organisation is None:
        return
    by = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    reminders.reminder_email_manual(period=period, organisation=organisation, by=by)
