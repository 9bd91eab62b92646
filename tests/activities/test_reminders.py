"""Scheduled and manual reminders to organisations that have not reported yet.

The period for October 2026 opens on 1 November and closes on 10 November at 23:59 in the
cluster's time zone (Asia/Baghdad here, three hours ahead of UTC, so local and UTC dates differ
near midnight). Reminders go three days before the deadline and on the deadline's date.
"""

import datetime
import zoneinfo
from unittest import mock

import pytest
from django.conf import settings
from django.urls import reverse

from activities.models import ReminderKind, ReminderSent, ReportStatus
from activities.selectors import last_reminder_at
from activities.services import reminders
from activities.services.periods import default_window
from partners.models import Organisation, OrganisationStatus
from tests.activities.factories import PeriodFactory, ReportFactory
from tests.factories import OrganisationFactory

BAGHDAD = zoneinfo.ZoneInfo("Asia/Baghdad")


def local(day: int, hour: int = 12, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 11, day, hour, minute, tzinfo=BAGHDAD)


@pytest.fixture
def period(settings, db):
    settings.TIME_ZONE = "Asia/Baghdad"
    settings.REMINDER_DAYS_BEFORE = 3
    settings.SITE_URL = "https://portal.example.org"
    opens_at, deadline = default_window(2026, 10)
    return PeriodFactory(year=2026, month=10, opens_at=opens_at, deadline=deadline)


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    def _send(now):
        with django_capture_on_commit_callbacks(execute=True):
            return reminders.reminders_send(now=now)

    return _send


def recipients_of(mailoutbox) -> list[str]:
    return sorted(address for mail in mailoutbox for address in mail.to)


def test_the_window_is_in_the_cluster_time_zone(period):
    assert period.deadline == local(10, 23, 59)


def test_nothing_is_sent_before_the_reminder_window(world, period, send, mailoutbox):
    assert reminders.due_reminders(local(6, 23, 0)) == []
    assert send(local(5)) == {"sent": 0, "skipped": 0}
    assert mailoutbox == []
    assert not ReminderSent.objects.exists()


def test_nothing_is_sent_for_a_period_not_open_yet_or_closed(world, period, send, mailoutbox):
    assert send(local(1, 0, 0) - datetime.timedelta(minutes=1))["sent"] == 0
    assert send(local(11, 0, 5))["sent"] == 0
    assert mailoutbox == []


def test_it_reminds_the_focal_point_three_local_days_before_the_deadline(
    world, period, send, mailoutbox
):
    # 00:30 on the 7th in Baghdad is still the 6th in UTC: the local date counts.
    now = local(7, 0, 30)
    assert now.astimezone(datetime.UTC).day == 6

    assert send(now) == {"sent": 2, "skipped": 0}

    # Organisation A has a focal point (Alice, not Sam); organisation B only a member (Olga).
    assert recipients_of(mailoutbox) == ["alice@example.org", "olga@example.org"]
    alice = next(mail for mail in mailoutbox if mail.to == ["alice@example.org"])
    assert "October 2026" in alice.subject
    assert "Alpha Health has not submitted" in alice.body
    assert "10 November 2026, 23:59" in alice.body
    assert "Asia/Baghdad" in alice.body
    link = "https://portal.example.org" + reverse(
        "activities:report_start", kwargs={"period_pk": period.pk}
    )
    assert link in alice.body
    kinds = set(ReminderSent.objects.values_list("organisation__name_en", "kind"))
    assert kinds == {
        ("Alpha Health", ReminderKind.BEFORE_DEADLINE),
        ("Beta Relief", ReminderKind.BEFORE_DEADLINE),
    }


def test_it_sends_the_deadline_reminder_on_the_deadline_local_date(world, period, send, mailoutbox):
    send(local(8))
    mailoutbox.clear()

    # 00:30 on the 10th in Baghdad is the 9th in UTC.
    assert send(local(10, 0, 30)) == {"sent": 2, "skipped": 0}

    assert recipients_of(mailoutbox) == ["alice@example.org", "olga@example.org"]
    assert all("Today is the deadline" in mail.subject for mail in mailoutbox)
    assert "closes at 10 November 2026, 23:59 (Asia/Baghdad)." in mailoutbox[0].body
    assert ReminderSent.objects.filter(kind=ReminderKind.ON_DEADLINE).count() == 2
    assert ReminderSent.objects.filter(kind=ReminderKind.BEFORE_DEADLINE).count() == 2


def test_on_the_deadline_date_only_the_deadline_reminder_goes(world, period, send, mailoutbox):
    send(local(10, 9))

    assert set(ReminderSent.objects.values_list("kind", flat=True)) == {ReminderKind.ON_DEADLINE}
    assert len(mailoutbox) == 2


def test_an_organisation_that_submitted_is_not_reminded(world, period, send, mailoutbox):
    ReportFactory(organisation=world.org_a, period=period, status=ReportStatus.SUBMITTED)
    ReportFactory(organisation=world.org_b, period=period, status=ReportStatus.VALIDATED)

    assert send(local(8)) == {"sent": 0, "skipped": 0}
    assert mailoutbox == []


def test_a_draft_or_returned_report_still_gets_a_reminder(world, period, send, mailoutbox):
    ReportFactory(organisation=world.org_a, period=period, status=ReportStatus.DRAFT)
    ReportFactory(organisation=world.org_b, period=period, status=ReportStatus.RETURNED)

    assert send(local(8))["sent"] == 2
    assert recipients_of(mailoutbox) == ["alice@example.org", "olga@example.org"]


def test_organisations_not_approved_are_not_reminded(world, period, send, mailoutbox):
    OrganisationFactory(name_en="Pending Org", status=OrganisationStatus.PENDING)
    world.org_b.status = OrganisationStatus.SUSPENDED
    world.org_b.save()

    send(local(8))

    assert recipients_of(mailoutbox) == ["alice@example.org"]


def test_running_twice_sends_each_reminder_once(world, period, send, mailoutbox):
    first = send(local(8, 5))
    second = send(local(8, 6))
    third = send(local(9, 6))

    assert first == {"sent": 2, "skipped": 0}
    assert second == {"sent": 0, "skipped": 2}
    assert third == {"sent": 0, "skipped": 2}
    assert len(mailoutbox) == 2
    assert ReminderSent.objects.count() == 2


def test_a_reminder_recorded_by_a_concurrent_run_is_skipped(world, period, send, mailoutbox):
    """Another run inserted the row after this one read what was sent: the constraint wins."""
    ReminderSent.objects.create(
        period=period, organisation=world.org_a, kind=ReminderKind.BEFORE_DEADLINE
    )
    hidden = ReminderSent.objects.none()
    with mock.patch.object(ReminderSent.objects, "filter", return_value=hidden):
        result = send(local(8))

    assert result == {"sent": 1, "skipped": 1}
    assert recipients_of(mailoutbox) == ["olga@example.org"]


def test_an_arabic_recipient_gets_the_reminder_in_arabic_with_an_arabic_link(
    world, period, send, mailoutbox
):
    alice = world.user("focal")
    alice.language = "ar"
    alice.save()

    send(local(8))

    mail = next(mail for mail in mailoutbox if mail.to == ["alice@example.org"])
    assert f"https://portal.example.org/ar/activities/periods/{period.pk}/report/" in mail.body
    olga = next(mail for mail in mailoutbox if mail.to == ["olga@example.org"])
    assert "https://portal.example.org/en/" in olga.body


def test_the_beat_runs_the_reminder_task_hourly():
    from celery.schedules import crontab

    from cluster_portal.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["send-due-reminders"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
    assert entry["task"] == "activities.tasks.send_due_reminders"
    assert entry["schedule"] == crontab(minute=5)


def test_the_reminder_task_is_safe_to_redeliver():
    from activities.tasks import send_due_reminders

    assert send_due_reminders.acks_late is True
    assert send_due_reminders.reject_on_worker_lost is True
    assert send_due_reminders.soft_time_limit < send_due_reminders.time_limit


def test_the_last_reminder_annotation_gives_the_latest_of_each_organisation(world, period):
    other = PeriodFactory(year=2026, month=9)
    first = ReminderSent.objects.create(
        period=period, organisation=world.org_a, kind=ReminderKind.BEFORE_DEADLINE
    )
    last = ReminderSent.objects.create(
        period=period, organisation=world.org_a, kind=ReminderKind.MANUAL
    )
    ReminderSent.objects.create(period=other, organisation=world.org_b, kind=ReminderKind.MANUAL)
    ReminderSent.objects.filter(pk=first.pk).update(sent_at=local(7))
    ReminderSent.objects.filter(pk=last.pk).update(sent_at=local(8))

    dates = dict(
        Organisation.objects.annotate(last=last_reminder_at(period)).values_list("name_en", "last")
    )

    assert dates == {"Alpha Health": local(8), "Beta Relief": None}
