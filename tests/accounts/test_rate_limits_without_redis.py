"""While Redis is down, signing in keeps its limits: the failed attempts and the two-factor
codes already used are counted in the database instead (core/cache.py). Redis here is a
redis-server of the tests' own, stopped and started again without touching the machine's."""

import pytest
from django.contrib.auth import SESSION_KEY

from core.models import SecurityCacheEntry
from tests.accounts.test_mfa import (
    AUTHENTICATE,
    LOGIN,
    activate_totp,
    password_login,
    totp_code,
)
from tests.factories import PASSWORD
from tests.platform.test_healthz import PrivateRedis

pytestmark = pytest.mark.django_db


def production_caches(settings, redis_url: str) -> dict:
    """The caches as settings.py configures them with REDIS_URL set."""
    return {
        **settings.CACHES,
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": redis_url,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        },
    }


@pytest.fixture
def redis_server(settings):
    """The portal's production cache configuration on a private Redis."""
    server = PrivateRedis()
    server.start()
    settings.CACHES = production_caches(settings, server.url)
    yield server
    server.stop()


@pytest.fixture
def alice_with_totp(world, client):
    """Alice, focal point of organisation A, with an authenticator app set up."""
    alice = world.user("focal")
    password_login(client, alice.email)
    secret = activate_totp(client)
    client.logout()
    return alice, secret


def wrong_password(client, email: str):
    return client.post(LOGIN, {"login": email, "password": "not-the-right-one"})


def test_the_right_password_signs_in_while_redis_is_down(world, client, redis_server):
    redis_server.stop()

    response = password_login(client, world.user("staff").email)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(world.user("staff").pk)


def test_failed_attempts_are_still_counted_while_redis_is_down(world, client, redis_server):
    email = world.user("staff").email
    redis_server.stop()

    statuses = [wrong_password(client, email).status_code for _ in range(7)]
    response = password_login(client, email)

    assert statuses == [200] * 7
    assert "Too many failed login attempts" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_attempts_before_and_during_the_outage_are_counted_where_they_were_made(
    world, client, redis_server
):
    email = world.user("staff").email
    for _ in range(3):
        wrong_password(client, email)
    assert not SecurityCacheEntry.objects.exists()  # Redis counted them

    redis_server.stop()
    for _ in range(5):
        wrong_password(client, email)

    assert "Too many failed login attempts" in password_login(client, email).content.decode()
    # The database holds the outage's counts under hashed keys: no client address.
    keys = list(SecurityCacheEntry.objects.values_list("cache_key", flat=True))
    assert keys
    assert not any("127.0.0.1" in key or "allauth" in key for key in keys)


def test_a_two_factor_code_signs_in_once_while_redis_is_down(alice_with_totp, client, redis_server):
    alice, secret = alice_with_totp
    redis_server.stop()

    password_login(client, alice.email)
    code = totp_code(secret)
    response = client.post(AUTHENTICATE, {"code": code})

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(alice.pk)

    client.logout()
    password_login(client, alice.email)
    replay = client.post(AUTHENTICATE, {"code": code})
    assert "Incorrect code." in replay.content.decode()
    assert SESSION_KEY not in client.session


def test_once_redis_is_back_signing_in_counts_there_again(world, client, redis_server):
    redis_server.stop()
    redis_server.start()

    response = client.post(LOGIN, {"login": world.user("staff").email, "password": PASSWORD})

    assert response.status_code == 302
    assert not SecurityCacheEntry.objects.exists()
