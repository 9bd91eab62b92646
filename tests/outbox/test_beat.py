"""What the beat does for the outbox: the emails left waiting by a broker that was down, a
sending that never finished, the purge, and the command that does the same by hand."""

import datetime
import logging
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from outbox import services, tasks
from outbox.models import EmailStatus, OutboundEmail
from outbox.services import EmailDraft, emails_queue
from partners.services.registration import organisation_register
from tests.factories import UserFactory
from tests.outbox.factories import OutboundEmailFactory
from tests.text import has_phrase

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 10, 10, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.deliver_email, "apply_async", refuse)
    return monkeypatch


def test_while_the_broker_is_down_the_action_stands_and_its_emails_wait_for_the_beat(
    world, committed, mailoutbox, broker_down, caplog, clock
):
    newcomer = UserFactory(email="nina@example.org")

    with caplog.at_level(logging.WARNING, logger="outbox.services"), committed():
        organisation = organisation_register(
            user=newcomer,
            name_en="Gamma Clinics",
            type="nngo",
            contact_name="Gina Gamma",
            contact_email="gina@gamma.example.org",
            areas=[world.area],
        )

    assert organisation.pk is not None
    assert has_phrase(caplog.text, "2 email(s) wait in the outbox for the beat")
    assert mailoutbox == []
    assert set(OutboundEmail.objects.values_list("recipient", "status", "attempts")) == {
        ("cora@example.org", EmailStatus.PENDING, 0),
        ("ada@example.org", EmailStatus.PENDING, 0),
    }

    broker_down.undo()
    # Too fresh for the beat: their own task may still be on its way through the queue...
    clock.shift(datetime.timedelta(seconds=30))
    assert tasks.send_due_emails() == 0
    # ...but a minute on, the beat queues them (here, sends them in-process).
    clock.shift(datetime.timedelta(seconds=30))
    assert tasks.send_due_emails() == 2

    assert sorted(message.to[0] for message in mailoutbox) == [
        "ada@example.org",
        "cora@example.org",
    ]
    assert "Gamma Clinics" in mailoutbox[0].subject
    assert tasks.send_due_emails() == 0


def test_an_error_other_than_a_refusal_in_process_never_reaches_the_action(
    committed, monkeypatch, caplog, clock
):
    def broken(*args, **kwargs):
        raise ValueError("Header values may not contain linefeed or carriage return characters")

    monkeypatch.setattr(services, "get_connection", broken)
    with caplog.at_level(logging.ERROR, logger="outbox.services"), committed():
        (email,) = emails_queue(
            [EmailDraft(key="k", recipient="a@example.org", language="en", subject="s", body="b")]
        )

    assert f"Sending email {email.pk} failed unexpectedly" in caplog.text
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.PENDING, 1)
    assert email.last_error.endswith("(ValueError)")


def test_an_email_whose_last_attempt_never_finished_is_given_up(settings, clock):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    email = OutboundEmailFactory(
        status=EmailStatus.SENDING,
        attempts=3,
        next_attempt_at=timezone.now() - datetime.timedelta(seconds=1),
        last_error="",
    )

    assert services.emails_requeue_due() == 0

    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED
    assert email.last_error.startswith("Interrupted")


def test_the_purge_forgets_old_sent_and_failed_emails_only(settings, clock):
    settings.OUTBOX_RETENTION_DAYS = 30
    now = timezone.now()
    old = now - datetime.timedelta(days=31)
    recent = now - datetime.timedelta(days=29)
    kept = {
        OutboundEmailFactory(status=EmailStatus.SENT, sent_at=recent).pk,
        OutboundEmailFactory(last_attempt_at=recent).pk,
        OutboundEmailFactory(status=EmailStatus.PENDING, attempts=1, last_attempt_at=old).pk,
    }
    OutboundEmailFactory(status=EmailStatus.SENT, sent_at=old)
    OutboundEmailFactory(last_attempt_at=old)

    assert tasks.purge_old_emails() == 2

    assert set(OutboundEmail.objects.values_list("pk", flat=True)) == kept


def test_the_command_queues_the_due_emails(mailoutbox, clock):
    OutboundEmailFactory(
        status=EmailStatus.PENDING, attempts=2, next_attempt_at=timezone.now(), body="Hello\n"
    )
    OutboundEmailFactory(
        status=EmailStatus.PENDING,
        attempts=2,
        next_attempt_at=timezone.now() + datetime.timedelta(minutes=5),
    )
    out = StringIO()

    call_command("send_due_emails", stdout=out)

    assert has_phrase(out.getvalue(), "1 email(s) queued.")
    (message,) = mailoutbox
    assert message.body == "Hello\n"
