"""Emails through the outbox to a real SMTP server that refuses, then accepts.

The tasks run in-process here, as in the embedded mode: the sending happens right after the
commit, and a refusal is recorded on the row instead of reaching the request.
"""

import datetime

import pytest
import time_machine
from django.core.mail import get_connection
from django.urls import reverse
from django.utils import timezone

from activities.models import ReminderSent, ReportStatus
from activities.services.reminders import reminders_send
from outbox import services, tasks
from outbox.models import EmailStatus, OutboundEmail
from outbox.services import EmailDraft, emails_queue
from tests.activities.factories import ReportRowFactory
from tests.activities.test_reports_helpers import make_setup, open_period

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 10, 10, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def _draft(key: str = "test-1", recipient: str = "nadia@example.org") -> EmailDraft:
    return EmailDraft(
        key=key,
        recipient=recipient,
        language="en",
        subject="Health cluster meeting",
        body="The meeting moves to Tuesday.\n",
    )


def _beat(clock, minutes: float) -> int:
    """Let time pass, then run the beat's minutely task (in-process)."""
    clock.shift(datetime.timedelta(minutes=minutes))
    return tasks.send_due_emails()


@pytest.mark.django_db(transaction=True)
def test_a_submitted_report_stands_when_the_mail_server_refuses_and_the_email_follows(
    world, login, smtp_server, clock
):
    """A real commit: the sending runs in the request, after the commit, and is refused."""
    setup = make_setup(world)
    ReportRowFactory(report=setup.report, activity=setup.activity, area=setup.district)
    client = login(world.user("focal"))
    smtp_server.refusing = True

    response = client.post(
        reverse("activities:report_submit", kwargs={"pk": setup.report.pk}), follow=True
    )

    assert response.status_code == 200
    assert "The report is submitted." in response.text
    setup.report.refresh_from_db()
    assert setup.report.status == ReportStatus.SUBMITTED
    # Both coordinators' emails were tried once, refused, and wait for their next attempt.
    emails = list(OutboundEmail.objects.order_by("recipient"))
    assert [email.recipient for email in emails] == ["ada@example.org", "cora@example.org"]
    for email in emails:
        assert (email.status, email.attempts) == (EmailStatus.PENDING, 1)
        assert email.last_error == (
            "451 4.3.0 Mailbox temporarily unavailable, try again later (SMTPDataError)"
        )
        assert email.next_attempt_at == START + datetime.timedelta(seconds=60)
    assert smtp_server.received == []

    # Not yet due: the beat leaves them alone.
    assert _beat(clock, 0.5) == 0
    smtp_server.refusing = False
    assert _beat(clock, 0.5) == 2

    assert smtp_server.recipients() == ["ada@example.org", "cora@example.org"]
    assert all("Health Cluster" in subject for subject in smtp_server.subjects())
    for email in OutboundEmail.objects.all():
        assert email.status == EmailStatus.SENT
        assert email.sent_at == START + datetime.timedelta(minutes=1)
        assert (email.body, email.last_error) == ("", "")
    # Sent is sent: the beat finds nothing more.
    assert _beat(clock, 60) == 0
    assert len(smtp_server.received) == 2


def test_the_wait_doubles_after_each_refusal_up_to_the_longest(settings, smtp_server, clock):
    settings.OUTBOX_RETRY_DELAY = 60
    settings.OUTBOX_RETRY_MAX_DELAY = 300
    settings.OUTBOX_MAX_ATTEMPTS = 10
    smtp_server.refusing = True
    (email,) = emails_queue([_draft()])
    waits = []
    for _attempt in range(5):
        assert services.email_deliver(email_id=email.pk) == "retry"
        email.refresh_from_db()
        waits.append((email.next_attempt_at - timezone.now()).total_seconds())
        clock.move_to(email.next_attempt_at)
    assert waits == [60, 120, 240, 300, 300]
    assert email.attempts == 5


def test_after_the_last_attempt_the_email_is_failed_with_the_reason(
    settings, smtp_server, committed, clock
):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    smtp_server.refusing = True
    with committed():
        (email,) = emails_queue([_draft()])

    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.PENDING, 1)
    _beat(clock, 1)
    _beat(clock, 2)

    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.FAILED, 3)
    assert "451 4.3.0 Mailbox temporarily unavailable" in email.last_error
    assert email.last_attempt_at == START + datetime.timedelta(minutes=3)
    assert smtp_server.refusals == 3
    # Failed is failed: only a coordinator's "try again" sends it now.
    smtp_server.refusing = False
    assert _beat(clock, 600) == 0
    assert smtp_server.received == []


def test_a_permanent_refusal_fails_the_email_at_once_and_lists_it_for_the_coordinators(
    world, login, smtp_server, committed, clock
):
    smtp_server.refusing = True
    smtp_server.answer = "550 5.1.1 Recipient address rejected: user unknown"
    with committed():
        (email,) = emails_queue([_draft()])

    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.FAILED, 1)
    assert email.last_error == (
        "550 5.1.1 Recipient address rejected: user unknown (SMTPDataError)"
    )
    # The beat does not try it again: the server would answer the same.
    assert _beat(clock, 600) == 0
    assert smtp_server.refusals == 1
    page = login(world.user("coordinator")).get(reverse("outbox:failed")).text
    assert "nadia@example.org" in page
    assert "550 5.1.1 Recipient address rejected: user unknown" in page


def test_the_same_key_twice_is_one_row_and_one_email(smtp_server, committed):
    with committed():
        first = emails_queue([_draft(key="meeting-7-cora")])
        second = emails_queue([_draft(key="meeting-7-cora")])

    assert len(first) == 1
    assert second == []
    assert OutboundEmail.objects.count() == 1
    assert smtp_server.recipients() == ["nadia@example.org"]
    # A sending task run again (a redelivered message) finds the row sent and does nothing.
    assert services.email_deliver(email_id=first[0].pk) == "skipped"
    assert len(smtp_server.received) == 1


def test_a_worker_lost_mid_sending_leaves_the_row_to_be_sent_again_with_the_same_message_id(
    smtp_server, clock
):
    """At least once: the one way to a duplicate, and what keeps it recognisable."""
    (email,) = emails_queue([_draft()])
    # A worker claims the row, the server accepts the message, the worker dies before
    # marking the row sent.
    assert services._claim(email.pk, timezone.now())
    with get_connection() as connection:
        connection.send_messages([services._message(OutboundEmail.objects.get(pk=email.pk))])
    # While its lease runs, nobody else takes it.
    assert _beat(clock, 5) == 0
    assert services.email_deliver(email_id=email.pk) == "skipped"

    assert _beat(clock, 6) == 1

    first, second = smtp_server.received
    assert first["Message-ID"] == second["Message-ID"]
    assert first["Message-ID"].startswith(f"<outbox.{email.pk}.")
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.SENT, 2)


def test_the_scheduled_reminders_take_the_same_path_and_go_once(
    world, settings, smtp_server, committed, clock
):
    settings.REMINDER_DAYS_BEFORE = 3
    settings.TIME_ZONE = "UTC"
    period = open_period()
    period.deadline = START + datetime.timedelta(days=1, hours=1)
    period.save()
    smtp_server.refusing = True

    with committed():
        assert reminders_send()["sent"] == 2

    records = {record.pk for record in ReminderSent.objects.all()}
    keys = set(OutboundEmail.objects.values_list("key", flat=True))
    assert {key.split(":")[0] for key in keys} == {f"reminder-{pk}" for pk in records}
    assert set(OutboundEmail.objects.values_list("status", "attempts")) == {
        (EmailStatus.PENDING, 1)
    }

    smtp_server.refusing = False
    with committed():
        # The hourly run again: the reminders are recorded, nothing new is written.
        assert reminders_send() == {"sent": 0, "skipped": 2}
    _beat(clock, 1)

    assert smtp_server.recipients() == ["alice@example.org", "olga@example.org"]
    assert OutboundEmail.objects.count() == 2


def test_a_subscription_asked_for_while_the_mail_server_refuses_is_confirmed_later(
    client, smtp_server, committed, clock
):
    smtp_server.refusing = True

    with committed():
        response = client.post("/en/subscribe/", {"email": "reader@example.net", "language": "en"})

    assert response.status_code == 302
    assert response["Location"] == reverse("subscribers:requested")
    email = OutboundEmail.objects.get()
    assert (email.recipient, email.status, email.attempts) == (
        "reader@example.net",
        EmailStatus.PENDING,
        1,
    )

    smtp_server.refusing = False
    _beat(clock, 1)

    (message,) = smtp_server.received
    assert message["To"] == "reader@example.net"
    # The headers the subscriptions add survive the outbox.
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Unsubscribe"].strip().startswith("<http")
    assert "/en/subscribe/confirm/" in message.get_payload(decode=True).decode()


def test_a_password_reset_asked_for_while_the_mail_server_refuses_is_sent_later(
    world, client, smtp_server, committed, clock
):
    smtp_server.refusing = True

    with committed():
        response = client.post(reverse("account_reset_password"), {"email": "alice@example.org"})

    assert response.status_code == 302
    email = OutboundEmail.objects.get()
    assert email.recipient == "alice@example.org"
    assert email.status == EmailStatus.PENDING

    smtp_server.refusing = False
    _beat(clock, 1)

    (message,) = smtp_server.received
    assert message["To"] == "alice@example.org"
    assert "/en/accounts/password/reset/key/" in message.get_payload(decode=True).decode()


def test_a_reminder_sent_by_hand_is_keyed_on_its_record_and_follows_once_accepted(
    world, login, smtp_server, committed, clock
):
    period = open_period()
    client = login(world.user("coordinator"))
    smtp_server.refusing = True

    with committed():
        response = client.post(
            reverse(
                "activities:period_remind",
                kwargs={"pk": period.pk, "organisation_pk": world.org_a.pk},
            ),
            follow=True,
        )

    assert "A reminder about October 2026 is on its way to Alpha Health." in response.text
    record = ReminderSent.objects.get()
    email = OutboundEmail.objects.get()
    assert email.key == f"reminder-{record.pk}:user-{world.user('focal').pk}"
    assert (email.recipient, email.attempts) == ("alice@example.org", 1)

    smtp_server.refusing = False
    _beat(clock, 1)
    assert smtp_server.recipients() == ["alice@example.org"]
