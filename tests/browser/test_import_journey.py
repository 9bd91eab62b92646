"""Importing an activity report from Excel in Chromium, as a focal point would.

Farah, focal point of Pinecrest Health Action, downloads the Excel template of her draft
report, fills it in (with one bad row), uploads it and sees the problem named by its row,
fixes that row, uploads again, sees what the import adds, confirms and submits the report.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from activities.excel import FIRST_DATA_ROW
from activities.models import ReportRow, ReportStatus
from locations.models import AdminLevel
from partners.models import MemberRole
from tests.activities.factories import ActivityFactory, PeriodFactory, ReportFactory
from tests.browser_fixtures import log_in
from tests.factories import (
    AdminAreaFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.text import has_phrase

# Early November 2026: the October 2026 period of the journey is open for reporting.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.time_machine(datetime.datetime(2026, 11, 5, 12, 0, tzinfo=datetime.UTC)),
]


def url(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs)


@pytest.fixture
def draft():
    north = AdminAreaFactory(pcode="ZZ01", name_en="North Hills")
    AdminAreaFactory(pcode="ZZ0101", name_en="Pinecrest", level=AdminLevel.ADMIN2, parent=north)
    AdminAreaFactory(pcode="ZZ0102", name_en="Stonebrook", level=AdminLevel.ADMIN2, parent=north)
    organisation = OrganisationFactory(name_en="Pinecrest Health Action", acronym="PHA")
    farah = UserFactory(email="farah@example.org", full_name="Farah Saleh")
    MembershipFactory(user=farah, organisation=organisation, role=MemberRole.FOCAL_POINT)
    ActivityFactory(
        code="A001",
        name_en="Outpatient consultations",
        counts_older_people=True,
        counts_disability=True,
    )
    ActivityFactory(code="A002", name_en="Health facilities supported", groups=())
    now = timezone.now()
    period = PeriodFactory(
        year=2026,
        month=10,
        opens_at=now - datetime.timedelta(days=3),
        deadline=now + datetime.timedelta(days=7),
    )
    return ReportFactory(organisation=organisation, period=period, created_by=farah)


def _fill(path, rows: list[list], out) -> None:
    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=FIRST_DATA_ROW + offset, column=column, value=value)
    workbook.save(out)


def test_a_focal_point_imports_the_report_from_excel_and_submits_it(open_context, draft, tmp_path):
    page = open_context()
    log_in(page, "farah@example.org")
    page.goto(url("activities:report_edit", pk=draft.pk))

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the Excel template").click()
    template = tmp_path / "template.xlsx"
    download_info.value.save_as(template)
    assert load_workbook(template).worksheets[0]["B1"].value == "Pinecrest Health Action"

    good = ["A001", "", "ZZ0101", "", "PHA", "", "ECHO", "Ongoing", 10, 12, 30, 8, 4, 1, 60]
    bad = [
        "A002",
        "",
        "ZZ0999",
        "",
        "",
        "Stonebrook Clinic",
        "",
        "Completed",
        "",
        "",
        "",
        "",
        "",
        "",
        3,
    ]
    filled = tmp_path / "filled.xlsx"
    _fill(template, [good, bad], filled)

    page.get_by_role("link", name="Upload a filled template").click()
    page.get_by_label("Filled Excel template (.xlsx)").set_input_files(filled)
    page.get_by_role("button", name="Check the file").click()
    problems = page.get_by_role("table", name="Problems found in the file")
    row = problems.get_by_role("row").filter(has_text="ZZ0999")
    assert row.get_by_role("cell").first.inner_text() == str(FIRST_DATA_ROW + 1)
    assert "is not the p-code of a district" in row.inner_text()
    assert not ReportRow.objects.exists()

    bad[2] = "ZZ0102"
    fixed = tmp_path / "fixed.xlsx"
    _fill(template, [good, bad], fixed)
    page.get_by_label("Filled Excel template (.xlsx)").set_input_files(fixed)
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("heading", name="Confirm the import").wait_for()
    assert has_phrase(page.locator("main").inner_text(), "2 rows added")

    page.get_by_role("button", name="Confirm").click()
    page.get_by_text("The rows of the file are saved in the draft").wait_for()
    assert ReportRow.objects.filter(report=draft).count() == 2

    page.get_by_role("button", name="Save and submit the report").click()
    page.get_by_text("The report is submitted").wait_for()
    draft.refresh_from_db()
    assert draft.status == ReportStatus.SUBMITTED
