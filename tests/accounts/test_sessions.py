"""Session limits: signed out after two hours without a request (thirty minutes for
coordinators and site administrators) and twelve hours after the login, whatever happens in
between. Time moves by rewriting the clocks kept in the session, or with time-machine."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.utils import timezone

from accounts.middleware import SESSION_LAST_SEEN, SESSION_STARTED
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def now() -> int:
    return int(timezone.now().timestamp())


def move_clocks(client, *, started_ago: int, last_seen_ago: int) -> None:
    session = client.session
    session[SESSION_STARTED] = now() - started_ago
    session[SESSION_LAST_SEEN] = now() - last_seen_ago
    session.save()


@pytest.fixture
def signed_in(world, client):
    """Sam, signed in through the login form."""
    response = client.post(
        "/en/accounts/login/", {"login": world.user("staff").email, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def test_the_login_starts_both_clocks(signed_in):
    session = signed_in.session
    assert abs(session[SESSION_STARTED] - now()) <= 2
    assert session[SESSION_LAST_SEEN] == session[SESSION_STARTED]


def test_the_defaults_are_two_hours_idle_and_twelve_in_all():
    assert settings.SESSION_IDLE_TIMEOUT == 2 * 3600
    assert settings.SESSION_ABSOLUTE_TIMEOUT == 12 * 3600
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_ABSOLUTE_TIMEOUT


def test_a_request_within_the_idle_limit_keeps_the_session_and_moves_the_clock(signed_in):
    move_clocks(signed_in, started_ago=3 * 3600, last_seen_ago=2 * 3600 - 30)

    assert signed_in.get("/en/tasks/").status_code == 200

    assert abs(signed_in.session[SESSION_LAST_SEEN] - now()) <= 2
    assert signed_in.get("/en/tasks/").status_code == 200


def test_two_hours_without_a_request_sign_the_user_out(signed_in):
    move_clocks(signed_in, started_ago=2 * 3600 + 10, last_seen_ago=2 * 3600 + 5)

    response = signed_in.get("/en/tasks/?tab=mine")

    assert response["Location"] == "/en/accounts/login/?next=/en/tasks/%3Ftab%3Dmine"
    assert SESSION_KEY not in signed_in.session
    login_page = signed_in.get(response["Location"]).content.decode()
    assert "You were signed out after a period of inactivity." in login_page
    assert signed_in.get("/en/tasks/")["Location"].startswith("/en/accounts/login/")


def test_twelve_hours_after_the_login_the_session_ends_even_when_active(signed_in):
    move_clocks(signed_in, started_ago=12 * 3600 + 5, last_seen_ago=60)

    response = signed_in.get("/en/accounts/profile/")

    assert response["Location"].startswith("/en/accounts/login/")
    assert SESSION_KEY not in signed_in.session
    page = signed_in.get(response["Location"]).content.decode()
    assert "sessions last a limited time" in page


def test_the_limits_come_from_the_settings(signed_in, settings):
    settings.SESSION_IDLE_TIMEOUT = 600
    move_clocks(signed_in, started_ago=700, last_seen_ago=650)

    assert signed_in.get("/en/tasks/")["Location"].startswith("/en/accounts/login/")


def test_a_session_from_before_the_clocks_gets_them_at_its_next_request(world, login):
    client = login(world.user("staff"))  # force_login sends no login signal through a view
    session = client.session
    session.pop(SESSION_STARTED, None)
    session.pop(SESSION_LAST_SEEN, None)
    session.save()

    assert client.get("/en/tasks/").status_code == 200
    assert abs(client.session[SESSION_STARTED] - now()) <= 2


def test_visitors_are_not_affected(client):
    assert client.get("/en/privacy/").status_code == 200
    assert SESSION_STARTED not in client.session


# Coordinators and site administrators: 30 minutes without a request (ASVS level 2) -----------


@pytest.fixture
def clock(time_machine):
    """A frozen clock, moved on by hand."""
    time_machine.move_to(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False)
    return time_machine


def signed_in_through_the_form(client, user):
    response = client.post("/en/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)
    return client


@pytest.mark.parametrize("role", ["coordinator", "site_admin"])
def test_a_coordinator_or_administrator_idle_for_31_minutes_is_signed_out(
    world, client, clock, settings, role
):
    settings.REQUIRE_MFA = False
    signed_in_through_the_form(client, world.user(role))

    clock.shift(datetime.timedelta(minutes=31))
    response = client.get("/en/tasks/")

    assert response["Location"] == "/en/accounts/login/?next=/en/tasks/"
    assert SESSION_KEY not in client.session
    login_page = client.get(response["Location"]).content.decode()
    assert "You were signed out after a period of inactivity." in login_page


@pytest.mark.parametrize("role", ["coordinator", "site_admin"])
def test_a_coordinator_or_administrator_active_every_20_minutes_stays_signed_in(
    world, client, clock, settings, role
):
    settings.REQUIRE_MFA = False
    signed_in_through_the_form(client, world.user(role))

    for _ in range(4):  # 80 minutes in all
        clock.shift(datetime.timedelta(minutes=20))
        assert client.get("/en/tasks/").status_code == 200

    assert client.session[SESSION_KEY] == str(world.user(role).pk)


@pytest.mark.parametrize("role", ["focal", "staff"])
def test_a_partner_idle_for_31_minutes_stays_signed_in(world, client, clock, role):
    signed_in_through_the_form(client, world.user(role))

    clock.shift(datetime.timedelta(minutes=31))

    assert client.get("/en/tasks/").status_code == 200
    assert client.session[SESSION_KEY] == str(world.user(role).pk)


def test_the_shorter_limit_comes_from_the_settings(world, client, clock, settings):
    settings.REQUIRE_MFA = False
    settings.SESSION_PRIVILEGED_IDLE_TIMEOUT = 60 * 60
    assert settings.SESSION_IDLE_TIMEOUT == 2 * 60 * 60
    signed_in_through_the_form(client, world.user("coordinator"))

    clock.shift(datetime.timedelta(minutes=59))
    assert client.get("/en/tasks/").status_code == 200
    clock.shift(datetime.timedelta(minutes=61))
    assert client.get("/en/tasks/")["Location"].startswith("/en/accounts/login/")
