"""After ``seed_demo`` the dashboard has figures: the demo's validated reports, loaded in bulk
without the validation service, are put into the analysis table too."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from activities.models import ReportRow, ReportStatus
from analysis import selectors
from analysis.forms import default_range
from analysis.models import Reach
from tests.assessments.workflow_helpers import domains

pytestmark = pytest.mark.django_db


def _validated_rows():
    return ReportRow.objects.filter(report__status=ReportStatus.VALIDATED)


@pytest.fixture
def seeded():
    domains()
    call_command("seed_demo", stdout=StringIO())


def test_after_seed_demo_the_dashboard_shows_the_validated_figures(seeded):
    first, last = default_range()
    figures = selectors.key_figures(selectors.Filters(first_month=first, last_month=last))
    assert figures.people_reached > 0
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
