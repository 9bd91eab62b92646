"""The coordinators' page of undelivered emails, its "try again" buttons and My tasks."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from outbox.models import EmailStatus, OutboundEmail
from tests.outbox.factories import OutboundEmailFactory
from tests.text import has_phrase

pytestmark = [
    pytest.mark.django_db,
    # Sent and retried times around a pinned moment; the last hour of a year is the edge.
    pytest.mark.time_machine(datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC)),
]

URL = "/en/tasks/emails/"


@pytest.fixture
def cora(world, login):
    return login(world.user("coordinator"))


def test_the_page_lists_each_failed_email_with_its_reason_but_never_its_body(cora):
    OutboundEmailFactory(
        recipient="nadia@example.org",
        subject="[Health Cluster] Alpha Health's report for October waits for review",
        body="Secret link: https://portal.example.org/en/accounts/password/reset/key/xyz/",
        attempts=10,
        last_error="550 5.1.1 <nadia@example.org>: Recipient address rejected "
        "(SMTPRecipientsRefused)",
    )
    OutboundEmailFactory(
        recipient="omar@example.org",
        status=EmailStatus.PENDING,
        attempts=2,
        next_attempt_at=timezone.now() + datetime.timedelta(minutes=2),
        last_error="451 4.3.0 Try again later (SMTPDataError)",
    )
    OutboundEmailFactory(
        recipient="sent@example.org", status=EmailStatus.SENT, sent_at=timezone.now()
    )
    OutboundEmailFactory(recipient="fresh@example.org", status=EmailStatus.PENDING, attempts=0)

    page = cora.get(URL).content.decode()

    assert "nadia@example.org" in page
    assert "Alpha Health&#x27;s report for October waits for review" in page
    assert "Recipient address rejected" in page
    assert has_phrase(page, "Try the 1 email again")
    assert "Secret link" not in page
    assert "/reset/key/" not in page
    # Refused once or twice, still to be tried: listed apart, with the next attempt.
    assert "omar@example.org" in page
    assert "451 4.3.0 Try again later" in page
    # Sent, or never tried yet: not the coordinators' concern.
    assert "sent@example.org" not in page
    assert "fresh@example.org" not in page


def test_an_empty_page_says_so(cora):
    page = cora.get(URL).content.decode()
    assert "No email has been given up." in page
    assert "No email is waiting to be tried again." in page


def test_trying_again_sends_the_email_now(cora, smtp_server, django_capture_on_commit_callbacks):
    email = OutboundEmailFactory(recipient="nadia@example.org", subject="[Health Cluster] Hello")

    with django_capture_on_commit_callbacks(execute=True):
        response = cora.post(reverse("outbox:retry", kwargs={"pk": email.pk}))

    assert response["Location"] == URL
    assert "The email to nadia@example.org is being sent again." in cora.get(URL).text
    (message,) = smtp_server.received
    assert message["To"] == "nadia@example.org"
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.SENT, 1)
    assert "nadia@example.org" not in cora.get(URL).text


def test_trying_again_while_the_server_still_refuses_lists_it_as_retrying(
    cora, smtp_server, django_capture_on_commit_callbacks
):
    email = OutboundEmailFactory(recipient="nadia@example.org")
    smtp_server.refusing = True

    with django_capture_on_commit_callbacks(execute=True):
        response = cora.post(reverse("outbox:retry", kwargs={"pk": email.pk}))

    assert response.status_code == 302
    email.refresh_from_db()
    # Started over: its attempts count again from nought, the first one already refused.
    assert (email.status, email.attempts) == (EmailStatus.PENDING, 1)
    assert email.last_error.startswith("451 4.3.0")
    page = cora.get(URL).content.decode()
    assert "No email has been given up." in page
    assert "nadia@example.org" in page


def test_an_email_already_sent_is_not_sent_again(cora, smtp_server):
    email = OutboundEmailFactory(status=EmailStatus.SENT, sent_at=timezone.now())

    response = cora.post(reverse("outbox:retry", kwargs={"pk": email.pk}), follow=True)

    assert "This email is no longer waiting: it was sent, or it is being sent now." in response.text
    assert smtp_server.received == []
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT


def test_trying_all_again_starts_every_failed_email_over(
    cora, smtp_server, django_capture_on_commit_callbacks
):
    OutboundEmailFactory.create_batch(3)
    OutboundEmailFactory(status=EmailStatus.SENT, sent_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        response = cora.post(reverse("outbox:retry_all"), follow=True)

    assert has_phrase(response.text, "3 emails are being sent again.")
    assert len(smtp_server.received) == 3
    assert OutboundEmail.objects.filter(status=EmailStatus.SENT).count() == 4


def test_the_page_makes_the_same_queries_for_more_emails(cora, django_assert_num_queries):
    def add():
        OutboundEmailFactory.create_batch(3)
        OutboundEmailFactory.create_batch(3, status=EmailStatus.PENDING, attempts=1)

    add()
    cora.get(URL)
    with CaptureQueriesContext(connection) as few:
        cora.get(URL)
    add()
    with django_assert_num_queries(len(few.captured_queries)):
        page = cora.get(URL).content.decode()
    assert has_phrase(page, "Try all 6 emails again")


def test_my_tasks_counts_the_failed_emails_for_coordinators_only(world, login):
    OutboundEmailFactory.create_batch(2)
    OutboundEmailFactory(status=EmailStatus.PENDING, attempts=3)

    page = login(world.user("coordinator")).get(reverse("my_tasks")).content.decode()
    assert "Emails that could not be delivered" in page
    assert has_phrase(page, "2 emails were refused by the mail server every time they were tried")
    assert reverse("outbox:failed") in page

    page = login(world.user("focal")).get(reverse("my_tasks")).content.decode()
    assert "could not be delivered" not in page


def test_my_tasks_says_nothing_when_every_email_went(world, login):
    OutboundEmailFactory(status=EmailStatus.SENT, sent_at=timezone.now())
    page = login(world.user("coordinator")).get(reverse("my_tasks")).content.decode()
    assert "could not be delivered" not in page
