"""The summary table follows the reports: validated rows count, reopened ones stop counting."""

import pytest
from django.db import connection

from activities.models import ReportStatus
from activities.services.reports import report_reopen, report_validate
from analysis.measures import headline
from analysis.models import Reach
from analysis.selectors import Filters
from analysis.services import rebuild_all, refresh_report
from tests.activities.factories import ReportFactory
from tests.analysis.dataset import APR, JAN
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RANGE = Filters(first_month=JAN, last_month=APR)


def test_validating_a_report_adds_its_rows_and_reopening_removes_them(data):
    coordinator = UserFactory(is_coordinator=True)
    submitted = ReportFactory._meta.model.objects.get(status=ReportStatus.SUBMITTED)
    report_validate(report=submitted, by=coordinator)
    assert headline(RANGE).people == 340 - 40 + 777  # South One: 777 in January, not 40
    report_reopen(report=submitted, by=coordinator)
    assert headline(RANGE).people == 340


def test_a_row_carries_its_month_and_admin_areas(data):
    fact = Reach.objects.get(activity=data.kits)
    assert fact.month == JAN
    assert (fact.admin1_id, fact.admin2_id, fact.area_id) == (data.north.pk, data.n2.pk, data.n2.pk)
    assert fact.indicator_id == data.kits_indicator.pk


def test_rebuild_matches_refreshing_each_report(data):
    before = sorted(Reach.objects.values_list("report_id", "area_id", "total"))
    Reach.objects.all().delete()
    for report in ReportFactory._meta.model.objects.all():
        refresh_report(report.pk)
    assert sorted(Reach.objects.values_list("report_id", "area_id", "total")) == before
    assert rebuild_all() == len(before) == 9


def test_moving_an_activity_to_another_indicator_moves_its_figures(data):
    data.kits.indicator = data.summed
    data.kits.save()
    assert set(Reach.objects.filter(activity=data.kits).values_list("indicator", flat=True)) == {
        data.summed.pk
    }


def _pages_of_the_table() -> tuple[int, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relpages, relallvisible FROM pg_class WHERE relname = 'analysis_reach'"
        )
        return cursor.fetchone()


@pytest.mark.django_db(transaction=True)
def test_a_rebuilt_table_is_vacuumed_so_the_dashboards_read_its_indexes_alone(data):
    rebuild_all()
    pages, all_visible = _pages_of_the_table()
    assert pages >= 1
    assert all_visible == pages
