"""Retention: sign-ups never confirmed are deleted after UNCONFIRMED_SIGNUP_RETENTION_DAYS,
by a management command and by a nightly Celery beat task; expired sessions go too."""

from datetime import timedelta
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from accounts.services import purge_unconfirmed_signups
from accounts.tasks import purge_personal_data
from cluster_portal.celery import app
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


def signup(email: str, *, days_ago: int, verified: bool = False, **fields):
    """An account as the sign-up form leaves it, created some days ago."""
    user = UserFactory(email=email, verified=verified, **fields)
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=days_ago))
    return user


def emails() -> set[str]:
    return set(User.objects.values_list("email", flat=True))


def test_an_abandoned_sign_up_goes_after_the_retention_period_with_its_history():
    old = signup("abandoned@example.org", days_ago=15)
    signup("recent@example.org", days_ago=13)
    signup("confirmed@example.org", days_ago=400, verified=True)
    logged_in = signup("logged-in@example.org", days_ago=400)
    User.objects.filter(pk=logged_in.pk).update(last_login=timezone.now())
    signup("coordinator@example.org", days_ago=400, is_coordinator=True)
    by_hand = UserFactory(email="by-hand@example.org")  # created by an administrator
    EmailAddress.objects.filter(user=by_hand).delete()
    User.objects.filter(pk=by_hand.pk).update(date_joined=timezone.now() - timedelta(days=400))

    assert purge_unconfirmed_signups() == 1

    assert "abandoned@example.org" not in emails()
    assert {
        "recent@example.org",
        "confirmed@example.org",
        "logged-in@example.org",
        "coordinator@example.org",
        "by-hand@example.org",
    } <= emails()
    assert not EmailAddress.objects.filter(email="abandoned@example.org").exists()
    assert not User.history.filter(id=old.pk).exists()
    assert purge_unconfirmed_signups() == 0


def test_the_period_comes_from_the_setting(settings):
    settings.UNCONFIRMED_SIGNUP_RETENTION_DAYS = 30
    signup("fifteen-days@example.org", days_ago=15)

    assert purge_unconfirmed_signups() == 0
    assert purge_unconfirmed_signups(now=timezone.now() + timedelta(days=16)) == 1


def test_an_account_that_records_point_to_is_kept_and_the_rest_still_go():
    held = signup("held@example.org", days_ago=20)
    MembershipFactory(user=held)
    signup("free@example.org", days_ago=20)

    assert purge_unconfirmed_signups() == 1

    assert "held@example.org" in emails()
    assert "free@example.org" not in emails()


def test_the_command_purges_and_reports():
    signup("abandoned@example.org", days_ago=15)
    out = StringIO()

    call_command("purge_personal_data", stdout=out)

    assert "Deleted 1 unconfirmed sign-up(s) older than 14 days" in out.getvalue()
    assert "abandoned@example.org" not in emails()


def test_expired_sessions_are_cleared(world, login):
    client = login(world.user("staff"))
    Session.objects.create(
        session_key="x" * 32, session_data="", expire_date=timezone.now() - timedelta(minutes=1)
    )

    result = purge_personal_data.apply().get()

    assert result == {"unconfirmed_signups": 0, "expired_sessions": 1}
    assert list(Session.objects.values_list("session_key", flat=True)) == [
        client.session.session_key
    ]


def test_the_beat_runs_the_purge_every_night():
    entry = settings.CELERY_BEAT_SCHEDULE["purge-personal-data"]
    app.loader.import_default_modules()

    assert entry["task"] in app.tasks
    assert entry["schedule"].hour == {3}
    assert settings.UNCONFIRMED_SIGNUP_RETENTION_DAYS == 14
