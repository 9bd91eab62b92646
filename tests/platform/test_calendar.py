"""The demo and the pages that depend on today, at the edges of the calendar, in Gaza's time.

The demo is seeded at each moment, then the home page, the dashboard's default range, the
reporting periods page and the reminders task are checked against what a person in Gaza
would expect that day: a year that has just begun, a leap day, and the two days a year the
clocks change (read from the time zone database, not written here).
"""

import datetime
import re
from collections import defaultdict
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Q
from django.urls import reverse

from activities.models import ActivityUnit, ReminderSent, ReportingPeriod, ReportRow, ReportStatus
from activities.tasks import send_due_reminders
from strategy.models import StrategyCycle
from tests.assessments.workflow_helpers import domains
from tests.text import has_phrase

pytestmark = pytest.mark.django_db

GAZA = ZoneInfo("Asia/Gaza")
YEAR = 2028  # a leap year


def clock_changes(year: int, zone: ZoneInfo) -> list[datetime.datetime]:
    """The instants (UTC) in ``year`` at which the zone's offset from UTC changes."""
    hour = datetime.datetime(year, 1, 1, tzinfo=datetime.UTC)
    changes = []
    while hour.year == year:
        following = hour + datetime.timedelta(hours=1)
        if hour.astimezone(zone).utcoffset() != following.astimezone(zone).utcoffset():
            changes.append(following)
        hour = following
    return changes


def _moments() -> list:
    spring, autumn = clock_changes(YEAR, GAZA)
    after = datetime.timedelta(minutes=90)
    return [
        pytest.param(datetime.datetime(YEAR - 1, 12, 31, 23, 30, tzinfo=GAZA), id="31-dec-23:30"),
        pytest.param(datetime.datetime(YEAR, 1, 1, 0, 30, tzinfo=GAZA), id="1-jan-00:30"),
        pytest.param(datetime.datetime(YEAR, 2, 29, 12, 0, tzinfo=GAZA), id="29-feb"),
        pytest.param((spring + after).astimezone(GAZA), id="clocks-go-forward"),
        pytest.param((autumn + after).astimezone(GAZA), id="clocks-go-back"),
    ]


def test_gaza_changes_its_clocks_twice_a_year_forward_then_back():
    spring, autumn = clock_changes(YEAR, GAZA)
    before = datetime.timedelta(minutes=1)
    assert (
        spring.astimezone(GAZA).utcoffset() - (spring - before).astimezone(GAZA).utcoffset()
    ) == datetime.timedelta(hours=1)
    assert (
        autumn.astimezone(GAZA).utcoffset() - (autumn - before).astimezone(GAZA).utcoffset()
    ) == datetime.timedelta(hours=-1)


def _seed_at(moment: datetime.datetime, settings, time_machine) -> datetime.date:
    """Seed the demo at a moment of the cluster's clock, in Gaza's time zone."""
    settings.TIME_ZONE = "Asia/Gaza"
    time_machine.move_to(moment)
    domains()
    call_command("seed_demo", stdout=StringIO())
    return moment.date()


def _people_reached_in(year: int) -> int:
    """People reached once by the headline's activities, counted from the report rows
    themselves, not from the analysis table: in each area, the largest figure of one
    activity in one month; summed over areas."""
    headline = StrategyCycle.objects.get(start_year__lte=year, end_year__gte=year).headline
    # Without a headline (the demo's earlier cycle), every people-counting activity.
    counted = (
        Q(activity__indicator=headline) | Q(activity__also_counts_towards=headline)
        if headline
        else Q(activity__unit=ActivityUnit.PEOPLE)
    )
    rows = ReportRow.objects.filter(
        counted,
        report__status=ReportStatus.VALIDATED,
        report__period__year=year,
    )
    cells = defaultdict(int)
    for area, activity, month, total in rows.values_list(
        "area", "activity", "report__period__month", "total"
    ):
        cells[area, activity, month] += total
    peaks = defaultdict(int)
    for (area, _activity, _month), people in cells.items():
        peaks[area] = max(peaks[area], people)
    return sum(peaks.values())


def _check_home_page(client, today: datetime.date) -> None:
    """People reached are counted over the local year (the year before, while the year has
    no validated figure yet)."""
    page = client.get("/en/").content.decode()
    shown = re.search(r'id="figure-people">([\d,]+)<', page).group(1)
    year = today.year if _people_reached_in(today.year) else today.year - 1
    assert shown == f"{_people_reached_in(year):,}"
    assert has_phrase(page, f"people reached with health services in {year}")


def _check_dashboard(client, today: datetime.date) -> None:
    """The default range is the twelve months to the local month, and it has figures."""
    months = client.get(reverse("analysis:overview")).context["months"]
    assert len(months) == 12
    assert months[-1]["month"] == today.replace(day=1)
    assert sum(month["people"] for month in months) > 0


def _check_periods_page(client, today: datetime.date) -> None:
    """The local month's period is at the top of the list, and open."""
    client.force_login(get_user_model().objects.get(email="coordinator@demo.local"))
    page = client.get(reverse("activities:periods")).content.decode()
    period = ReportingPeriod.objects.get(year=today.year, month=today.month)
    first_row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", page, re.S).group(1)
    assert reverse("activities:period_detail", args=[period.pk]) in first_row
    assert ">Open</span>" in first_row


def _nearest_deadline(moment: datetime.datetime) -> ReportingPeriod:
    open_periods = [
        period
        for period in ReportingPeriod.objects.all()
        if period.opens_at <= moment <= period.deadline
    ]
    return min(open_periods, key=lambda period: period.deadline)


def _reminded_periods() -> set[int]:
    return set(ReminderSent.objects.values_list("period_id", flat=True))


def _check_reminders(settings, moment: datetime.datetime, today: datetime.date) -> None:
    """With the window set to the days left, a reminder is due today; one day shorter, not."""
    period = _nearest_deadline(moment)
    days_left = (period.deadline.astimezone(GAZA).date() - today).days
    assert days_left >= 1

    settings.REMINDER_DAYS_BEFORE = days_left - 1
    send_due_reminders()
    assert _reminded_periods() == set()

    settings.REMINDER_DAYS_BEFORE = days_left
    send_due_reminders()
    assert _reminded_periods() == {period.pk}


@pytest.mark.parametrize("moment", _moments())
def test_the_demo_and_the_pages_follow_the_local_calendar(moment, settings, time_machine, client):
    today = _seed_at(moment, settings, time_machine)

    _check_home_page(client, today)
    _check_dashboard(client, today)
    _check_reminders(settings, moment, today)
    _check_periods_page(client, today)
