"""The outbox with a real broker and a real worker: Redis stopped while an action commits,
then the beat's task on a worker sends what waited."""

import datetime
import time

import pytest
from django.utils import timezone

from outbox.models import EmailStatus, OutboundEmail
from partners.services.registration import organisation_register
from tests.celery_worker import celery_worker, project_app_on
from tests.factories import UserFactory
from tests.platform.test_healthz import PrivateRedis

pytestmark = pytest.mark.django_db(transaction=True)


def test_emails_of_an_action_taken_while_redis_is_down_wait_then_the_beat_sends_them(
    world, tmp_path
):
    newcomer = UserFactory(email="nina@example.org")
    redis_server = PrivateRedis()
    redis_server.start()
    try:
        with project_app_on(redis_server.url):
            redis_server.stop()
            started = time.monotonic()
            organisation = organisation_register(
                user=newcomer,
                name_en="Gamma Clinics",
                type="nngo",
                contact_name="Gina Gamma",
                contact_email="gina@gamma.example.org",
                areas=[world.area],
            )
            elapsed = time.monotonic() - started
    finally:
        redis_server.stop()

    assert organisation.pk is not None
    # One refused connection for the action's emails, not one (with retries) per email.
    assert elapsed < 10
    assert sorted(OutboundEmail.objects.values_list("recipient", "status", "attempts")) == [
        ("ada@example.org", EmailStatus.PENDING, 0),
        ("cora@example.org", EmailStatus.PENDING, 0),
    ]
    # They have waited longer than the beat leaves to a task queued at the commit. The worker
    # is another process on the real clock, so the times here stay real and relative to now:
    # no date in them, they hold on any day.
    OutboundEmail.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=2))

    mails = tmp_path / "mails"
    mails.mkdir()
    env = {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mails),
    }
    with celery_worker(tmp_path, env=env) as worker:
        worker.send("outbox.tasks.send_due_emails")
        worker.wait_for(lambda: len(list(mails.iterdir())) >= 2, 30, "waiting for the emails")
        worker.wait_until_idle()
        # The beat again: nothing is due any more, nothing is sent twice.
        worker.send("outbox.tasks.send_due_emails")
        worker.wait_until_idle()

    messages = [path.read_text() for path in sorted(mails.iterdir())]
    assert len(messages) == 2, messages
    assert sorted(
        next(line for line in message.splitlines() if line.startswith("To: "))
        for message in messages
    ) == ["To: ada@example.org", "To: cora@example.org"]
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {EmailStatus.SENT}
