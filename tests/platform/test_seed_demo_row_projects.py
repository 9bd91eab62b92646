"""``seed_demo`` names, on the 4W rows of organisations with accepted projects, the project
covering each row's area and month, keeps the validated versions' frozen rows the same as the
rows, and leaves last month's monitoring period closed and this month's open; a second run
changes none of it."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from activities.models import ReportRow, ValidatedVersion
from activities.services.reports import snapshot
from monitoring.models import FrozenFigures, MonitoringPeriod
from projects.models import Project
from projects.selectors import covers, projects_for_rows
from tests.assessments.workflow_helpers import domains

pytestmark = pytest.mark.django_db

# As tests/platform/test_seed_demo_projects.py: mid-March 2027.
SEEDED_AT = datetime.datetime(2027, 3, 17, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def seeded(time_machine):
    time_machine.move_to(SEEDED_AT)
    domains()
    call_command("seed_demo", stdout=StringIO())


def _state() -> tuple:
    return (
        sorted(ReportRow.objects.values_list("pk", "project_id")),
        sorted(ValidatedVersion.objects.values_list("pk", "rows")),
        sorted(MonitoringPeriod.objects.values_list("pk", "closed_at")),
        FrozenFigures.objects.count(),
    )


def test_rows_name_the_project_covering_their_area_and_month(seeded):
    named = ReportRow.objects.filter(project__isnull=False).select_related(
        "report__organisation", "report__period", "area", "project"
    )
    assert named.count() > 100
    for row in named:
        report = row.report
        assert row.project.organisation_id == report.organisation_id
        candidates = projects_for_rows(report.organisation, report.period.first_day)
        project = next(p for p in candidates if p.pk == row.project_id)
        assert covers(project, row.area)
    # A row left without one has no project of its organisation covering it.
    for row in ReportRow.objects.filter(project__isnull=True).select_related(
        "report__organisation", "report__period", "area"
    )[:200]:
        candidates = projects_for_rows(row.report.organisation, row.report.period.first_day)
        assert not any(covers(project, row.area) for project in candidates)


def test_the_validated_versions_freeze_the_rows_with_their_projects(seeded):
    versions = ValidatedVersion.objects.filter(report__rows__project__isnull=False).distinct()
    assert versions.exists()
    for version in versions.select_related("report"):
        assert version.rows == snapshot(version.report)
        assert any(row["project_code"] for row in version.rows)


def test_a_project_page_counts_the_rows_reported_under_it(seeded, client):
    client.force_login(get_user_model().objects.get(email="coordinator@demo.local"))
    project = Project.objects.get(plan_code="HDL26-HEA-001")
    rows = ReportRow.objects.filter(project=project, report__status="validated").count()
    assert rows > 0
    page = client.get(reverse("projects:detail", args=[project.pk]))
    assert f"{rows} rows in validated 4W reports of the organisation" in page.content.decode()


def test_last_month_is_closed_and_this_month_open(seeded):
    periods = dict(MonitoringPeriod.objects.values_list("first_month", "closed_at"))
    assert {month: closed is not None for month, closed in periods.items()} == {
        datetime.date(2027, 2, 1): True,
        datetime.date(2027, 3, 1): False,
    }
    frozen = FrozenFigures.objects.get(period__first_month=datetime.date(2027, 2, 1))
    assert {row["period_start"] for row in frozen.rows} == {"2027-02-01"}


def test_a_second_run_changes_nothing(seeded):
    before = _state()
    call_command("seed_demo", stdout=StringIO())
    assert _state() == before
