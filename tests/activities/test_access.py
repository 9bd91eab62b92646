"""Who sees which activity reports, and when a period accepts a submission."""

import datetime

import pytest
from django.http import Http404
from django.utils import timezone

from activities.access import get_report_for_user, open_periods, reports_for_user
from activities.models import PeriodReopening
from activities.policy import period_accepts_submission
from tests.activities.factories import PeriodFactory, ReportFactory
from tests.factories import UserFactory

# Periods are placed around the pinned moment: mid-month, and across a new year.
MOMENTS = {
    "mid-month": datetime.datetime(2026, 3, 15, 12, 0, tzinfo=datetime.UTC),
    "new-year": datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC),
}


@pytest.fixture(autouse=True, params=list(MOMENTS))
def pinned_clock(request, time_machine):
    time_machine.move_to(MOMENTS[request.param], tick=False)


@pytest.fixture
def reports(world):
    period = PeriodFactory()
    return {
        "a": ReportFactory(organisation=world.org_a, period=period),
        "b": ReportFactory(organisation=world.org_b, period=period),
    }


@pytest.mark.parametrize("role", ["coordinator", "site_admin"])
def test_coordinators_see_every_report(world, reports, role):
    assert set(reports_for_user(world.user(role))) == set(reports.values())


@pytest.mark.parametrize("role", ["focal", "staff"])
def test_members_see_only_their_organisations_reports(world, reports, role):
    assert list(reports_for_user(world.user(role))) == [reports["a"]]


def test_people_without_an_organisation_see_no_report(world, reports):
    assert not reports_for_user(UserFactory()).exists()


def test_anonymous_visitors_see_no_report(reports):
    from django.contrib.auth.models import AnonymousUser

    assert not reports_for_user(AnonymousUser()).exists()


def test_it_gives_a_member_their_own_report(world, reports):
    assert get_report_for_user(world.user("focal"), reports["a"].pk) == reports["a"]


def test_another_organisations_report_is_a_404(world, reports):
    with pytest.raises(Http404):
        get_report_for_user(world.user("other_member"), reports["a"].pk)


def test_a_missing_report_is_a_404(world, reports):
    with pytest.raises(Http404):
        get_report_for_user(world.user("coordinator"), 999999)


def _period_around(now, *, opened_days_ago: int, deadline_in_days: int):
    return PeriodFactory(
        opens_at=now - datetime.timedelta(days=opened_days_ago),
        deadline=now + datetime.timedelta(days=deadline_in_days),
    )


def test_an_open_period_accepts_a_submission(world):
    now = timezone.now()
    period = _period_around(now, opened_days_ago=2, deadline_in_days=3)
    assert period_accepts_submission(period, world.org_a, now=now)


def test_a_period_not_yet_open_refuses_a_submission(world):
    now = timezone.now()
    period = _period_around(now, opened_days_ago=-2, deadline_in_days=8)
    assert not period_accepts_submission(period, world.org_a, now=now)


def test_a_locked_period_refuses_a_submission(world):
    now = timezone.now()
    period = _period_around(now, opened_days_ago=20, deadline_in_days=-1)
    assert not period_accepts_submission(period, world.org_a, now=now)


def test_a_locked_period_reopened_for_an_organisation_accepts_its_submission_only(world):
    now = timezone.now()
    period = _period_around(now, opened_days_ago=20, deadline_in_days=-1)
    PeriodReopening.objects.create(
        period=period, organisation=world.org_a, until=now + datetime.timedelta(days=2)
    )
    assert period_accepts_submission(period, world.org_a, now=now)
    assert not period_accepts_submission(period, world.org_b, now=now)


def test_a_reopening_that_has_passed_no_longer_accepts_a_submission(world):
    now = timezone.now()
    period = _period_around(now, opened_days_ago=20, deadline_in_days=-5)
    PeriodReopening.objects.create(
        period=period, organisation=world.org_a, until=now - datetime.timedelta(hours=1)
    )
    assert not period_accepts_submission(period, world.org_a, now=now)


def test_open_periods_lists_only_the_periods_open_now(world):
    now = timezone.now()
    current = _period_around(now, opened_days_ago=2, deadline_in_days=3)
    _period_around(now, opened_days_ago=40, deadline_in_days=-30)
    _period_around(now, opened_days_ago=-3, deadline_in_days=10)
    assert list(open_periods(now=now)) == [current]
