"""Issue 21: limits that hold up the whole way, for an activity report's rows.

The Excel import accepted 20,000 rows while the report's edit page holds 500 in its form,
took 98 s to show 20,000 and could not save even 100 (Django refused more than 1,000 posted
fields with a bare 400). Now one limit, ``REPORT_MAX_ROWS``, is the import's and the page's:
a report of that size saves from its edit page, the import refuses a longer sheet and says
the limit, and the edit page of an older, larger report says why it cannot edit it instead
of rendering thousands of rows.
"""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from activities.forms.reports import row_initial
from activities.models import REPORT_MAX_ROWS, ReportRow, ReportStatus
from activities.services.reports import report_submit
from tests.activities.factories import ReportFactory
from tests.activities.test_import_helpers import download_template, filled, upload
from tests.activities.test_reports_helpers import formset_post, make_setup

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


@pytest.fixture
def setup(world):
    return make_setup(world)


@pytest.fixture
def focal(setup, login):
    return login(setup.world.user("focal"))


def fill(setup, count: int) -> None:
    """The draft with ``count`` single-count rows, each a different implementer's name."""
    ReportRow.objects.bulk_create(
        ReportRow(
            report=setup.report,
            activity=setup.total_only,
            area=setup.district,
            implementing_other=f"Local partner {number}",
            status="ongoing",
            total=50,
            order=number,
        )
        for number in range(count)
    )


def unchanged_post(setup) -> dict:
    """What a browser sends when the edit page is saved as it was shown, every field included."""
    rows = [
        {name: "" if value is None else str(value) for name, value in row_initial(row).items()}
        for row in setup.report.rows.order_by("order", "pk")
    ]
    return formset_post(rows, initial=len(rows))


def test_a_report_of_the_largest_size_saves_from_its_edit_page(setup, focal):
    fill(setup, REPORT_MAX_ROWS)
    data = unchanged_post(setup)
    assert len(data) > 1_000  # Django's default refused these with a bare 400
    response = focal.post(reverse("activities:report_edit", args=[setup.report.pk]), data)
    assert response.status_code == 302
    assert setup.report.rows.count() == REPORT_MAX_ROWS


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
    fill(setup, REPORT_MAX_ROWS + 1)
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
    fill(setup, 3)
    # Both returned: a returned report may be submitted whatever the period's deadline.
    setup.report.status = ReportStatus.RETURNED
    setup.report.save()
    with CaptureQueriesContext(connection) as few:
        report_submit(report=setup.report, by=fresh(focal))
    large = ReportFactory(
        organisation=setup.world.org_a, period=setup.closed_period, created_by=focal
    )
    ReportRow.objects.bulk_create(
        ReportRow(
            report=large,
            activity=setup.total_only,
            area=setup.other_district,
            implementing_other=f"Partner {number}",
            status="ongoing",
            total=50,
        )
        for number in range(REPORT_MAX_ROWS)
    )
    large.status = ReportStatus.RETURNED
    large.save()
    with django_assert_num_queries(len(few)):
        report_submit(report=large, by=fresh(focal))
