"""The subscription form takes ten requests an hour from one client address, then says so;
with Redis down the limit holds, and nothing fails."""

import datetime

import pytest
from django.utils import timezone

from subscribers.models import Subscriber
from tests.accounts.test_rate_limits_without_redis import production_caches
from tests.platform.test_healthz import PrivateRedis

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/en/subscribe/"
LIMITED = "Too many subscription requests have come from your connection in the last hour"


def ask(client, committed, email: str, address: str = "203.0.113.7"):
    with committed():
        return client.post(SUBSCRIBE, {"email": email, "language": "ar"}, REMOTE_ADDR=address)


def test_the_eleventh_request_of_the_hour_is_refused_with_a_clear_message(client, committed):
    statuses = [ask(client, committed, f"reader{n}@example.net").status_code for n in range(10)]

    response = ask(client, committed, "one.more@example.net")

    assert statuses == [302] * 10
    assert response.status_code == 429
    page = response.content.decode()
    assert LIMITED in page
    assert 'value="one.more@example.net"' in page  # nothing to type again
    assert Subscriber.objects.count() == 10
    assert not Subscriber.objects.filter(email="one.more@example.net").exists()


def test_bad_requests_count_too(client, committed):
    for _ in range(10):
        assert ask(client, committed, "not-an-address").status_code == 400

    assert ask(client, committed, "reader@example.net").status_code == 429


def test_the_limit_is_per_client_address(client, committed):
    for n in range(11):
        ask(client, committed, f"reader{n}@example.net")

    response = ask(client, committed, "neighbour@example.net", address="198.51.100.20")

    assert response.status_code == 302
    assert Subscriber.objects.filter(email="neighbour@example.net").exists()


def test_the_limit_lifts_an_hour_later(client, committed, time_machine):
    time_machine.move_to(timezone.now())
    for n in range(11):
        ask(client, committed, f"reader{n}@example.net")

    time_machine.move_to(timezone.now() + datetime.timedelta(minutes=61))

    assert ask(client, committed, "later@example.net").status_code == 302


def test_the_page_to_subscribe_is_never_limited(client, committed):
    for n in range(11):
        ask(client, committed, f"reader{n}@example.net")

    response = client.get(SUBSCRIBE, REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 200
    assert LIMITED not in response.content.decode()


def test_with_redis_down_the_limit_holds_and_nothing_fails(client, committed, settings):
    server = PrivateRedis()
    server.start()
    settings.CACHES = production_caches(settings, server.url)
    try:
        server.stop()
        statuses = [ask(client, committed, f"reader{n}@example.net").status_code for n in range(11)]
    finally:
        server.stop()

    assert statuses == [302] * 10 + [429]
