"""The reminders through a real Celery worker and Redis, as in production.

The beat may fire twice (two schedulers by mistake, or a retry): each reminder still goes
once, because the worker records it in the database before emailing.
"""

import datetime

import pytest
from django.utils import timezone

from activities.models import ReminderKind, ReminderSent
from tests.activities.factories import PeriodFactory
from tests.celery_worker import celery_worker

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_real_worker_sends_each_due_reminder_once_when_the_beat_fires_twice(world, tmp_path):
    now = timezone.now()
    period = PeriodFactory(
        year=2026,
        month=10,
        opens_at=now - datetime.timedelta(days=5),
        deadline=now + datetime.timedelta(days=1, hours=1),
    )
    mails = tmp_path / "mails"
    mails.mkdir()
    env = {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mails),
        "REMINDER_DAYS_BEFORE": "3",
        "TIME_ZONE": "UTC",
    }

    with celery_worker(tmp_path, env=env) as worker:
        worker.send("activities.tasks.send_due_reminders")
        worker.send("activities.tasks.send_due_reminders")
        worker.wait_for(
            lambda: len(list(mails.iterdir())) >= 2, 30, "waiting for the reminder emails"
        )
        worker.wait_until_idle()

    files = sorted(mails.iterdir())
    messages = [path.read_text() for path in files]
    assert len(files) == 2, messages
    assert sorted(
        next(line for line in message.splitlines() if line.startswith("To: "))
        for message in messages
    ) == ["To: alice@example.org", "To: olga@example.org"]
    assert all(f"/en/activities/periods/{period.pk}/report/" in m for m in messages)
    assert sorted(
        ReminderSent.objects.filter(period=period).values_list("organisation__name_en", "kind")
    ) == [
        ("Alpha Health", ReminderKind.BEFORE_DEADLINE),
        ("Beta Relief", ReminderKind.BEFORE_DEADLINE),
    ]
