"""Anonymous pages are served from the cache until the data behind them changes."""

import pytest
from django.urls import reverse

from core.page_cache import HEADER
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


def test_a_public_page_is_served_from_the_cache_the_second_time(client):
    assert client.get("/en/partners/")[HEADER] == "miss"
    assert client.get("/en/partners/")[HEADER] == "hit"


def test_a_change_to_the_data_is_visible_at_once(client):
    OrganisationFactory(name_en="First Aid Org")
    client.get("/en/partners/")
    OrganisationFactory(name_en="Second Wave Health")
    response = client.get("/en/partners/")
    assert response[HEADER] == "miss"
    assert "Second Wave Health" in response.content.decode()


def test_the_change_counts_after_its_transaction_commits(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        OrganisationFactory(name_en="Committed Care")
    assert callbacks  # the version is bumped again once the write is committed
    assert "Committed Care" in client.get("/en/partners/").content.decode()


def test_each_language_and_query_string_has_its_own_entry(client):
    client.get("/en/partners/")
    assert client.get("/ar/partners/")[HEADER] == "miss"
    assert client.get("/en/partners/?type=nngo")[HEADER] == "miss"


def test_signed_in_users_are_never_served_a_cached_page(client):
    client.get("/en/partners/")
    client.force_login(UserFactory(is_coordinator=True))
    response = client.get("/en/partners/")
    assert HEADER not in response
    assert f'action="{reverse("account_logout")}"' in response.content.decode()


def test_writes_that_no_public_page_shows_keep_the_cache(client):
    from subscribers.services import subscription_request

    client.get("/en/partners/")
    subscription_request(email="reader@example.org", language="en")
    UserFactory(email="new-user@example.org")
    assert client.get("/en/partners/")[HEADER] == "hit"


def test_a_page_with_a_form_is_not_shared(client):
    # The sign-in form carries a CSRF token that belongs to one visitor.
    client.get("/en/accounts/login/")
    response = client.get("/en/accounts/login/")
    assert HEADER not in response


def test_the_health_check_is_never_cached(client):
    client.get("/healthz")
    assert HEADER not in client.get("/healthz")


def test_zero_seconds_turns_the_cache_off(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/en/partners/")
    assert HEADER not in client.get("/en/partners/")


def test_areas_loaded_from_a_file_are_shown_at_once(client):
    """The loader writes areas in a few statements, without their save signals: the cached
    areas page and the dashboard's area filter showed the old names until another write."""
    from locations.services import admin_areas_load
    from tests.locations.conftest import csv_file

    row = "Demoland,DL,Northern Hills,التلال الشمالية,DL01,Pinecrest,قمة الصنوبر,DL0101"
    admin_areas_load(data=csv_file(row))
    assert "Northern Hills" in client.get(reverse("locations:list")).content.decode()
    assert (
        ">Northern Hills (DL01)</option>"
        in client.get(reverse("analysis:overview")).content.decode()
    )
    admin_areas_load(
        data=csv_file(
            row.replace("Northern Hills", "Upper Hills").replace("Pinecrest", "Pine Summit")
        )
    )
    page = client.get(reverse("locations:list"))
    assert page[HEADER] == "miss"
    assert "Upper Hills" in page.content.decode()
    dashboard = client.get(reverse("analysis:overview")).content.decode()
    assert ">Upper Hills (DL01)</option>" in dashboard


@pytest.fixture
def database_goes_away(monkeypatch):
    """Call it to make new connections fail as when PgBouncer or PostgreSQL is stopped."""
    import psycopg
    from django.db import connection, connections

    def refused(self, conn_params):
        raise psycopg.OperationalError("connection failed: Connection refused")

    def go_away() -> None:
        connection.close()
        monkeypatch.setattr(type(connections["default"]), "get_new_connection", refused)

    return go_away


@pytest.mark.django_db(transaction=True)
def test_while_the_database_is_out_of_reach_the_public_reads_the_last_copy_of_a_page(
    client, database_goes_away
):
    OrganisationFactory(name_en="First Aid Org")
    assert "First Aid Org" in client.get("/en/partners/").content.decode()
    OrganisationFactory(name_en="Second Wave Health")  # the kept copy is now out of date
    database_goes_away()
    client.raise_request_exception = False

    response = client.get("/en/partners/")

    assert response.status_code == 200
    assert response[HEADER] == "stale"
    assert "First Aid Org" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_page_never_kept_or_with_a_query_string_says_the_database_is_out_of_reach(
    client, database_goes_away
):
    client.get("/en/partners/?type=nngo")
    OrganisationFactory(name_en="Second Wave Health")
    database_goes_away()
    client.raise_request_exception = False

    for path in ("/en/partners/?type=nngo", "/en/strategy/"):
        response = client.get(path)
        assert response.status_code == 503, path
        assert HEADER not in response
        assert b"The portal is briefly unavailable" in response.content
