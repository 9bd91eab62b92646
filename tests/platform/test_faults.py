"""Faults of the real services, on private servers or the test's own connections.

The machine's PostgreSQL and Redis serve the rest of the suite, so nothing here stops them:
PostgreSQL faults terminate only the connections a live server holds on the test database;
Redis faults stop a redis-server of the test's own.
"""

import urllib.error
import urllib.request

import psycopg
import pytest
from django.db import OperationalError, connection, connections

from pages import selectors as pages_selectors
from subscribers.models import Subscriber
from tests.factories import OrganisationFactory
from tests.platform.test_healthz import PrivateRedis

pytestmark = pytest.mark.django_db(transaction=True)


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _terminate_other_backends() -> int:
    """Kill every connection to the test database except this test's own."""
    settings_dict = connection.settings_dict
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        own = cursor.fetchone()[0]
    with psycopg.connect(
        host=settings_dict["HOST"] or "127.0.0.1",
        port=settings_dict["PORT"] or 5432,
        user=settings_dict["USER"] or "postgres",
        dbname="postgres",
        autocommit=True,
    ) as admin:
        killed = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> %s AND pid <> pg_backend_pid()",
            [settings_dict["NAME"], own],
        ).fetchone()[0]
    return killed


def test_pages_answer_again_after_postgresql_killed_their_connections(live_server):
    OrganisationFactory(name_en="Still Here Health")
    assert _get(f"{live_server.url}/en/partners/")[0] == 200
    assert _terminate_other_backends() >= 1

    status, page = _get(f"{live_server.url}/en/partners/")
    assert status == 200
    assert "Still Here Health" in page
    assert _get(f"{live_server.url}/healthz")[0] == 200


def test_public_pages_still_serve_while_redis_is_down_and_healthz_says_so(client, settings):
    redis_server = PrivateRedis()
    redis_server.start()
    settings.REDIS_URL = redis_server.url
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1},
        }
    }
    OrganisationFactory(name_en="Cache Free Clinic")
    try:
        assert client.get("/en/partners/").status_code == 200
        redis_server.stop()

        for path in ("/en/", "/en/partners/", "/en/strategy/", "/ar/"):
            assert client.get(path).status_code == 200, path
        assert "Cache Free Clinic" in client.get("/en/partners/").content.decode()
        health = client.get("/healthz")
        assert health.status_code == 503
        assert health.json()["checks"]["redis"].startswith("error")

        redis_server.start()
        assert client.get("/healthz").status_code == 200
    finally:
        redis_server.stop()


def test_a_build_refused_while_redis_is_down_loses_nothing_and_queues_once_it_is_back(world):
    import redis

    from bulletins import services
    from bulletins.models import BuildStatus, FailureReason
    from tests.bulletins.factories import bilingual_bulletin
    from tests.celery_worker import project_app_on

    redis_server = PrivateRedis()
    redis_server.start()
    coordinator = world.user("coordinator")
    bulletin, english, arabic = bilingual_bulletin()
    services.edition_update(
        edition=english,
        fields={"situation_overview": "Cholera cases rose in the **north**."},
        by=coordinator,
    )
    try:
        with project_app_on(redis_server.url):
            redis_server.stop()
            refused = services.bulletin_build(bulletin=bulletin, by=coordinator)
            assert [request.edition.language for request in refused] == ["en", "ar"]
            for request in refused:
                assert not request.queued
                assert request.error.startswith("The task queue cannot be reached")
            for edition in (english, arabic):
                edition.refresh_from_db()
                assert edition.status == BuildStatus.FAILED
                assert edition.status_reason == FailureReason.QUEUE_DOWN
            assert english.situation_overview == "Cholera cases rose in the **north**."
            assert arabic.situation_overview == "نزحت أسر بسبب الأمطار."

            redis_server.start()
            queued = services.bulletin_build(bulletin=bulletin, by=coordinator)
        assert [request.queued for request in queued] == [True, True]
        for edition in (english, arabic):
            edition.refresh_from_db()
            assert edition.status == BuildStatus.QUEUED
        # A task per edition is waiting in the broker for a worker.
        assert redis.Redis.from_url(redis_server.url).llen("celery") == 2
    finally:
        redis_server.stop()


@pytest.fixture
def database_out_of_reach(monkeypatch):
    """New connections fail as when PgBouncer or PostgreSQL is stopped: refused. The test
    brings it back with ``monkeypatch.undo()``."""

    def refused(self, conn_params):
        raise psycopg.OperationalError("connection failed: Connection refused")

    connection.close()
    monkeypatch.setattr(type(connections["default"]), "get_new_connection", refused)


@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "The portal is briefly unavailable"), ("ar", "البوابة غير متاحة لوقت قصير")],
)
def test_while_the_database_is_out_of_reach_pages_say_so_with_a_503(
    client, database_out_of_reach, language, heading
):
    client.raise_request_exception = False

    response = client.get(f"/{language}/partners/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert f'<html lang="{language}" dir="{"rtl" if language == "ar" else "ltr"}">' in html


def test_a_form_sent_while_the_database_is_out_of_reach_saves_nothing_and_says_so(
    client, database_out_of_reach, monkeypatch
):
    client.raise_request_exception = False

    response = client.post("/en/subscribe/", {"email": "new@example.org"})

    assert response.status_code == 503
    assert b"nothing you sent was saved" in response.content
    monkeypatch.undo()  # the database is back: pages answer on a new connection
    assert not Subscriber.objects.exists()
    assert client.get("/en/partners/").status_code == 200


def test_an_error_of_a_query_with_the_database_reachable_stays_a_500(client, monkeypatch):
    def fail():
        raise OperationalError("canceling statement due to statement timeout")

    monkeypatch.setattr(pages_selectors, "published_pages", fail)
    client.raise_request_exception = False
    connection.ensure_connection()

    response = client.get("/en/pages/")

    assert response.status_code == 500
    assert b"briefly unavailable" not in response.content
