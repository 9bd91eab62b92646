"""Rows of the outbox in each state, for the page and permission tests."""

import factory
from django.utils import timezone

from outbox.models import EmailStatus, OutboundEmail


class OutboundEmailFactory(factory.django.DjangoModelFactory):
    """An email the mail server refused every time it was tried, until it was given up."""

    class Meta:
        model = OutboundEmail

    key = factory.Sequence(lambda n: f"test-email-{n}")
    recipient = factory.Sequence(lambda n: f"person{n}@example.org")
    language = "en"
    subject = factory.Sequence(lambda n: f"[Health Cluster] Report {n} to review")
    body = "A report waits for your review.\n"
    status = EmailStatus.FAILED
    attempts = 10
    last_attempt_at = factory.LazyFunction(timezone.now)
    last_error = "550 5.1.1 Mailbox unavailable (SMTPRecipientsRefused)"
