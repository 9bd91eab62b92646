"""Announcements: the round trip through the inbox, once per subscriber, in batches, by
language; what happens when the broker or the mail server fails; purging and counting."""

import datetime
import logging
import smtplib
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from subscribers import selectors, services, tasks
from subscribers.models import Announcement, Delivery, Subscriber
from subscribers.services import announce, purge_stale
from subscribers.tasks import send_announcement
from tests.subscribers.conftest import SubscriberFactory, link_to, path_of
from tests.text import has_phrase

# Mid-March 2026: the bulletins announced cover January and February 2026. Keys are those
# publication gives an edition's version ("edition-<pk>-v<n>"), each edition in one language.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.time_machine(datetime.datetime(2026, 3, 15, 12, 0, tzinfo=datetime.UTC)),
]


def _announce(committed, key="edition-1-v1", language="en", **fields):
    values = {
        "subject": "Health cluster bulletin, March",
        "body": "The March bulletin is out: 42 partners reached 120,000 people.",
        "url": "https://portal.example.org/en/bulletins/1/en/",
        **fields,
    }
    with committed():
        return announce(key=key, language=language, **values)


def _recipients(mailoutbox) -> list[str]:
    return sorted(address for message in mailoutbox for address in message.to)


def test_the_whole_round_trip_through_the_inbox(client, committed, mailoutbox):
    # Subscribe and confirm from the link in the email.
    with committed():
        client.post("/en/subscribe/", {"email": "reader@example.net", "language": "en"})
    (confirmation,) = mailoutbox
    confirm_path = path_of(link_to(confirmation, "/confirm/"))
    assert client.get(confirm_path).status_code == 200
    assert client.post(confirm_path).status_code == 200

    # An announcement reaches the confirmed subscriber, with the unsubscribe headers.
    mailoutbox.clear()
    _announce(committed)
    (message,) = mailoutbox
    assert message.to == ["reader@example.net"]
    assert message.subject == "[Health Cluster] Health cluster bulletin, March"
    assert has_phrase(message.body, "42 partners reached 120,000 people")
    assert "https://portal.example.org/en/bulletins/1/en/" in message.body
    unsubscribe = link_to(message, "/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.message()["List-Unsubscribe"] == f"<{unsubscribe}>"

    # The footer link unsubscribes; the next announcement goes to nobody.
    assert client.get(path_of(unsubscribe)).status_code == 200
    assert client.post(path_of(unsubscribe)).status_code == 200
    mailoutbox.clear()
    _announce(committed, key="edition-3-v1")
    assert mailoutbox == []


def test_pending_subscribers_receive_nothing(committed, mailoutbox):
    SubscriberFactory(email="pending@example.net", confirmed_at=None)
    SubscriberFactory(email="confirmed@example.net")

    _announce(committed)

    assert _recipients(mailoutbox) == ["confirmed@example.net"]


def test_each_language_receives_only_its_own_announcement(committed, mailoutbox):
    SubscriberFactory(email="en1@example.net", language="en")
    SubscriberFactory(email="en2@example.net", language="en")
    SubscriberFactory(email="ar1@example.net", language="ar")

    _announce(committed, key="edition-2-v1", language="ar", subject="نشرة مجموعة الصحة")

    (message,) = mailoutbox
    assert message.to == ["ar1@example.net"]
    assert message.subject.endswith("نشرة مجموعة الصحة")
    assert "/ar/subscribe/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    mailoutbox.clear()
    _announce(committed, key="edition-1-v1", language="en")
    assert _recipients(mailoutbox) == ["en1@example.net", "en2@example.net"]


def test_announcing_the_same_key_again_changes_and_sends_nothing(committed, mailoutbox):
    SubscriberFactory()
    first = _announce(committed)

    again = _announce(committed, subject="Another subject", body="Another body")

    assert again.pk == first.pk
    assert Announcement.objects.get().subject == "Health cluster bulletin, March"
    assert len(mailoutbox) == 1


def test_an_announcement_is_sent_only_after_the_commit(django_capture_on_commit_callbacks):
    SubscriberFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        announce(key="k", language="en", subject="s", body="b", url="")

    queued = [c for c in callbacks if getattr(c, "func", None) is services._queue]
    assert len(queued) == 1
    assert not Delivery.objects.exists()


def test_running_the_task_twice_sends_no_email_twice(
    mailoutbox, django_capture_on_commit_callbacks
):
    for n in range(3):
        SubscriberFactory(email=f"reader{n}@example.net")
    with django_capture_on_commit_callbacks(execute=False):
        announcement = announce(key="k", language="en", subject="s", body="b", url="")

    send_announcement(announcement.pk)
    send_announcement(announcement.pk)

    assert _recipients(mailoutbox) == [
        "reader0@example.net",
        "reader1@example.net",
        "reader2@example.net",
    ]
    assert Delivery.objects.filter(sent_at__isnull=False).count() == 3


def test_the_deliveries_alone_stop_a_second_sending(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    """Even when a rerun does not see the announcement as finished (a re-queue racing the
    last batch), the claimed deliveries keep every email to one copy."""
    settings.SUBSCRIBER_BATCH_SIZE = 2
    for n in range(5):
        SubscriberFactory(email=f"reader{n}@example.net")
    with django_capture_on_commit_callbacks(execute=False):
        announcement = announce(key="k", language="en", subject="s", body="b", url="")
    services.announcement_send_batch(announcement_id=announcement.pk)

    send_announcement(announcement.pk)
    Announcement.objects.update(finished_at=None)
    send_announcement(announcement.pk)

    assert _recipients(mailoutbox) == [f"reader{n}@example.net" for n in range(5)]


def test_a_second_run_after_the_first_finished_sends_nothing_even_to_new_subscribers(
    mailoutbox, django_capture_on_commit_callbacks
):
    SubscriberFactory()
    with django_capture_on_commit_callbacks(execute=False):
        announcement = announce(key="k", language="en", subject="s", body="b", url="")
    send_announcement(announcement.pk)
    SubscriberFactory(email="late@example.net")

    send_announcement(announcement.pk)

    assert len(mailoutbox) == 1
    assert "late@example.net" not in _recipients(mailoutbox)


def test_batches_of_two_reach_five_subscribers_exactly_once(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SUBSCRIBER_BATCH_SIZE = 2
    for n in range(5):
        SubscriberFactory(email=f"reader{n}@example.net")
    with django_capture_on_commit_callbacks(execute=False):
        announcement = announce(key="k", language="en", subject="s", body="b", url="")

    # Batch by batch through the service, as each task run does.
    results = []
    while True:
        result = services.announcement_send_batch(announcement_id=announcement.pk)
        results.append(result.sent)
        if not result.more:
            break

    assert results == [2, 2, 1]
    assert _recipients(mailoutbox) == [f"reader{n}@example.net" for n in range(5)]
    announcement.refresh_from_db()
    assert announcement.is_finished


def test_the_task_queues_itself_for_each_next_batch(settings, committed, mailoutbox):
    settings.SUBSCRIBER_BATCH_SIZE = 2
    for n in range(5):
        SubscriberFactory(email=f"reader{n}@example.net")

    # The tasks run in-process here: announce queues the first batch, which queues the next.
    _announce(committed)

    assert _recipients(mailoutbox) == [f"reader{n}@example.net" for n in range(5)]
    assert selectors.announcement_progress(key="edition-1-v1").sent == 5
    assert selectors.announcement_progress(key="edition-1-v1").finished


class FailingConnection:
    """An SMTP connection that accepts ``accept`` messages, then loses the server."""

    def __init__(self, outbox: list, accept: int):
        self.outbox = outbox
        self.accept = accept

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send_messages(self, messages):
        if len(self.outbox) >= self.accept:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        self.outbox.extend(messages)
        return len(messages)


def test_a_mail_server_failure_releases_the_unsent_and_a_retry_sends_only_those(
    monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    for n in range(4):
        SubscriberFactory(email=f"reader{n}@example.net")
    with django_capture_on_commit_callbacks(execute=False):
        announcement = announce(key="k", language="en", subject="s", body="b", url="")
    delivered: list = []
    monkeypatch.setattr(services, "get_connection", lambda: FailingConnection(delivered, accept=1))

    with pytest.raises(smtplib.SMTPServerDisconnected):
        services.announcement_send_batch(announcement_id=announcement.pk)

    assert [m.to[0] for m in delivered] == ["reader0@example.net"]
    assert list(Delivery.objects.values_list("subscriber__email", flat=True)) == [
        "reader0@example.net"
    ]
    monkeypatch.undo()
    services.announcement_send_batch(announcement_id=announcement.pk)
    assert _recipients(mailoutbox) == [f"reader{n}@example.net" for n in (1, 2, 3)]


def test_when_the_broker_is_down_the_announcement_waits_for_the_beat(
    monkeypatch, committed, mailoutbox, caplog
):
    SubscriberFactory()

    def broker_down(*args, **kwargs):
        raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.send_announcement, "delay", broker_down)
    with caplog.at_level(logging.ERROR, logger="subscribers.services"):
        announcement = _announce(committed)

    assert "Could not queue (or, in-process, send) announcement" in caplog.text
    assert mailoutbox == []
    assert not Announcement.objects.get(pk=announcement.pk).is_finished

    # Too fresh for the beat to take it (a sending may be on its way)...
    monkeypatch.undo()
    assert services.announcements_requeue_pending() == 0
    # ...but once it has stalled, the beat (or the command) queues it again.
    later = timezone.now() + datetime.timedelta(minutes=11)
    assert services.announcements_requeue_pending(now=later) == 1
    assert len(mailoutbox) == 1
    assert services.announcements_requeue_pending(now=later) == 0


def test_the_command_queues_the_stalled_announcements(committed, mailoutbox, monkeypatch):
    SubscriberFactory()
    monkeypatch.setattr(tasks.send_announcement, "delay", lambda *a: None)
    _announce(committed)
    Announcement.objects.update(created_at=timezone.now() - datetime.timedelta(hours=1))
    monkeypatch.undo()

    out = StringIO()
    call_command("send_pending_announcements", stdout=out)

    assert has_phrase(out.getvalue(), "1 announcement(s) queued.")
    assert len(mailoutbox) == 1


def test_an_unknown_language_is_refused(committed):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        _announce(committed, language="fr")
    assert not Announcement.objects.exists()


# Purging and counting -------------------------------------------------------------------


def test_purge_deletes_only_the_stale_unconfirmed_subscriptions(settings):
    settings.SUBSCRIPTION_CONFIRMATION_DAYS = 7
    now = timezone.now()
    stale = SubscriberFactory(confirmed_at=None, requested_at=now - datetime.timedelta(days=8))
    fresh = SubscriberFactory(confirmed_at=None, requested_at=now - datetime.timedelta(days=6))
    old_confirmed = SubscriberFactory(requested_at=now - datetime.timedelta(days=300))

    assert purge_stale(now=now) == 1

    remaining = set(Subscriber.objects.values_list("pk", flat=True))
    assert remaining == {fresh.pk, old_confirmed.pk}
    assert stale.pk not in remaining
    assert purge_stale(now=now + datetime.timedelta(days=2)) == 1
    assert tasks.purge_stale_subscriptions() == 0


def test_asking_again_restarts_the_clock_of_a_pending_subscription(settings, committed):
    settings.SUBSCRIPTION_CONFIRMATION_DAYS = 7
    now = timezone.now()
    SubscriberFactory(
        email="slow@example.net", confirmed_at=None, requested_at=now - datetime.timedelta(days=8)
    )
    with committed():
        services.subscription_request(email="slow@example.net", language="en")

    assert purge_stale(now=now) == 0


def test_the_counts_are_by_language_and_pending_in_one_query():
    for _n in range(3):
        SubscriberFactory(language="en")
    for _n in range(4):
        SubscriberFactory(language="ar")
    SubscriberFactory(language="ar", confirmed_at=None)
    SubscriberFactory(language="en", confirmed_at=None)

    with CaptureQueriesContext(connection) as queries:
        counts = selectors.subscriber_counts()

    assert len(queries) == 1
    assert counts["confirmed"] == {"en": 3, "ar": 4}
    assert counts["confirmed_total"] == 7
    assert counts["pending"] == 2


def test_the_counts_partial_shows_numbers_and_never_an_address():
    SubscriberFactory(email="secret.reader@example.net", language="ar")
    SubscriberFactory(language="en", confirmed_at=None)

    html = render_to_string("subscribers/_counts.html", {"counts": selectors.subscriber_counts()})

    assert "Confirmed, in Arabic" in html
    assert "Waiting for confirmation" in html
    assert "example.net" not in html


def test_the_counts_template_tag_renders_the_partial():
    from django.template import Context, Template

    SubscriberFactory(language="en")
    SubscriberFactory(language="en")

    html = Template("{% load subscribers %}{% subscriber_counts %}").render(Context())

    assert "Email subscribers" in html
    assert '<dd class="col-4 text-end mb-1 fw-semibold">2</dd>' in html
