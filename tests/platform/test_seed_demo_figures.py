"""After ``seed_demo`` the dashboard has figures: the demo's validated reports, loaded in bulk
without the validation service, are put into the analysis table too."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from activities.models import ReportRow, ReportStatus
from analysis import measures, selectors
from analysis.forms import default_range
from analysis.models import Reach
from bulletins.models import Bulletin
from strategy.models import StrategyCycle
from tests.assessments.workflow_helpers import domains

pytestmark = pytest.mark.django_db


def _validated_rows():
    return ReportRow.objects.filter(report__status=ReportStatus.VALIDATED)


SEEDED_AT = datetime.datetime(2027, 3, 17, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def seeded(time_machine):
    time_machine.move_to(SEEDED_AT)
    domains()
    call_command("seed_demo", stdout=StringIO())


def _bulletins() -> list[tuple[int, str, datetime.date, datetime.date]]:
    return list(
        Bulletin.objects.filter(published_at__isnull=False)
        .order_by("number")
        .values_list("number", "language", "first_month", "last_month")
    )


def test_the_demo_publishes_the_last_quarter_in_both_languages(seeded):
    quarter = (datetime.date(2026, 10, 1), datetime.date(2026, 12, 1))
    assert _bulletins() == [(1, "en", *quarter), (2, "ar", *quarter)]


def test_a_run_in_a_later_quarter_adds_its_bulletins_and_keeps_the_others(seeded, time_machine):
    time_machine.move_to(SEEDED_AT + datetime.timedelta(days=10))
    call_command("seed_demo", stdout=StringIO())
    assert len(_bulletins()) == 2

    time_machine.move_to(datetime.datetime(2027, 4, 2, 9, 0, tzinfo=datetime.UTC))
    call_command("seed_demo", stdout=StringIO())

    quarter = (datetime.date(2027, 1, 1), datetime.date(2027, 3, 1))
    assert _bulletins()[2:] == [(3, "en", *quarter), (4, "ar", *quarter)]


def test_seeded_two_years_on_the_home_page_and_dashboard_show_that_years_figures(
    client, time_machine
):
    """The demo is not tied to the year it was written in."""
    time_machine.move_to(datetime.datetime(2028, 12, 6, 12, 0, tzinfo=datetime.UTC))
    domains()
    call_command("seed_demo", stdout=StringIO())

    assert StrategyCycle.objects.get(is_current=True).start_year == 2028
    home = client.get("/en/").content.decode()
    people = int(re.search(r'id="figure-people">([\d,]+)<', home).group(1).replace(",", ""))
    assert people > 0
    months = client.get(reverse("analysis:overview")).context["months"]
    assert months[-1]["month"] == datetime.date(2028, 12, 1)
    assert all(month["people"] > 0 for month in months[:-1])


def test_after_seed_demo_the_dashboard_shows_the_validated_figures(seeded):
    first, last = default_range()
    filters = selectors.Filters(first_month=first, last_month=last)
    figures = selectors.key_figures(filters)
    assert measures.headline(filters).people > 0
    assert figures.partners_reporting > 0
    assert figures.areas_covered > 0
    assert Reach.objects.count() == _validated_rows().count() > 0


def test_seeding_the_demo_again_keeps_one_figure_per_validated_row(seeded):
    call_command("seed_demo", stdout=StringIO())

    assert Reach.objects.count() == _validated_rows().count()


def test_the_large_dataset_is_refused_on_top_of_the_demo(seeded):
    rows = ReportRow.objects.count()

    with pytest.raises(CommandError, match="holds data"):
        call_command("seed_demo", scale=5000, stdout=StringIO())

    assert ReportRow.objects.count() == rows
