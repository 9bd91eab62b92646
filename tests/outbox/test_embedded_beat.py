"""The embedded mode's beat: the development server runs the Celery beat's schedule itself.

Without Redis the tasks run in-process; these tests run the schedule as the server's thread
does, on a pinned clock, against a real SMTP server that refuses, then accepts.
"""

import datetime

import pytest
import time_machine

from core import embedded_beat
from outbox.models import EmailStatus, OutboundEmail
from outbox.services import EmailDraft, emails_queue

pytestmark = pytest.mark.django_db

# A Monday, 02:58:30 UTC: between the quarter-hours, before the nightly purges (03:17, 03:29).
START = datetime.datetime(2026, 10, 12, 2, 58, 30, tzinfo=datetime.UTC)


@pytest.fixture
def clock(settings):
    settings.TIME_ZONE = "UTC"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def test_a_refused_email_is_sent_by_the_embedded_beat_once_its_turn_comes(
    smtp_server, committed, clock
):
    smtp_server.refusing = True
    with committed():
        (email,) = emails_queue(
            [
                EmailDraft(
                    key="meeting-1-nadia",
                    recipient="nadia@example.org",
                    language="en",
                    subject="Health cluster meeting",
                    body="The meeting moves to Tuesday.\n",
                )
            ]
        )
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.PENDING, 1)
    last_runs = {}
    assert embedded_beat.run_due(last_runs) == []  # the first look starts counting
    smtp_server.refusing = False

    clock.shift(datetime.timedelta(seconds=61))
    ran = embedded_beat.run_due(last_runs)

    assert "send-due-emails" in ran
    assert smtp_server.recipients() == ["nadia@example.org"]
    assert OutboundEmail.objects.get().status == EmailStatus.SENT


def test_each_task_runs_at_its_own_turn(clock):
    last_runs = {}
    embedded_beat.run_due(last_runs)

    clock.shift(datetime.timedelta(seconds=61))
    minutely = set(embedded_beat.run_due(last_runs))
    clock.shift(datetime.timedelta(minutes=20))  # 03:19:31: past the 03:17 purge
    after_three = set(embedded_beat.run_due(last_runs))

    assert minutely == {"send-due-emails", "fail-stale-bulletin-builds"}
    assert "purge-personal-data" in after_three
    assert "purge-old-emails" not in after_three  # its turn is 03:29


@pytest.mark.parametrize(
    ("argv", "environ", "wanted"),
    [
        (["manage.py", "runserver", "127.0.0.1:8000"], {"RUN_MAIN": "true"}, True),
        (["manage.py", "runserver", "--noreload"], {}, True),
        # The autoreloader's parent only watches the files; its child serves.
        (["manage.py", "runserver", "127.0.0.1:8000"], {}, False),
        (["manage.py", "migrate"], {"RUN_MAIN": "true"}, False),
        (["celery", "-A", "cluster_portal", "worker"], {}, False),
    ],
)
def test_only_the_process_that_serves_runs_the_beat(settings, argv, environ, wanted):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMBEDDED_BEAT = True
    assert embedded_beat.is_wanted(argv, environ) is wanted


def test_with_a_broker_the_real_beat_runs_the_schedule(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.EMBEDDED_BEAT = True
    assert not embedded_beat.is_wanted(["manage.py", "runserver"], {"RUN_MAIN": "true"})
