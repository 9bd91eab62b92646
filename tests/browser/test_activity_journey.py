"""The monthly activity report journey in Chromium, as the people involved would go through it.

Farah, focal point of Pinecrest Health Action, starts the report for the open month from a copy
of last month's rows, changes a row's figures and submits it. Cora, a coordinator, returns it
with a comment on one row; Farah corrects that row and submits again; Cora validates it, and
the completeness page of the period shows the report as validated and on time.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from activities.models import Report, ReportRow, ReportStatus
from locations.models import AdminLevel
from partners.models import MemberRole
from tests.activities.factories import (
    ActivityFactory,
    PeriodFactory,
    ReportFactory,
    ReportRowFactory,
)
from tests.browser_fixtures import log_in
from tests.factories import (
    AdminAreaFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

# A 1 January: last month's report is December of the year before.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.time_machine(datetime.datetime(2027, 1, 1, 9, 0, tzinfo=datetime.UTC)),
]


def url(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs)


def _previous_month(today: datetime.date) -> tuple[int, int]:
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


@pytest.fixture
def last_month_report():
    """Pinecrest Health Action validated last month's report; this month's period is open."""
    north = AdminAreaFactory(pcode="ZZ01", name_en="North Hills", name_ar="التلال الشمالية")
    pinecrest = AdminAreaFactory(
        pcode="ZZ0101", name_en="Pinecrest", level=AdminLevel.ADMIN2, parent=north
    )
    stonebrook = AdminAreaFactory(
        pcode="ZZ0102", name_en="Stonebrook", level=AdminLevel.ADMIN2, parent=north
    )
    organisation = OrganisationFactory(name_en="Pinecrest Health Action", acronym="PHA")
    farah = UserFactory(email="farah@example.org", full_name="Farah Saleh")
    MembershipFactory(user=farah, organisation=organisation, role=MemberRole.FOCAL_POINT)
    UserFactory(email="cora@example.org", full_name="Cora Coordinator", is_coordinator=True)

    today = timezone.localdate()
    year, month = _previous_month(today)
    now = timezone.now()
    last = PeriodFactory(year=year, month=month)
    current = PeriodFactory(
        year=today.year,
        month=today.month,
        opens_at=now - datetime.timedelta(days=1),
        deadline=now + datetime.timedelta(days=14),
    )
    previous = ReportFactory(
        organisation=organisation,
        period=last,
        status=ReportStatus.VALIDATED,
        created_by=farah,
        submitted_by=farah,
        submitted_at=last.deadline - datetime.timedelta(days=2),
    )
    consultations = ActivityFactory(code="OPD", name_en="Outpatient consultations")
    vaccination = ActivityFactory(
        code="MEASLES", name_en="Measles vaccination", groups=("girls", "boys")
    )
    ReportRowFactory(
        report=previous, activity=consultations, area=pinecrest, donor="Pooled fund", order=1
    )
    ReportRowFactory(
        report=previous,
        activity=vaccination,
        area=stonebrook,
        girls=40,
        boys=35,
        order=2,
    )
    return organisation, current


def test_a_report_is_copied_returned_corrected_and_validated_on_time(
    open_context, last_month_report, mailoutbox
):
    organisation, period = last_month_report

    # Farah starts this month's report from a copy of last month's rows.
    farah = open_context()
    log_in(farah, "farah@example.org")
    farah.goto(url("activities:reports"))
    farah.get_by_role("link", name=f"Report for {period}").click()
    farah.get_by_label("Start from a copy of the rows of our last report").check()
    farah.get_by_role("button", name="Start the report").click()
    farah.wait_for_url(re.compile(r"/reports/\d+/edit/$"))
    assert farah.locator("#id_form-0-donor").input_value() == "Pooled fund"
    assert farah.locator("#id_form-1-girls").input_value() == "40"
    # The vaccination of children asks for girls and boys only.
    assert farah.locator("#id_form-1-women").count() == 0
    assert (
        farah.locator("[data-report-row]")
        .nth(1)
        .get_by_text("Figures of this activity: girls and boys.")
        .is_visible()
    )

    # She changes the consultations of the first row and submits.
    farah.fill("#id_form-0-girls", "30")
    farah.fill("#id_form-0-boys", "25")
    farah.fill("#id_form-0-total", "83")
    farah.get_by_role("button", name="Save and submit the report").click()
    farah.wait_for_url(re.compile(r"/reports/\d+/$"))
    assert farah.get_by_text(
        "The report is submitted. The coordinators will be told by email."
    ).count()
    report = Report.objects.get(organisation=organisation, period=period)
    assert report.status == ReportStatus.SUBMITTED
    assert list(report.rows.order_by("order").values_list("total", flat=True)) == [83, 75]

    # Cora returns it with a comment on the vaccination row.
    cora = open_context()
    log_in(cora, "cora@example.org")
    cora.goto(url("activities:report", pk=report.pk))
    cora.get_by_role("link", name="Return it for correction").click()
    cora.get_by_label("Comment to the organisation").fill("Please check the vaccination row.")
    cora.get_by_label("Comment on row 2").fill("Fewer girls than boys: is that right?")
    cora.get_by_role("button", name="Return with these comments").click()
    cora.wait_for_url(re.compile(rf"/reports/{report.pk}/$"))
    assert cora.get_by_text("The report is returned.", exact=False).count()
    assert any("farah@example.org" in message.to for message in mailoutbox)

    # Farah sees the comment on the row, corrects it and submits again.
    farah.goto(url("activities:report", pk=report.pk))
    assert farah.get_by_text("Please check the vaccination row.").count()
    farah.get_by_role("link", name="Correct the rows").click()
    commented = farah.locator("[data-report-row]").nth(1)
    assert commented.get_by_text("Fewer girls than boys: is that right?").count()
    farah.fill("#id_form-1-girls", "42")
    farah.fill("#id_form-1-boys", "39")
    farah.fill("#id_form-1-total", "81")
    farah.get_by_role("button", name="Save and submit the report").click()
    farah.wait_for_url(re.compile(rf"/reports/{report.pk}/$"))
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    corrected = ReportRow.objects.get(report=report, order=2)
    assert (corrected.girls, corrected.boys, corrected.total) == (42, 39, 81)

    # Cora validates it; the period page shows the report validated, and on time.
    cora.goto(url("activities:report", pk=report.pk))
    cora.get_by_role("link", name="Validate the report…").click()
    cora.wait_for_url(re.compile(r"/validate/"))
    # The confirmation says what validating does and whom it emails; only its button acts.
    assert cora.get_by_text("farah@example.org", exact=False).count()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    cora.get_by_role("button", name="Validate version 1").click()
    cora.wait_for_load_state()
    assert cora.get_by_text("Version 1 of the report is validated.", exact=False).count()
    cora.goto(url("activities:period_detail", pk=period.pk))
    line = cora.get_by_role("row", name=re.compile("Pinecrest Health Action"))
    assert line.get_by_text("Validated").count()
    assert cora.get_by_text("1 of 1 submitted reports came by the deadline", exact=False).count()
    report.refresh_from_db()
    assert report.status == ReportStatus.VALIDATED
    assert report.submitted_at <= period.deadline


def test_a_blank_row_asks_for_the_figures_of_the_activity_chosen(open_context, last_month_report):
    organisation, period = last_month_report
    report = ReportFactory(organisation=organisation, period=period)
    farah = open_context()
    log_in(farah, "farah@example.org")
    farah.goto(url("activities:report_edit", pk=report.pk))
    row = farah.locator("[data-report-row]").first
    assert row.locator("#id_form-0-women").count() == 1

    # Measles vaccination counts girls and boys: the other inputs go.
    row.get_by_label("Activity").select_option(label="MEASLES Measles vaccination")
    assert row.get_by_text("Figures of this activity: girls and boys.").is_visible()
    for name in ("women", "men", "older_people", "people_with_disabilities"):
        assert row.locator(f"#id_form-0-{name}").count() == 0
    row.get_by_label("Girls").fill("12")
    row.get_by_label("Boys").fill("9")
    assert row.get_by_label("Total reached").get_attribute("placeholder") == "21"

    # Back to consultations: women and men come back, in their place, under this row's name.
    row.get_by_label("Activity").select_option(label="OPD Outpatient consultations")
    labels = row.locator("[data-figure] label").all_inner_texts()
    assert [label.strip() for label in labels[:4]] == ["Girls", "Boys", "Women", "Men"]
    assert row.locator("#id_form-0-women").get_attribute("name") == "form-0-women"

    row.get_by_label("Activity").select_option(label="MEASLES Measles vaccination")
    row.get_by_label("Area").select_option(label="Pinecrest (ZZ0101)")
    row.get_by_label("Implementing partner").select_option(label="Pinecrest Health Action (PHA)")
    row.get_by_label("Status").select_option(label="Ongoing")
    row.get_by_label("Girls").fill("12")
    row.get_by_label("Boys").fill("9")
    farah.get_by_role("button", name="Save the draft").click()
    farah.get_by_text("The draft is saved.").wait_for()
    saved = ReportRow.objects.get(report=report)
    assert (saved.girls, saved.boys, saved.women, saved.men, saved.total) == (12, 9, None, None, 21)


def test_a_half_filled_report_is_saved_and_finished_later(open_context, last_month_report):
    """Issue 23: on an unstable link a focal point saves what she has, leaves, and comes back
    to a row marked with what it still lacks; submitting waits until it is finished."""
    organisation, period = last_month_report
    report = ReportFactory(organisation=organisation, period=period)
    farah = open_context()
    log_in(farah, "farah@example.org")
    farah.goto(url("activities:report_edit", pk=report.pk))
    row = farah.locator("[data-report-row]").first
    row.get_by_label("Activity").select_option(label="MEASLES Measles vaccination")
    row.get_by_label("Area").select_option(label="Pinecrest (ZZ0101)")
    row.get_by_label("Girls").fill("twelve")
    farah.get_by_role("button", name="Save the draft").click()
    farah.get_by_text("Row 1 is not finished").first.wait_for()

    # Later, from the report's page: it cannot be submitted yet, and says where to go.
    farah.goto(url("activities:report", pk=report.pk))
    farah.get_by_role("button", name="Submit the report").click()
    farah.get_by_text("Row 1 is not finished: complete or delete it").first.wait_for()
    farah.get_by_role("link", name="Go to the unfinished rows").click()
    row = farah.locator("[data-unfinished]")
    assert row.get_by_label("Girls").input_value() == "twelve"
    assert row.get_by_label("Girls").get_attribute("aria-invalid") == "true"
    row.get_by_label("Girls").fill("12")
    row.get_by_label("Boys").fill("9")
    row.get_by_label("Status").select_option(label="Ongoing")
    farah.get_by_role("button", name="Save and submit the report").click()
    farah.get_by_text("Activity report of Pinecrest Health Action").wait_for()

    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert ReportRow.objects.get(report=report).total == 21
    assert not report.unfinished_rows.exists()
