"""The public pages: subscribing, confirming, unsubscribing, and bad links."""

import time

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from subscribers.models import Subscriber
from subscribers.tokens import confirmation_token, unsubscribe_token
from tests.subscribers.conftest import SubscriberFactory, link_to, path_of

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/en/subscribe/"


def subscribe(client, committed, email, language="en"):
    with committed():
        return client.post(SUBSCRIBE, {"email": email, "language": language})


# Subscribing ----------------------------------------------------------------------------


def test_the_page_explains_the_subscription_and_labels_its_fields(client):
    response = client.get(SUBSCRIBE)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Subscribe to the health cluster bulletin</h1>" in html
    assert "Nothing else is sent until you follow it" in html
    assert '<label class="form-label fw-semibold" for="id_email">Your email address' in html
    assert "<legend" in html
    assert "Language of the emails" in html
    assert "style=" not in html
    assert "<script>" not in html


def test_a_new_address_gets_a_confirmation_link_and_nothing_else_yet(client, committed, mailoutbox):
    response = subscribe(client, committed, "  New.Reader@Example.NET ", "ar")

    assert response.status_code == 302
    assert response["Location"] == "/en/subscribe/requested/"
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "new.reader@example.net"
    assert subscriber.language == "ar"
    assert not subscriber.is_confirmed
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["new.reader@example.net"]
    # The link is in the language asked for.
    assert "/ar/subscribe/confirm/" in link_to(message, "/confirm/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_malformed_address_is_a_form_error_and_nothing_is_stored(client, committed, mailoutbox):
    response = subscribe(client, committed, "not-an-address")

    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert "Nothing was saved" in response.content.decode()
    assert not Subscriber.objects.exists()
    assert mailoutbox == []


def test_an_unknown_language_is_a_form_error(client, committed, mailoutbox):
    response = subscribe(client, committed, "reader@example.net", "fr")

    assert response.status_code == 400
    assert not Subscriber.objects.exists()
    assert mailoutbox == []


def test_the_response_is_the_same_for_a_new_a_pending_and_a_confirmed_address(
    client, committed, mailoutbox
):
    SubscriberFactory(email="pending@example.net", confirmed_at=None)
    SubscriberFactory(email="confirmed@example.net")

    responses = [
        subscribe(client, committed, address)
        for address in ("new@example.net", "pending@example.net", "confirmed@example.net")
    ]

    assert {(r.status_code, r["Location"]) for r in responses} == {
        (302, "/en/subscribe/requested/")
    }
    page = client.get(responses[0]["Location"]).content.decode()
    assert "Check your inbox" in page
    assert "example.net" not in page
    # Each of them got exactly one email, so even the inbox count does not tell them apart.
    assert sorted(m.to[0] for m in mailoutbox) == [
        "confirmed@example.net",
        "new@example.net",
        "pending@example.net",
    ]


def test_a_confirmed_address_asking_again_is_told_how_to_unsubscribe_and_nothing_changes(
    client, committed, mailoutbox
):
    subscriber = SubscriberFactory(email="confirmed@example.net")

    subscribe(client, committed, "Confirmed@example.net")

    assert Subscriber.objects.count() == 1
    assert Subscriber.objects.get().confirmed_at == subscriber.confirmed_at
    (message,) = mailoutbox
    assert "already subscribed" in message.subject
    assert "/confirm/" not in message.body
    assert "/en/subscribe/unsubscribe/" in link_to(message, "/unsubscribe/")


def test_asking_twice_keeps_one_row_and_the_latest_language(client, committed, mailoutbox):
    subscribe(client, committed, "reader@example.net", "en")
    client_b = Client()
    with committed():
        client_b.post(SUBSCRIBE, {"email": "READER@example.net", "language": "ar"})

    subscriber = Subscriber.objects.get()
    assert subscriber.language == "ar"
    # The second request came within the throttle interval: no second email.
    assert len(mailoutbox) == 1


def test_the_emails_to_one_address_are_throttled_but_the_page_is_the_same(
    client, committed, mailoutbox
):
    first = subscribe(client, committed, "reader@example.net")
    second = subscribe(client, committed, "reader@example.net")

    assert first["Location"] == second["Location"]
    assert len(mailoutbox) == 1


def test_a_confirmed_subscriber_changes_language_only_by_confirming(client, committed, mailoutbox):
    SubscriberFactory(email="reader@example.net", language="en")

    subscribe(client, committed, "reader@example.net", "ar")

    assert Subscriber.objects.get().language == "en"
    (message,) = mailoutbox
    # Written in the language asked for, which the link confirms.
    assert "اللغة الجديدة" in message.subject
    client.post(path_of(link_to(message, "/confirm/")))
    subscriber = Subscriber.objects.get()
    assert subscriber.language == "ar"
    assert subscriber.is_confirmed


# Confirming ------------------------------------------------------------------------------


def test_opening_the_confirmation_link_shows_a_button_and_confirms_nothing(client):
    subscriber = SubscriberFactory(confirmed_at=None)
    url = reverse("subscribers:confirm", kwargs={"token": confirmation_token(subscriber.uid, "en")})

    response = client.get(url)

    assert response.status_code == 200
    assert "Confirm my subscription" in response.content.decode()
    assert f'action="{url}"' in response.content.decode()
    assert "no-cache" in response["Cache-Control"]
    subscriber.refresh_from_db()
    assert not subscriber.is_confirmed


def test_pressing_the_button_confirms_and_twice_is_harmless(client):
    subscriber = SubscriberFactory(confirmed_at=None)
    url = reverse("subscribers:confirm", kwargs={"token": confirmation_token(subscriber.uid, "en")})

    first = client.post(url)
    subscriber.refresh_from_db()
    confirmed_at = subscriber.confirmed_at
    second = client.post(url)

    assert first.status_code == second.status_code == 200
    assert "Your subscription is confirmed" in second.content.decode()
    subscriber.refresh_from_db()
    assert confirmed_at is not None
    assert subscriber.confirmed_at == confirmed_at


def test_a_forged_confirmation_link_changes_nothing(client):
    subscriber = SubscriberFactory(confirmed_at=None)
    token = confirmation_token(subscriber.uid, "en")
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")

    for method in ("get", "post"):
        url = reverse("subscribers:confirm", kwargs={"token": forged})
        response = getattr(client, method)(url)
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    subscriber.refresh_from_db()
    assert not subscriber.is_confirmed


def test_an_expired_confirmation_link_changes_nothing(client, monkeypatch, settings):
    settings.SUBSCRIPTION_CONFIRMATION_DAYS = 7
    subscriber = SubscriberFactory(confirmed_at=None)
    eight_days_ago = int(time.time()) - 8 * 86400
    with monkeypatch.context() as patch:
        patch.setattr(
            signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(eight_days_ago)
        )
        token = confirmation_token(subscriber.uid, "en")

    response = client.post(reverse("subscribers:confirm", kwargs={"token": token}))

    assert response.status_code == 400
    assert "has expired" in response.content.decode()
    subscriber.refresh_from_db()
    assert not subscriber.is_confirmed


def test_a_confirmation_link_for_a_deleted_subscription_does_not_bring_it_back(client):
    subscriber = SubscriberFactory(confirmed_at=None)
    url = reverse("subscribers:confirm", kwargs={"token": confirmation_token(subscriber.uid, "en")})
    subscriber.delete()

    assert client.get(url).status_code == 400
    assert client.post(url).status_code == 400
    assert not Subscriber.objects.exists()


def test_an_unsubscribe_token_is_not_a_confirmation_token(client):
    subscriber = SubscriberFactory(confirmed_at=None)
    token = unsubscribe_token(subscriber.uid)

    response = client.post(reverse("subscribers:confirm", kwargs={"token": token}))

    assert response.status_code == 400
    subscriber.refresh_from_db()
    assert not subscriber.is_confirmed


# Unsubscribing --------------------------------------------------------------------------


def _unsubscribe_url(subscriber) -> str:
    return reverse("subscribers:unsubscribe", kwargs={"token": unsubscribe_token(subscriber.uid)})


def test_opening_the_unsubscribe_link_shows_a_button_and_removes_nothing(client):
    subscriber = SubscriberFactory()

    response = client.get(_unsubscribe_url(subscriber))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<button type="submit" class="btn btn-primary">Unsubscribe</button>' in html
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()


def test_pressing_the_button_unsubscribes_and_twice_is_harmless(client):
    subscriber = SubscriberFactory()
    other = SubscriberFactory()

    first = client.post(_unsubscribe_url(subscriber))
    second = client.post(_unsubscribe_url(subscriber))

    assert first.status_code == second.status_code == 200
    assert "You are unsubscribed" in second.content.decode()
    assert list(Subscriber.objects.all()) == [other]


def test_a_mail_clients_one_click_post_without_csrf_token_unsubscribes():
    """RFC 8058: the client POSTs ``List-Unsubscribe=One-Click`` with no cookie at all."""
    subscriber = SubscriberFactory()
    mail_client = Client(enforce_csrf_checks=True)

    response = mail_client.post(
        _unsubscribe_url(subscriber),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert not Subscriber.objects.exists()


def test_the_confirm_button_does_need_the_csrf_token():
    subscriber = SubscriberFactory(confirmed_at=None)
    url = reverse("subscribers:confirm", kwargs={"token": confirmation_token(subscriber.uid, "en")})

    response = Client(enforce_csrf_checks=True).post(url)

    assert response.status_code == 403
    subscriber.refresh_from_db()
    assert not subscriber.is_confirmed


def test_a_forged_unsubscribe_link_changes_nothing(client):
    subscriber = SubscriberFactory()
    confirm = confirmation_token(subscriber.uid, "en")
    tampered = unsubscribe_token(subscriber.uid)[:-2] + "xx"

    for token in (tampered, confirm, "nonsense"):
        url = reverse("subscribers:unsubscribe", kwargs={"token": token})
        assert client.get(url).status_code == 400
        response = client.post(url)
        assert response.status_code == 400
        assert "Nothing was changed" in response.content.decode()
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()


def test_the_pages_also_work_in_arabic(client):
    subscriber = SubscriberFactory(language="ar")

    assert client.get("/ar/subscribe/").status_code == 200
    with_token = reverse("subscribers:unsubscribe", kwargs={"token": "x"}).replace("/en/", "/ar/")
    assert client.get(with_token).status_code == 400
    response = client.get(_unsubscribe_url(subscriber).replace("/en/", "/ar/"))
    assert response.status_code == 200
    assert 'dir="rtl"' in response.content.decode()
