"""An announcement through a real Celery worker and Redis, as in production.

The task is queued twice (a coordinator's retry, a beat re-queue) and sends in batches that
re-queue themselves: every subscriber still receives exactly one email.
"""

import pytest

from subscribers.models import Announcement, Delivery
from tests.celery_worker import celery_worker
from tests.subscribers.conftest import SubscriberFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _recipients(folder) -> list[str]:
    return sorted(
        line.removeprefix("To: ")
        for path in folder.iterdir()
        for line in path.read_text().splitlines()
        if line.startswith("To: ")
    )


def test_a_real_worker_sends_each_subscriber_one_copy_when_the_task_is_queued_twice(tmp_path):
    expected = [f"reader{n}@example.net" for n in range(5)]
    for address in expected:
        SubscriberFactory(email=address)
    SubscriberFactory(email="arabic@example.net", language="ar")
    SubscriberFactory(email="pending@example.net", confirmed_at=None)
    announcement = Announcement.objects.create(
        key="edition-7-v1", language="en", subject="Bulletin 7", body="Out now.", url=""
    )
    mails = tmp_path / "mails"
    mails.mkdir()
    env = {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mails),
        "SUBSCRIBER_BATCH_SIZE": "2",
    }

    with celery_worker(tmp_path, env=env) as worker:
        worker.send("subscribers.tasks.send_announcement", announcement.pk)
        worker.send("subscribers.tasks.send_announcement", announcement.pk)
        worker.wait_for(
            lambda: len(_recipients(mails)) >= len(expected), 30, "waiting for the emails"
        )
        worker.wait_until_idle()

    assert _recipients(mails) == expected
    assert Delivery.objects.filter(sent_at__isnull=False).count() == len(expected)
    announcement.refresh_from_db()
    assert announcement.is_finished
