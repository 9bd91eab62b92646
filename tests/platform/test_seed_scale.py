"""``seed_demo --scale N``: a large, consistent dataset, loaded into an empty database only."""

import datetime
import importlib
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce

from activities.models import (
    SEX_AND_AGE,
    Activity,
    Collects,
    Report,
    ReportingPeriod,
    ReportRow,
    ReportStatus,
)
from analysis.models import Reach
from assessments.models import Assessment, AssessmentStatus, Finding
from locations.models import AdminArea, AdminLevel
from partners.models import Organisation, OrganisationStatus, OrganisationType
from projects.models import FundingUpdate, PlannedActivity, Project, ProjectShare
from strategy.models import Indicator, IndicatorKind, StrategyCycle
from tests.text import has_phrase

pytestmark = pytest.mark.django_db

ROWS = 5000
ROOT = Path(__file__).resolve().parents[2]
# Variables that would take the subprocess off its own SQLite database.
NOT_EMBEDDED = {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "MEDIA_ROOT"}


def _validated_rows():
    return ReportRow.objects.filter(report__status=ReportStatus.VALIDATED)


# The five years end with the month the dataset is loaded in.
LOADED_ON = datetime.datetime(2026, 12, 6, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(scope="module")
def scaled(django_db_setup, django_db_blocker):
    """The dataset loaded once for the module, in a transaction rolled back after it."""
    travel = time_machine.travel(LOADED_ON)
    with travel, django_db_blocker.unblock(), transaction.atomic():
        # A transactional test run before this module may have emptied the migration's data.
        importlib.import_module("strategy.migrations.0002_standard_health_domains").add_domains(
            apps, None
        )
        output = StringIO()
        call_command("seed_demo", scale=ROWS, stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)


def test_it_loads_the_rows_asked_for_and_reports_its_timings(scaled):
    assert ReportRow.objects.count() == ROWS
    assert "report rows:" in scaled
    assert "total:" in scaled
    assert "Large dataset ready." in scaled


def test_it_builds_a_country_of_governorates_and_districts_in_two_languages(scaled):
    assert AdminArea.objects.filter(level=0).count() == 1
    assert AdminArea.objects.filter(level=1).count() == 20
    districts = AdminArea.objects.filter(level=2)
    assert districts.count() == 300
    assert not districts.filter(Q(name_ar="") | Q(name_en="")).exists()
    # The path is what every "inside this area" query relies on.
    district = districts.select_related("parent__parent").first()
    country, governorate = district.parent.parent, district.parent
    assert district.path == f"/{country.pcode}/{governorate.pcode}/{district.pcode}/"
    assert AdminArea.objects.within(governorate).filter(level=2).exists()


def test_every_area_has_a_boundary_and_a_population(scaled):
    from locations.models import AreaBoundary, AreaPopulation

    # The loader found the seeded areas as they were: boundaries added, no area renamed.
    assert AreaBoundary.objects.count() == AdminArea.objects.count() == 321
    assert not AreaBoundary.objects.filter(outline=None).exists()
    governorate = AdminArea.objects.filter(level=1).first()
    districts = AreaPopulation.objects.filter(area__parent=governorate)
    assert sum(districts.values_list("total", flat=True)) == (
        AreaPopulation.objects.get(area=governorate).total
    )


def test_organisations_of_every_main_type_are_approved(scaled):
    organisations = Organisation.objects.all()
    assert organisations.count() == 150
    assert not organisations.exclude(status=OrganisationStatus.APPROVED).exists()
    types = set(organisations.values_list("type", flat=True))
    assert {
        OrganisationType.UN_AGENCY,
        OrganisationType.INTERNATIONAL_NGO,
        OrganisationType.NATIONAL_NGO,
        OrganisationType.GOVERNMENT,
        OrganisationType.RED_CROSS,
    } <= types
    assert not organisations.filter(name_ar="").exists()


def test_the_strategy_has_indicators_of_both_rules_and_a_catalogue_of_forty(scaled):
    cycle = StrategyCycle.objects.get(is_current=True)
    assert cycle.people_targeted > 0
    indicators = Indicator.objects.filter(cycle=cycle)
    assert indicators.count() == 12
    assert indicators.filter(kind=IndicatorKind.PEOPLE_ONCE).exists()
    assert indicators.filter(kind=IndicatorKind.COUNT).exists()
    assert indicators.filter(kind=IndicatorKind.LATEST).exists()
    assert Activity.objects.count() == 40
    assert not Activity.objects.filter(domains=None).exists()


def test_sixty_monthly_periods_end_with_the_current_month(scaled):
    periods = list(ReportingPeriod.objects.order_by("year", "month"))
    assert len(periods) == 60
    assert (periods[0].year, periods[0].month) == (2022, 1)
    assert (periods[-1].year, periods[-1].month) == (2026, 12)


def test_report_states_are_mixed_and_mostly_validated(scaled):
    statuses = dict(Report.objects.values_list("status").annotate(n=Count("pk")))
    assert statuses[ReportStatus.VALIDATED] > 0.8 * sum(statuses.values())
    assert {ReportStatus.SUBMITTED, ReportStatus.DRAFT, ReportStatus.RETURNED} <= set(statuses)
    # The current month is still being reported: nothing of it is validated.
    current = Report.objects.filter(period__year=2026, period__month=12)
    assert current.exists()
    assert not current.filter(status=ReportStatus.VALIDATED).exists()
    # One report per organisation and month (the database says so too).
    assert Report.objects.values("organisation", "period").distinct().count() == len(
        Report.objects.all()
    )


def test_figures_add_up(scaled):
    by_group = ReportRow.objects.filter(activity__collects=Collects.GROUPS)
    assert by_group.exists()
    added = sum((Coalesce(name, 0) for name in SEX_AND_AGE), start=Value(0))
    assert not by_group.exclude(total=added).exists()
    # The groups an activity does not count stay empty.
    for name in SEX_AND_AGE:
        undeclared = {f"activity__counts_{name}": False, f"{name}__isnull": False}
        assert not by_group.filter(**undeclared).exists()
    assert by_group.filter(activity__counts_women=False, girls__isnull=False).exists()
    assert not ReportRow.objects.filter(older_people__gt=F("total")).exists()
    assert not ReportRow.objects.filter(people_with_disabilities__gt=F("total")).exists()
    assert ReportRow.objects.filter(older_people__isnull=False).exists()
    assert ReportRow.objects.filter(people_with_disabilities__isnull=False).exists()
    single = ReportRow.objects.filter(activity__collects=Collects.COUNT)
    assert single.exists()
    assert not single.filter(girls__isnull=False).exists()
    assert not ReportRow.objects.filter(total__lt=1).exists()


def test_the_analysis_table_holds_exactly_the_validated_rows(scaled):
    validated = _validated_rows()
    # Rows of one report for the same activity, area and implementer are summed into one.
    assert Reach.objects.aggregate(s=Sum("rows"))["s"] == validated.count() < ROWS
    assert Reach.objects.count() < validated.count()
    assert Reach.objects.aggregate(s=Sum("total"))["s"] == validated.aggregate(s=Sum("total"))["s"]
    assert not Reach.objects.filter(admin1=None).exists()


def test_some_activities_overlap_but_most_do_not(scaled):
    groups = Reach.objects.values("activity", "area", "month").annotate(
        implementers=Count("implementing_organisation", distinct=True)
    )
    overlapping = groups.filter(implementers__gte=2).count()
    assert 0 < overlapping < groups.count() / 2


def test_assessments_are_published_with_findings_at_both_levels(scaled):
    published = Assessment.objects.filter(status=AssessmentStatus.PUBLISHED)
    assert 190 <= published.count() <= 210
    assert published.filter(is_restricted=True).exists()
    assert published.filter(is_restricted=False).count() > published.count() / 2
    assert Assessment.objects.exclude(status=AssessmentStatus.PUBLISHED).exists()
    findings = Finding.objects.all()
    assert 4000 <= findings.count() <= 6000
    assert set(findings.values_list("area__level", flat=True)) == {1, 2}
    severities = dict(findings.values_list("severity").annotate(n=Count("pk")))
    assert set(severities) == {1, 2, 3, 4, 5}
    assert severities[3] > severities[5]
    assert not findings.filter(people_in_need__isnull=True).exists()


def test_projects_are_accepted_with_whole_splits_funding_and_planned_activities(scaled):
    # 5,000 rows make two projects at one per 2,000; ten at the least.
    projects = Project.objects.all()
    assert projects.count() == 10
    assert set(projects.values_list("state", flat=True)) == {"accepted"}
    by_objective = ProjectShare.objects.filter(objective__isnull=False).values("project")
    assert set(by_objective.annotate(t=Sum("share_percent")).values_list("t", flat=True)) == {100}
    by_area = ProjectShare.objects.filter(area__isnull=False).values("project")
    assert set(by_area.annotate(t=Sum("share_percent")).values_list("t", flat=True)) == {100}
    # Loaded on 6 December 2026: the updates of 15 January, April and July are all past.
    assert FundingUpdate.objects.count() == 30
    assert PlannedActivity.objects.filter(project__in=projects).count() >= 10


def test_every_district_has_a_caseload_that_rolls_up_to_its_governorate(scaled):
    from planning.models import Caseload
    from planning.selectors import caseloads_by_area
    from strategy.models import StrategyCycle

    cycle = StrategyCycle.objects.get(is_current=True)
    every_group = Caseload.objects.filter(cycle=cycle, area__level=AdminLevel.ADMIN2)
    assert every_group.filter(group="all").count() == 300
    assert every_group.count() == 300 * 5
    assert not Caseload.objects.filter(area__level=AdminLevel.ADMIN1).exists()
    governorates = caseloads_by_area(cycle, 1)
    assert len(governorates) == 20
    whole = [groups["all"] for groups in governorates.values()]
    assert all(0 < figures.targeted < figures.in_need for figures in whole)


def test_it_refuses_to_load_on_top_of_existing_data(scaled):
    with pytest.raises(CommandError, match="empty database"):
        call_command("seed_demo", scale=ROWS, stdout=StringIO())
    assert ReportRow.objects.count() == ROWS


def test_it_falls_back_to_batches_on_sqlite(tmp_path):
    """The embedded mode has no COPY: the rows go in with bulk_create, the figures alike."""
    environ = {key: value for key, value in os.environ.items() if key not in NOT_EMBEDDED}
    environ["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    environ["MEDIA_ROOT"] = str(tmp_path / "media")

    def manage(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=environ,
            capture_output=True,
            text=True,
            timeout=300,
        )

    migrate = manage("migrate", "--noinput")
    assert migrate.returncode == 0, migrate.stdout + migrate.stderr
    loaded = manage("seed_demo", "--scale", "1200")
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    assert has_phrase(loaded.stdout, "  rows: 1,200")
    validated = int(loaded.stdout.split("reports validated: ")[1].split()[0].replace(",", ""))
    reach = int(loaded.stdout.split("analysis rows: ")[1].split()[0].replace(",", ""))
    assert 0 < reach < 1200
    assert validated > 0
    again = manage("seed_demo", "--scale", "1200")
    assert again.returncode != 0
    assert "empty database" in again.stderr
