"""Coordinators define reporting periods, and reopen a locked one for one organisation."""

import datetime
import zoneinfo
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from activities.models import PeriodReopening, ReportingPeriod
from activities.services.periods import (
    default_window,
    period_create,
    period_create_next,
    period_reopen,
)
from partners.models import OrganisationStatus
from tests.activities.factories import PeriodFactory
from tests.factories import OrganisationFactory

BAGHDAD = zoneinfo.ZoneInfo("Asia/Baghdad")


@pytest.fixture
def coordinator(world, login):
    return login(world.user("coordinator"))


def test_the_default_window_opens_the_1st_and_closes_the_10th_of_the_next_month(settings):
    settings.TIME_ZONE = "Asia/Baghdad"
    opens_at, deadline = default_window(2026, 12)
    assert opens_at == datetime.datetime(2027, 1, 1, 0, 0, tzinfo=BAGHDAD)
    assert deadline == datetime.datetime(2027, 1, 10, 23, 59, tzinfo=BAGHDAD)


def test_the_list_shows_the_newest_period_first(coordinator):
    PeriodFactory(year=2025, month=11)
    PeriodFactory(year=2026, month=1)
    PeriodFactory(year=2025, month=12)
    page = coordinator.get(reverse("activities:periods")).content.decode()
    assert page.index("January 2026") < page.index("December 2025") < page.index("November 2025")


def test_the_new_period_form_offers_the_month_after_the_latest_with_the_usual_dates(
    coordinator, settings
):
    settings.TIME_ZONE = "Asia/Baghdad"
    PeriodFactory(year=2026, month=3)
    response = coordinator.get(reverse("activities:period_create"))
    page = response.content.decode()
    assert response.context["form"].initial["month"] == 4
    assert 'value="2026-05-01T00:00"' in page
    assert 'value="2026-05-10T23:59"' in page
    assert "Asia/Baghdad" in page


def test_a_coordinator_creates_a_period_in_the_clusters_time_zone(coordinator, settings):
    settings.TIME_ZONE = "Asia/Baghdad"
    response = coordinator.post(
        reverse("activities:period_create"),
        {"year": 2026, "month": 5, "opens_at": "2026-06-01T00:00", "deadline": "2026-06-12T18:00"},
    )
    assert response.status_code == 302
    period = ReportingPeriod.objects.get(year=2026, month=5)
    assert period.deadline == datetime.datetime(2026, 6, 12, 18, 0, tzinfo=BAGHDAD)
    assert period.history.first().history_user.email == "cora@example.org"


def test_it_rejects_a_deadline_before_the_opening(coordinator):
    response = coordinator.post(
        reverse("activities:period_create"),
        {"year": 2026, "month": 5, "opens_at": "2026-06-10T00:00", "deadline": "2026-06-01T00:00"},
    )
    assert response.status_code == 200
    assert "The deadline must come after the opening time." in response.content.decode()
    assert not ReportingPeriod.objects.exists()


def test_it_rejects_a_second_period_for_the_same_month(coordinator):
    PeriodFactory(year=2026, month=5)
    response = coordinator.post(
        reverse("activities:period_create"),
        {"year": 2026, "month": 5, "opens_at": "2026-06-01T00:00", "deadline": "2026-06-10T00:00"},
    )
    assert "There is already a reporting period for this month." in response.content.decode()
    assert ReportingPeriod.objects.count() == 1


def test_the_service_also_refuses_a_duplicate_month(world):
    PeriodFactory(year=2026, month=5)
    opens_at, deadline = default_window(2026, 5)
    with pytest.raises(ValidationError) as error:
        period_create(
            year=2026, month=5, opens_at=opens_at, deadline=deadline, by=world.user("coordinator")
        )
    assert "month" in error.value.error_dict


def test_create_next_month_follows_the_latest_period_with_the_usual_dates(coordinator):
    PeriodFactory(year=2026, month=12)
    response = coordinator.post(reverse("activities:period_create_next"), follow=True)
    assert "January 2027 is created with the usual dates" in response.content.decode()
    period = ReportingPeriod.objects.get(year=2027, month=1)
    assert (period.opens_at, period.deadline) == default_window(2027, 1)


def test_create_next_month_starts_with_the_current_month_when_there_is_none(
    world, settings, time_machine
):
    # 00:30 on 1 March in Gaza is still 28 February in UTC: the cluster's month counts.
    settings.TIME_ZONE = "Asia/Gaza"
    time_machine.move_to(datetime.datetime(2027, 3, 1, 0, 30, tzinfo=ZoneInfo("Asia/Gaza")))
    period = period_create_next(by=world.user("coordinator"))
    assert (period.year, period.month) == (2027, 3)


def test_a_coordinator_moves_the_deadline(coordinator):
    period = PeriodFactory(year=2026, month=2)
    response = coordinator.post(
        reverse("activities:period_edit", args=[period.pk]),
        {"opens_at": "2026-03-01T00:00", "deadline": "2026-03-15T23:59"},
    )
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.deadline == datetime.datetime(2026, 3, 15, 23, 59, tzinfo=datetime.UTC)


def test_editing_keeps_the_deadline_after_the_opening(coordinator):
    period = PeriodFactory(year=2026, month=2)
    response = coordinator.post(
        reverse("activities:period_edit", args=[period.pk]),
        {"opens_at": "2026-03-15T00:00", "deadline": "2026-03-01T00:00"},
    )
    assert "The deadline must come after the opening time." in response.content.decode()


def _locked_period():
    now = timezone.now()
    return PeriodFactory(
        opens_at=now - datetime.timedelta(days=30), deadline=now - datetime.timedelta(days=2)
    )


def test_reopening_a_locked_period_lets_the_organisation_submit_and_emails_its_focal_point(
    world, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    period = _locked_period()
    until = timezone.localtime(timezone.now() + datetime.timedelta(days=5))
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(
            reverse("activities:period_reopen", args=[period.pk]),
            {
                "organisation": world.org_a.pk,
                "until": until.strftime("%Y-%m-%dT%H:%M"),
                "reason": "The field office was cut off by floods.",
            },
        )
    assert response.status_code == 302
    reopening = PeriodReopening.objects.get(period=period, organisation=world.org_a)
    assert reopening.created_by == world.user("coordinator")
    assert [mail.to for mail in mailoutbox] == [["alice@example.org"]]
    body = mailoutbox[0].body
    assert "The field office was cut off by floods." in body
    assert reverse("activities:report_start", kwargs={"period_pk": period.pk}) in body
    assert str(period) in mailoutbox[0].subject


@pytest.mark.parametrize(
    ("focal_point_active", "told"),
    [(True, "1 person is told by email."), (False, "Nobody could be emailed: tell them yourself.")],
)
def test_reopening_says_who_is_told(world, coordinator, focal_point_active, told):
    focal = world.user("focal")
    focal.__class__.objects.filter(pk=focal.pk).update(is_active=focal_point_active)
    period = _locked_period()
    until = timezone.localtime(timezone.now() + datetime.timedelta(days=5))
    response = coordinator.post(
        reverse("activities:period_reopen", args=[period.pk]),
        {
            "organisation": world.org_a.pk,
            "until": until.strftime("%Y-%m-%dT%H:%M"),
            "reason": "The field office was cut off by floods.",
        },
        follow=True,
    )
    assert [str(message) for message in response.context["messages"]] == [
        f"{period} is reopened for {world.org_a.name}. {told}"
    ]


def test_reopening_again_moves_the_date_rather_than_adding_a_second_one(world):
    period = _locked_period()
    later = timezone.now() + datetime.timedelta(days=9)
    for days in (3, 9):
        period_reopen(
            period=period,
            organisation=world.org_a,
            until=timezone.now() + datetime.timedelta(days=days),
            reason="Late data from the districts.",
            by=world.user("coordinator"),
        )
    reopening = PeriodReopening.objects.get()
    assert abs(reopening.until - later) < datetime.timedelta(minutes=1)


def test_it_refuses_to_reopen_a_period_that_is_not_locked(world):
    now = timezone.now()
    period = PeriodFactory(
        opens_at=now - datetime.timedelta(days=1), deadline=now + datetime.timedelta(days=5)
    )
    with pytest.raises(ValidationError, match="not locked yet"):
        period_reopen(
            period=period,
            organisation=world.org_a,
            until=now + datetime.timedelta(days=9),
            reason="Late.",
            by=world.user("coordinator"),
        )


def test_it_refuses_to_reopen_for_a_suspended_organisation(world):
    suspended = OrganisationFactory(status=OrganisationStatus.SUSPENDED)
    with pytest.raises(ValidationError, match="Only an approved organisation"):
        period_reopen(
            period=_locked_period(),
            organisation=suspended,
            until=timezone.now() + datetime.timedelta(days=3),
            reason="Late.",
            by=world.user("coordinator"),
        )


def test_the_reopen_form_rejects_a_date_in_the_past_and_an_empty_reason(world, coordinator):
    period = _locked_period()
    response = coordinator.post(
        reverse("activities:period_reopen", args=[period.pk]),
        {"organisation": world.org_a.pk, "until": "2020-01-01T00:00", "reason": ""},
    )
    page = response.content.decode()
    assert "Choose a date and time in the future." in page
    assert "This field is required." in page
    assert not PeriodReopening.objects.exists()


def test_the_reopen_form_starts_with_the_organisation_chosen_on_the_period_page(world, coordinator):
    period = _locked_period()
    response = coordinator.get(
        reverse("activities:period_reopen", args=[period.pk]),
        {"organisation": world.org_b.pk},
    )
    assert response.context["form"].initial["organisation"] == world.org_b.pk


def test_the_reopen_form_ignores_an_organisation_that_is_not_a_number(world, coordinator):
    period = _locked_period()
    response = coordinator.get(
        reverse("activities:period_reopen", args=[period.pk]), {"organisation": "x"}
    )
    assert response.status_code == 200
    assert "organisation" not in response.context["form"].initial
