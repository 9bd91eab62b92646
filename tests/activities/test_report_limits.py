"""Issue 21: limits that hold up the whole way, for an activity report's rows.

The Excel import accepted 20,000 rows while the report's edit page took 98 s to show them
and could not save even 100 (Django refused more than 1,000 posted fields with a bare 400).
Now one limit, ``REPORT_MAX_ROWS``, is the import's and the report's: a report of that size
opens and saves from its edit page, a page of rows at a time, the import refuses a longer
sheet and says the limit, and the edit page of an older, larger report says why it cannot
edit it instead of rendering thousands of rows.
"""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from activities.forms.reports import PAGE_MAX_FORMS, row_initial
from activities.models import REPORT_MAX_ROWS, PendingImport, Report, ReportStatus
from activities.services.reports import report_submit
from tests.activities.factories import ReportFactory
from tests.activities.test_import_helpers import download_template, filled, upload
from tests.activities.test_reports_helpers import add_rows, formset_post
from tests.text import has_phrase
from tests.workbooks import declaring

pytestmark = pytest.mark.django_db

GOOD_ROW = [
    "A002",
    "",
    "ZZ0101",
    "",
    "AH",
    "",
    "ECHO",
    "Ongoing",
    None,
    None,
    None,
    None,
    None,
    None,
    50,
]


def unchanged_post(setup) -> dict:
    """What a browser sends when the edit page is saved as it was shown, every field included."""
    rows = [
        {name: "" if value is None else str(value) for name, value in row_initial(row).items()}
        for row in setup.report.rows.order_by("order", "pk")
    ]
    return formset_post(rows, initial=len(rows))


def test_a_report_of_the_largest_size_opens_and_saves_page_by_page(setup, focal):
    add_rows(setup, [50] * REPORT_MAX_ROWS)
    url = reverse("activities:report_edit", args=[setup.report.pk])
    last = focal.get(f"{url}?page=20")
    assert last.status_code == 200
    text = last.content.decode()
    assert has_phrase(text, "Rows 476 to 500 of 500.")
    assert has_phrase(text, "Row 500")
    assert not has_phrase(text, "Row 501")
    assert "Add more rows" not in text  # the report is full: no blank row to fill in
    forms = last.context["formset"].forms
    data = formset_post(
        [
            {name: "" if value is None else str(value) for name, value in form.initial.items()}
            for form in forms
        ],
        initial=len(forms),
    )
    data["form-24-total"] = "75"
    response = focal.post(f"{url}?page=20", data)
    assert response.status_code == 302
    assert response["Location"] == f"{url}?page=20"
    rows = list(setup.report.rows.order_by("order", "pk"))
    assert len(rows) == REPORT_MAX_ROWS
    assert [row.total for row in rows].count(75) == 1
    assert rows[-1].total == 75


def test_a_report_at_the_limit_refuses_one_more_row(setup, focal):
    add_rows(setup, [50] * (REPORT_MAX_ROWS - 1))
    url = reverse("activities:report_edit", args=[setup.report.pk])
    page = focal.get(f"{url}?page=20")
    assert len(page.context["formset"].forms) == 25  # 24 rows and the one blank row left
    forms = page.context["formset"].forms[:24]
    rows = [{k: "" if v is None else str(v) for k, v in form.initial.items()} for form in forms]
    new = dict(rows[0], id="", implementing_other="Another partner")
    data = formset_post([*rows, new, dict(new, implementing_other="One too many")], initial=24)
    response = focal.post(f"{url}?page=20", data)
    assert response.status_code == 400
    assert "A report holds at most 500 rows; this one would have 501." in (
        response.content.decode()
    )
    assert setup.report.rows.count() == REPORT_MAX_ROWS - 1


def test_a_huge_form_count_is_refused_without_building_the_forms(setup, focal):
    """A crafted form-TOTAL_FORMS of a billion made the page build 1,500 forms (3-12 s)."""
    url = reverse("activities:report_edit", args=[setup.report.pk])
    data = formset_post([])
    data["form-TOTAL_FORMS"] = "1000000000"
    response = focal.post(url, data)
    assert response.status_code == 400
    assert len(response.context["formset"].forms) == PAGE_MAX_FORMS
    assert "Please submit at most 100 forms." in response.content.decode()
    response = focal.post(url, dict(data, _add_rows="1"))
    assert len(response.context["formset"].forms) == PAGE_MAX_FORMS
    assert not setup.report.rows.exists()


def test_the_import_refuses_a_sheet_longer_than_a_report_holds(setup, focal):
    rows = [GOOD_ROW] * (REPORT_MAX_ROWS + 1)
    content = filled(download_template(focal, setup.report), rows)
    response = upload(focal, setup.report, content)
    assert response.status_code == 400
    assert (
        "The sheet holds more than 500 rows, the most an activity report can hold; it was "
        "not imported." in response.content.decode()
    )
    assert not setup.report.rows.exists()


def test_the_template_and_the_upload_form_say_the_limit(setup, focal):
    workbook = load_workbook(io.BytesIO(download_template(focal, setup.report)))
    instructions = " ".join(
        str(cell.value) for row in workbook["Instructions"].iter_rows() for cell in row
    )
    assert "A file may hold at most 500 rows" in instructions
    page = focal.get(reverse("activities:report_import", args=[setup.report.pk]))
    assert "At most 500 rows and 5 MB." in page.content.decode()


def test_the_edit_page_of_a_report_larger_than_it_holds_says_so(setup, focal):
    add_rows(setup, [50] * (REPORT_MAX_ROWS + 1))
    url = reverse("activities:report_edit", args=[setup.report.pk])
    response = focal.get(url)
    text = response.content.decode()
    assert response.status_code == 200
    assert (
        "This report has 501 rows, more than the 500 an activity report can hold, so its rows "
        "cannot be changed on this page." in text
    )
    assert "form-0-activity" not in text  # no row is rendered
    response = focal.post(url, unchanged_post(setup))
    assert response.status_code == 400
    assert "This report has 501 rows" in response.content.decode()
    assert setup.report.rows.count() == REPORT_MAX_ROWS + 1


def fresh(user):
    """The user read again, without the memberships an earlier call remembered."""
    return type(user).objects.get(pk=user.pk)


def test_submitting_the_largest_report_takes_as_many_queries_as_a_small_one(
    setup, django_assert_num_queries
):
    """It took one query per row (the row's area), 514 for 500 rows."""
    focal = setup.world.user("focal")
    add_rows(setup, [50] * 3)
    # Both returned: a returned report may be submitted whatever the period's deadline.
    setup.report.status = ReportStatus.RETURNED
    setup.report.save()
    with CaptureQueriesContext(connection) as few:
        report_submit(report=setup.report, by=fresh(focal))
    large = ReportFactory(
        organisation=setup.world.org_a, period=setup.closed_period, created_by=focal
    )
    add_rows(setup, [50] * REPORT_MAX_ROWS, report=large, area=setup.other_district)
    large.status = ReportStatus.RETURNED
    large.save()
    with django_assert_num_queries(len(few)):
        report_submit(report=large, by=fresh(focal))


def test_a_last_report_larger_than_a_report_holds_is_not_copied(setup, login):
    """Copying "our last report" made a report the edit page could not hold."""
    earlier = ReportFactory(organisation=setup.world.org_b, period=setup.closed_period)
    add_rows(setup, [5] * (REPORT_MAX_ROWS + 1), report=earlier)
    client = login(setup.world.user("other_member"))
    url = reverse("activities:report_start", args=[setup.open_period.pk])
    response = client.post(url, {"copy_previous": "on"})
    assert response.status_code == 400
    assert has_phrase(
        response.content.decode(),
        "The last report has 501 rows, more than the 500 a report can hold, so it cannot be "
        "copied. Start an empty report, or import an Excel file.",
    )
    assert not Report.objects.filter(
        organisation=setup.world.org_b, period=setup.open_period
    ).exists()
    assert client.post(url).status_code == 302  # an empty report starts


def test_a_sheet_declaring_fewer_rows_than_it_holds_is_read_whole(setup, focal):
    """openpyxl stops at the size a sheet declares: 28 of these 30 rows were dropped unsaid."""
    content = filled(download_template(focal, setup.report), [GOOD_ROW] * 30)
    response = upload(focal, setup.report, declaring(content, '<dimension ref="A1:O7"/>'))
    assert response.status_code == 302
    assert len(PendingImport.objects.get().rows["rows"]) == 30


def test_a_sheet_hiding_rows_past_the_limit_is_refused(setup, focal):
    rows = [GOOD_ROW] * (REPORT_MAX_ROWS + 1)
    content = filled(download_template(focal, setup.report), rows)
    response = upload(focal, setup.report, declaring(content, '<dimension ref="A1:O7"/>'))
    assert response.status_code == 400
    assert "The sheet holds more than 500 rows" in response.content.decode()
    assert not PendingImport.objects.exists()
