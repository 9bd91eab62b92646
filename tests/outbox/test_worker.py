"""The outbox with a real broker and a real worker: Redis stopped while an action commits,
then the beat's task on a worker sends what waited."""

import datetime

import pytest
from django.utils import timezone

from outbox import tasks
from outbox.models import EmailStatus, OutboundEmail
from partners.services.registration import organisation_register
from tests.celery_worker import celery_worker, project_app_on
from tests.factories import UserFactory
from tests.platform.test_healthz import PrivateRedis

pytestmark = pytest.mark.django_db(transaction=True)


def _publishes(monkeypatch) -> list[dict]:
    """Each attempt to queue a sending (its options), still made for real."""
    attempts = []
    publish = tasks.deliver_email.apply_async

    def counted(*args, **options):
        attempts.append(options)
        return publish(*args, **options)

    monkeypatch.setattr(tasks.deliver_email, "apply_async", counted)
    return attempts


def test_emails_of_an_action_taken_while_redis_is_down_wait_then_the_beat_sends_them(
    world, tmp_path, monkeypatch
):
    newcomer = UserFactory(email="nina@example.org")
    publishes = _publishes(monkeypatch)
    redis_server = PrivateRedis()
    redis_server.start()
    try:
        with project_app_on(redis_server.url):
            redis_server.stop()
            organisation = organisation_register(
                user=newcomer,
                name_en="Gamma Clinics",
                type="nngo",
                contact_name="Gina Gamma",
                contact_email="gina@gamma.example.org",
                areas=[world.area],
            )
    finally:
        redis_server.stop()

    assert organisation.pk is not None
    # One attempt to reach the broker for the action's two emails, without Celery's publishing
    # retries: the request does not wait on a broker that is down.
    assert publishes == [{"args": publishes[0]["args"], "retry": False}]
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
