"""The report workflow's services: every transition, and each one refused in a wrong state."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from activities.models import ReportStatus, RowStatus, ValidatedVersion
from activities.services.reports import (
    RowInput,
    report_reopen,
    report_request_correction,
    report_return,
    report_save_rows,
    report_start,
    report_submit,
    report_validate,
)
from partners.models import OrganisationStatus
from tests.activities.factories import ReportFactory, ReportRowFactory
from tests.activities.test_reports_helpers import make_setup


@pytest.fixture
def s(world):
    return make_setup(world)


def good_row(s, **overrides) -> RowInput:
    values = {
        "activity": s.activity,
        "area": s.district,
        "status": RowStatus.ONGOING,
        "implementing_organisation": s.world.org_a,
        "girls": 10,
        "boys": 10,
        "women": 20,
        "men": 10,
        "total": 50,
    }
    values.update(overrides)
    return RowInput(**values)


def submitted(s):
    report_save_rows(report=s.report, by=s.world.user("focal"), rows=[good_row(s)])
    return report_submit(report=s.report, by=s.world.user("focal"))


# --- start ---------------------------------------------------------------------------------------


def test_it_reuses_the_existing_report_instead_of_making_a_second_one(s):
    report, created = report_start(
        by=s.world.user("staff"), organisation=s.world.org_a, period=s.open_period
    )
    assert report == s.report
    assert created is False
    assert s.world.org_a.activity_reports.filter(period=s.open_period).count() == 1


def test_it_refuses_to_start_a_report_for_a_closed_period(s):
    with pytest.raises(ValidationError, match="closed"):
        report_start(by=s.world.user("focal"), organisation=s.world.org_a, period=s.closed_period)


def test_it_refuses_a_member_of_another_organisation(s):
    with pytest.raises(PermissionDenied):
        report_start(
            by=s.world.user("other_member"), organisation=s.world.org_a, period=s.closed_period
        )


def test_it_refuses_a_suspended_organisation(s):
    s.world.org_b.status = OrganisationStatus.SUSPENDED
    s.world.org_b.save()
    with pytest.raises(PermissionDenied):
        report_start(
            by=s.world.user("other_member"), organisation=s.world.org_b, period=s.open_period
        )


def test_it_copies_last_months_rows_with_their_figures_when_asked(s):
    earlier = ReportFactory(organisation=s.world.org_b, period=s.closed_period)
    ReportRowFactory(report=earlier, activity=s.activity, area=s.district, status="completed")
    ReportRowFactory(
        report=earlier,
        activity=s.total_only,
        area=s.other_district,
        girls=None,
        boys=None,
        women=None,
        men=None,
        total=7,
    )
    report, created = report_start(
        by=s.world.user("other_member"),
        organisation=s.world.org_b,
        period=s.open_period,
        copy_previous=True,
    )
    assert created
    rows = list(report.rows.order_by("order", "pk"))
    assert [(row.activity, row.total, row.status) for row in rows] == [
        (s.activity, 50, "completed"),
        (s.total_only, 7, "completed"),
    ]
    assert earlier.rows.count() == 2


def test_a_coordinator_starts_a_report_on_the_partners_behalf(s):
    report, created = report_start(
        by=s.world.user("coordinator"), organisation=s.world.org_b, period=s.closed_period
    )
    assert created
    assert report.entered_by_coordinator
    assert report.history.first().history_user == s.world.user("coordinator")


# --- rows ----------------------------------------------------------------------------------------


def test_it_saves_rows_and_keeps_their_identity_on_the_next_save(s):
    report_save_rows(report=s.report, by=s.world.user("staff"), rows=[good_row(s)])
    row = s.report.rows.get()
    report_save_rows(
        report=s.report, by=s.world.user("staff"), rows=[good_row(s, pk=row.pk, donor="ECHO")]
    )
    assert s.report.rows.get().pk == row.pk
    assert s.report.rows.get().donor == "ECHO"


def test_it_saves_nothing_when_one_row_is_wrong(s):
    with pytest.raises(ValidationError) as error:
        report_save_rows(
            report=s.report,
            by=s.world.user("staff"),
            rows=[good_row(s), good_row(s), good_row(s, total=99)],
        )
    assert "Row 3:" in error.value.messages[0]
    assert not s.report.rows.exists()


def test_it_refuses_rows_with_both_implementers(s):
    with pytest.raises(ValidationError, match="one or the other"):
        report_save_rows(
            report=s.report,
            by=s.world.user("staff"),
            rows=[good_row(s, implementing_other="Local clinic")],
        )


def test_it_refuses_to_change_a_submitted_report_for_the_partner(s):
    submitted(s)
    with pytest.raises(ValidationError, match="submitted"):
        report_save_rows(report=s.report, by=s.world.user("staff"), rows=[good_row(s)])


def test_a_coordinator_fixes_a_submitted_report_and_history_records_who(s):
    submitted(s)
    report_save_rows(
        report=s.report, by=s.world.user("coordinator"), rows=[good_row(s, donor="CERF")]
    )
    s.report.refresh_from_db()
    assert s.report.entered_by_coordinator
    assert s.report.rows.get().history.first().history_user == s.world.user("coordinator")


# --- submission and review -----------------------------------------------------------------------


def test_submitting_records_when_and_who(s):
    report = submitted(s)
    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_by == s.world.user("focal")
    assert report.submitted_at is not None


def test_it_refuses_to_submit_an_empty_report(s):
    with pytest.raises(ValidationError, match="at least one row"):
        report_submit(report=s.report, by=s.world.user("focal"))


def test_it_refuses_to_submit_twice(s):
    submitted(s)
    with pytest.raises(ValidationError, match="only a draft or a returned report"):
        report_submit(report=s.report, by=s.world.user("focal"))


def test_it_refuses_to_submit_in_a_closed_period(s):
    report = ReportFactory(organisation=s.world.org_a, period=s.closed_period)
    ReportRowFactory(report=report, activity=s.activity, area=s.district)
    with pytest.raises(ValidationError, match="closed"):
        report_submit(report=report, by=s.world.user("focal"))


def test_a_suspended_organisation_cannot_submit(s):
    report_save_rows(report=s.report, by=s.world.user("focal"), rows=[good_row(s)])
    s.world.org_a.status = OrganisationStatus.SUSPENDED
    s.world.org_a.save()
    with pytest.raises(PermissionDenied):
        report_submit(report=s.report, by=s.world.user("focal"))


def test_validating_keeps_a_snapshot_of_the_rows(s):
    submitted(s)
    report = report_validate(report=s.report, by=s.world.user("coordinator"))
    assert report.status == ReportStatus.VALIDATED
    assert report.validated_by == s.world.user("coordinator")
    version = ValidatedVersion.objects.get(report=report)
    assert version.version == 1
    assert version.rows[0]["total"] == 50
    assert version.rows[0]["area_pcode"] == "ZZ0101"


def test_only_coordinators_validate(s):
    submitted(s)
    with pytest.raises(PermissionDenied):
        report_validate(report=s.report, by=s.world.user("focal"))


def test_it_refuses_to_validate_a_draft(s):
    with pytest.raises(ValidationError, match="only a submitted report"):
        report_validate(report=s.report, by=s.world.user("coordinator"))


def test_returning_puts_comments_on_the_report_and_its_rows(s):
    submitted(s)
    row = s.report.rows.get()
    report = report_return(
        report=s.report,
        by=s.world.user("coordinator"),
        comment="Check the figures.",
        row_comments={row.pk: "Women look too many."},
    )
    assert report.status == ReportStatus.RETURNED
    assert report.review_comment == "Check the figures."
    row.refresh_from_db()
    assert row.review_comment == "Women look too many."
    # The partner corrects and submits again.
    report_submit(report=report, by=s.world.user("staff"))


def test_it_refuses_to_return_without_a_comment(s):
    submitted(s)
    with pytest.raises(ValidationError):
        report_return(report=s.report, by=s.world.user("coordinator"), comment=" ")


def test_it_refuses_to_return_a_draft(s):
    with pytest.raises(ValidationError, match="only a submitted report"):
        report_return(report=s.report, by=s.world.user("coordinator"), comment="No")


# --- correction of a validated report ------------------------------------------------------------


def validated(s):
    submitted(s)
    return report_validate(report=s.report, by=s.world.user("coordinator"))


def test_the_partner_requests_a_correction_with_a_reason(s):
    validated(s)
    report = report_request_correction(
        report=s.report, by=s.world.user("staff"), reason="We counted a district twice."
    )
    assert report.status == ReportStatus.CORRECTION_REQUESTED
    assert report.correction_reason == "We counted a district twice."


def test_it_refuses_a_correction_request_for_a_draft(s):
    with pytest.raises(ValidationError, match="validated"):
        report_request_correction(report=s.report, by=s.world.user("staff"), reason="x")


def test_it_refuses_a_correction_request_without_a_reason(s):
    validated(s)
    with pytest.raises(ValidationError):
        report_request_correction(report=s.report, by=s.world.user("staff"), reason="")


def test_reopening_makes_a_new_version_and_keeps_the_old_one(s):
    validated(s)
    report_request_correction(report=s.report, by=s.world.user("staff"), reason="Typo")
    report = report_reopen(report=s.report, by=s.world.user("coordinator"))
    assert report.status == ReportStatus.DRAFT
    assert report.version == 2
    row = report.rows.get()
    report_save_rows(
        report=report,
        by=s.world.user("staff"),
        rows=[good_row(s, pk=row.pk, girls=20, total=60)],
    )
    report_submit(report=report, by=s.world.user("staff"))
    report_validate(report=report, by=s.world.user("coordinator"))
    versions = {v.version: v.rows[0]["total"] for v in report.versions.all()}
    assert versions == {1: 50, 2: 60}


def test_it_refuses_to_reopen_a_draft(s):
    with pytest.raises(ValidationError):
        report_reopen(report=s.report, by=s.world.user("coordinator"))


def test_only_coordinators_reopen(s):
    validated(s)
    with pytest.raises(PermissionDenied):
        report_reopen(report=s.report, by=s.world.user("focal"))
