"""The demo activity reports: twelve months and the open one, every state, figures that add up."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from activities.models import (
    SEX_AND_AGE,
    Activity,
    Collects,
    PeriodReopening,
    Report,
    ReportingPeriod,
    ReportRow,
    ReportStatus,
    ValidatedVersion,
)
from demo import activities as demo
from demo import locations as locations_demo
from demo import partners as partners_demo
from demo import strategy as strategy_demo
from tests.assessments.workflow_helpers import domains

pytestmark = pytest.mark.django_db


SEEDED_AT = datetime.datetime(2027, 3, 17, 12, 0, tzinfo=ZoneInfo("UTC"))


@pytest.fixture
def seeded(time_machine):
    time_machine.move_to(SEEDED_AT)
    domains()
    locations_demo.seed()
    partners_demo.seed()
    strategy_demo.seed()
    return demo.seed()


def _new(summary: str) -> tuple[int, int]:
    """The new reports and new rows a seed's summary line gives."""
    found = re.search(r"\((\d+) new, (\d+) new rows\)", summary)
    return int(found.group(1)), int(found.group(2))


def _counts() -> dict:
    return {
        "activities": Activity.history.count(),
        "periods": ReportingPeriod.history.count(),
        "reports": Report.history.count(),
        "rows": ReportRow.history.count(),
        "reopenings": PeriodReopening.history.count(),
        "snapshots": ValidatedVersion.objects.count(),
    }


def test_running_the_seed_again_changes_nothing(seeded):
    before = _counts()
    assert _new(seeded) == (Report.objects.count(), ReportRow.objects.count())
    assert min(_new(seeded)) > 0

    assert _new(demo.seed()) == (0, 0)
    assert _counts() == before


def test_it_makes_twelve_past_periods_and_the_open_one(seeded):
    periods = [(p.year, p.month) for p in ReportingPeriod.objects.order_by("-year", "-month")]
    assert periods == [(2027, 3), (2027, 2), (2027, 1)] + [(2026, m) for m in range(12, 2, -1)]
    assert ReportingPeriod.objects.get(year=2027, month=3).is_open()
    # Every past month's deadline, the 10th of the month after it, has passed on 17 March.
    locked = [(p.year, p.month) for p in ReportingPeriod.objects.all() if p.is_locked()]
    assert sorted(locked, reverse=True) == periods[1:]


def test_a_run_in_a_later_month_adds_that_month_and_duplicates_nothing(seeded, time_machine):
    before = {(r.organisation_id, r.period_id) for r in Report.objects.all()}
    time_machine.move_to(SEEDED_AT + datetime.timedelta(days=31))

    reports, rows = _new(demo.seed())

    april = ReportingPeriod.objects.get(year=2027, month=4)
    assert april.is_open()
    assert ReportingPeriod.objects.count() == 14
    after = [(r.organisation_id, r.period_id) for r in Report.objects.all()]
    assert len(after) == len(set(after)) == len(before) + reports
    # April's reports, and March's from partners who had not started it a month before.
    march = ReportingPeriod.objects.get(year=2027, month=3)
    assert {period for _, period in set(after) - before} == {april.pk, march.pk}
    assert reports > 0
    assert rows >= 3 * reports


def test_reports_are_in_every_state_and_some_months_are_missing(seeded):
    assert set(Report.objects.values_list("status", flat=True)) == set(ReportStatus.values)
    validated = Report.objects.filter(status=ReportStatus.VALIDATED).select_related("period")
    assert validated.count() > Report.objects.count() / 2
    late = [r for r in validated if r.submitted_at > r.period.deadline]
    assert 0 < len(late) < validated.count() / 3
    reopened = set(PeriodReopening.objects.values_list("organisation", "period"))
    assert {(r.organisation_id, r.period_id) for r in late} <= reopened
    organisations = Report.objects.values("organisation").distinct().count()
    assert 10 <= organisations <= 14
    assert Report.objects.count() < organisations * ReportingPeriod.objects.count()


def test_a_returned_report_carries_a_comment_on_one_of_its_rows(seeded):
    returned = Report.objects.get(status=ReportStatus.RETURNED)
    assert returned.review_comment
    assert returned.rows.exclude(review_comment="").count() == 1
    assert Report.objects.get(status=ReportStatus.CORRECTION_REQUESTED).correction_reason


def test_every_report_has_three_to_eight_lines_in_demoland_districts(seeded):
    # A line is an activity in an area; deaths or verified alerts come with their line of
    # cases treated or alerts received, in the same area, as the numerator of a rate.
    followers = {"CHOLERA-DEATH": "CHOLERA-TRT", "ALERT-INV": "ALERT-RECV"}
    for report in Report.objects.prefetch_related("rows__area", "rows__activity"):
        rows = list(report.rows.all())
        lines = [row for row in rows if row.activity.code not in followers]
        assert 3 <= len(lines) <= 8
        reported = {(row.activity.code, row.area_id) for row in rows}
        for row in rows:
            if row.activity.code in followers:
                assert (followers[row.activity.code], row.area_id) in reported
        assert all(row.area.level == 2 and row.area.pcode.startswith("DL") for row in rows)
    sizes = [r.rows.count() for r in Report.objects.all()]
    assert max(sizes) >= 6


def test_rows_name_other_implementers_and_donors(seeded):
    rows = ReportRow.objects.select_related("report")
    assert rows.exclude(implementing_other="").exists()
    other_partner = [
        r
        for r in rows.exclude(implementing_organisation=None)
        if r.implementing_organisation_id != r.report.organisation_id
    ]
    assert other_partner
    assert set(rows.values_list("donor", flat=True)) <= set(demo.DONORS)


def test_figures_add_up(seeded):
    for row in ReportRow.objects.select_related("activity"):
        activity = row.activity
        others = [getattr(row, name) for name in SEX_AND_AGE if name not in activity.groups]
        assert others == [None] * len(others)
        added = sum(getattr(row, name) for name in activity.groups)
        if activity.collects == Collects.GROUPS:
            assert added == row.total
        elif activity.collects == Collects.BOTH:
            assert added <= row.total
        if row.older_people is not None:
            assert activity.counts_older_people
            assert row.older_people <= row.total
        if row.people_with_disabilities is not None:
            assert activity.counts_disability
            assert row.people_with_disabilities <= row.total


def test_the_demo_catalogue_asks_each_activity_for_the_groups_that_apply(seeded):
    collects = {a.code: (a.collects, a.groups) for a in Activity.objects.all()}
    assert collects["MEASLES-VAC"] == (Collects.GROUPS, ("girls", "boys"))
    assert collects["ANC-VISIT"] == (Collects.GROUPS, ("women",))
    assert collects["MOB-CLINIC"] == (Collects.COUNT, ())
    assert collects["TRAUMA-CARE"] == (Collects.BOTH, ("girls", "boys", "women", "men"))
    # Trauma care counts people not broken down by sex and age in some months.
    trauma = ReportRow.objects.filter(activity__code="TRAUMA-CARE")
    assert trauma.exists()
    assert any(row.total > row.girls + row.boys + row.women + row.men for row in trauma)


def test_the_catalogue_measures_every_indicator_of_the_current_strategy(seeded):
    from strategy.models import Indicator

    current = Indicator.objects.filter(cycle__is_current=True)
    measured = set(Activity.objects.values_list("indicator", flat=True)) | set(
        Activity.objects.values_list("also_counts_towards", flat=True)
    )
    assert set(current.values_list("pk", flat=True)) <= measured
    for rate in current.filter(kind="rate"):
        assert rate.numerator_activities.exists()
        assert rate.denominator_activities.exists()
    assert all(activity.domains.exists() for activity in Activity.objects.all())


def test_timestamps_are_in_the_past_and_in_order(seeded):
    now = timezone.now()
    for report in Report.objects.exclude(submitted_at=None).select_related("period"):
        assert report.period.opens_at <= report.submitted_at <= now
        if report.validated_at:
            assert report.submitted_at <= report.validated_at <= now


def test_validated_reports_keep_their_rows_as_version_one(seeded):
    validated = Report.objects.filter(
        status__in=[ReportStatus.VALIDATED, ReportStatus.CORRECTION_REQUESTED]
    ).prefetch_related("rows", "versions")
    for report in validated:
        (version,) = report.versions.all()
        assert version.version == 1
        assert [row["total"] for row in version.rows] == [row.total for row in report.rows.all()]


def test_the_demo_rows_pass_the_checks_partners_get_when_they_enter_rows(seeded):
    from activities.services.reports import FIGURES, RowInput, row_problems

    rows = ReportRow.objects.select_related("activity", "implementing_organisation", "area")
    problems = [
        problem
        for row in rows
        for problem in row_problems(
            RowInput(
                activity=row.activity,
                area=row.area,
                status=row.status,
                implementing_organisation=row.implementing_organisation,
                implementing_other=row.implementing_other,
                donor=row.donor,
                **{name: getattr(row, name) for name in FIGURES},
            )
        )
    ]
    assert problems == []
