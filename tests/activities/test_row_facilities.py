"""Issue 25: a 4W row may name the health facility where the activity took place.

The facility is named by its registry code, typed (the edit page has no select of thousands
of facilities per row). The row is then counted in the facility's district: an area left
empty is filled in from the facility, and an area that contradicts it is refused with both
named, since only the partner knows which of the two was mistyped (a saved row's area, which
came from its facility, follows a corrected code). An unknown code is a row problem like the
others, kept as typed in an unfinished row. The Excel template and import take the code in
an optional last column, the exports give it as ``#loc+code``, and the report page shows it.
"""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from activities.models import PendingImport, ReportRow, ReportStatus, UnfinishedRow
from activities.services import imports
from activities.services.reports import (
    RowInput,
    report_save_rows,
    report_start,
    report_submit,
    report_validate,
)
from locations.models import AdminLevel
from tests.activities.factories import ReportFactory, ReportRowFactory
from tests.activities.test_import_helpers import GOOD_ROW, download_template, filled, upload
from tests.activities.test_reports_helpers import formset_post, open_period, row_data
from tests.activities.test_unfinished_rows import as_the_browser_sends, saved_page, shows
from tests.facilities.factories import FacilityFactory
from tests.factories import AdminAreaFactory
from tests.text import has_phrase, page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinics(setup):
    """HF-00012 in an admin3 area of North One, HF-00020 in North Two, HF-00030 placed in the
    admin1 area North only."""
    north_one_a = AdminAreaFactory(
        pcode="ZZ010101", name_en="North One A", level=AdminLevel.ADMIN3, parent=setup.district
    )
    return {
        "in_admin3": FacilityFactory(code="HF-00012", name_en="Amal Clinic", area=north_one_a),
        "in_district": FacilityFactory(code="HF-00020", area=setup.other_district),
        "in_admin1": FacilityFactory(code="HF-00030", area=setup.world.area),
    }


def edit_url(setup) -> str:
    return reverse("activities:report_edit", args=[setup.report.pk])


def save(client, setup, **values):
    """Post one new row of the setup's good figures, with these values changed."""
    return client.post(edit_url(setup), formset_post([row_data(setup, **values)]))


# --- the edit page -----------------------------------------------------------------------------


def test_a_row_naming_a_facility_takes_its_district_when_the_area_is_left_empty(
    setup, focal, clinics
):
    response = save(focal, setup, area="", facility="HF-00012")

    assert response.status_code == 302
    row = setup.report.rows.get()
    assert (row.facility, row.area) == (clinics["in_admin3"], setup.district)
    assert not UnfinishedRow.objects.exists()


def test_a_code_typed_in_another_case_names_the_facility(setup, focal, clinics):
    save(focal, setup, area="", facility=" hf-00020 ")

    row = setup.report.rows.get()
    assert (row.facility, row.area) == (clinics["in_district"], setup.other_district)


def test_the_facilitys_own_district_chosen_as_well_is_accepted(setup, focal, clinics):
    save(focal, setup, area=str(setup.district.pk), facility="HF-00012")

    assert setup.report.rows.get().facility == clinics["in_admin3"]


def test_an_area_that_contradicts_the_facility_is_refused_naming_both(setup, focal, clinics):
    response = save(focal, setup, area=str(setup.other_district.pk), facility="HF-00012")

    content = saved_page(focal, response)
    assert shows(
        content,
        "Row 1, area: The facility HF-00012 is in North One (ZZ0101), not in North Two "
        "(ZZ0102). Choose North One (ZZ0101), or leave the area empty to have it filled in "
        "from the facility.",
    )
    assert not setup.report.rows.exists()
    typed = UnfinishedRow.objects.get().values
    assert (typed["facility"], typed["area"]) == ("HF-00012", str(setup.other_district.pk))


def test_an_unknown_code_is_a_row_problem_and_kept_as_typed(setup, focal, clinics):
    response = save(focal, setup, area="", facility="HF-0O012")

    content = saved_page(focal, response)
    assert shows(
        content,
        "Row 1, facility code: HF-0O012 is not the code of a facility in the cluster's registry.",
    )
    assert not setup.report.rows.exists()
    assert UnfinishedRow.objects.get().values["facility"] == "HF-0O012"
    # The page shows the code as typed, to correct it there.
    assert as_the_browser_sends(content, edit_url(setup))["form-0-facility"] == "HF-0O012"

    data = as_the_browser_sends(content, edit_url(setup), **{"form-0-facility": "HF-00012"})
    assert focal.post(edit_url(setup), data).status_code == 302
    assert not UnfinishedRow.objects.exists()
    assert setup.report.rows.get().area == setup.district


def test_a_facility_placed_in_an_admin1_area_only_needs_its_district_chosen(setup, focal, clinics):
    content = saved_page(focal, save(focal, setup, area="", facility="HF-00030"))
    assert shows(
        content,
        "Row 1, area: The facility HF-00030 is placed in North (ZZ01) only: choose the "
        "district where the activity took place.",
    )
    assert not setup.report.rows.exists()

    UnfinishedRow.objects.all().delete()
    save(focal, setup, area=str(setup.other_district.pk), facility="HF-00030")
    row = setup.report.rows.get()
    assert (row.facility, row.area) == (clinics["in_admin1"], setup.other_district)


def test_a_row_without_an_area_or_a_facility_still_asks_for_the_area(setup, focal):
    content = saved_page(focal, save(focal, setup, area=""))

    assert shows(content, "Row 1, area: This field is required.")


def test_the_page_shows_a_saved_rows_facility_code_and_saves_it_unchanged(setup, focal, clinics):
    ReportRowFactory(
        report=setup.report,
        activity=setup.total_only,
        area=setup.district,
        facility=clinics["in_admin3"],
    )
    page = focal.get(edit_url(setup)).content.decode()
    data = as_the_browser_sends(page, edit_url(setup))
    assert data["form-0-facility"] == "HF-00012"
    before = ReportRow.history.count()

    assert focal.post(edit_url(setup), data).status_code == 302
    assert ReportRow.history.count() == before  # nothing changed, nothing written


def test_emptying_the_code_leaves_the_row_in_its_area_without_a_facility(setup, focal, clinics):
    row = ReportRowFactory(
        report=setup.report,
        activity=setup.total_only,
        area=setup.district,
        facility=clinics["in_admin3"],
    )
    page = focal.get(edit_url(setup)).content.decode()
    focal.post(
        edit_url(setup), as_the_browser_sends(page, edit_url(setup), **{"form-0-facility": ""})
    )

    row.refresh_from_db()
    assert (row.facility, row.area) == (None, setup.district)


def test_correcting_a_saved_rows_code_moves_it_to_the_new_facilitys_district(setup, focal, clinics):
    """The saved row's area came from its facility: left as it was, it follows the new one."""
    row = ReportRowFactory(
        report=setup.report,
        activity=setup.total_only,
        area=setup.district,
        facility=clinics["in_admin3"],
    )
    page = focal.get(edit_url(setup)).content.decode()
    data = as_the_browser_sends(page, edit_url(setup), **{"form-0-facility": "HF-00020"})
    assert focal.post(edit_url(setup), data).status_code == 302

    row.refresh_from_db()
    assert (row.facility, row.area) == (clinics["in_district"], setup.other_district)
    assert not UnfinishedRow.objects.exists()


def test_naming_a_facility_of_another_district_on_a_saved_row_is_refused(setup, focal, clinics):
    """Without a facility, the saved row's area is one the partner chose."""
    row = ReportRowFactory(report=setup.report, activity=setup.total_only, area=setup.district)
    page = focal.get(edit_url(setup)).content.decode()
    data = as_the_browser_sends(page, edit_url(setup), **{"form-0-facility": "HF-00020"})
    content = saved_page(focal, focal.post(edit_url(setup), data))

    assert shows(content, "Row 1, area: The facility HF-00020 is in North Two (ZZ0102), not in")
    row.refresh_from_db()
    assert (row.facility, row.area) == (None, setup.district)  # its last complete values
    assert UnfinishedRow.objects.get().values["facility"] == "HF-00020"


# --- queries and weight --------------------------------------------------------------------------


def _rows_naming_facilities(setup, count: int, start: int = 0) -> list[str]:
    codes = []
    for number in range(start, start + count):
        facility = FacilityFactory(code=f"HF-{number:05d}", area=setup.district)
        ReportRow.objects.create(
            report=setup.report,
            activity=setup.total_only,
            area=setup.district,
            facility=facility,
            implementing_other=f"Local partner {number}",
            status="ongoing",
            total=10,
            order=number,
        )
        codes.append(facility.code)
    return codes


@pytest.mark.parametrize("name", ["activities:report_edit", "activities:report"])
def test_rows_naming_facilities_take_no_more_queries_to_show(setup, focal, name):
    url = reverse(name, args=[setup.report.pk])
    ReportRowFactory(report=setup.report, activity=setup.total_only, area=setup.district)
    with CaptureQueriesContext(connection) as without:
        assert focal.get(url).status_code == 200
    _rows_naming_facilities(setup, 3)
    with CaptureQueriesContext(connection) as few:
        assert focal.get(url).status_code == 200
    _rows_naming_facilities(setup, 20, start=3)
    with CaptureQueriesContext(connection) as many:
        assert focal.get(url).status_code == 200
    assert len(without) == len(few) == len(many), [q["sql"] for q in many.captured_queries]


def test_the_codes_of_a_page_are_looked_up_in_one_query(setup, focal, clinics):
    def saving(count: int) -> int:
        setup.report.rows.all().delete()
        rows = [
            row_data(setup, area="", facility="HF-00012", implementing_other=f"P{n}", donor="")
            | {"implementing_organisation": ""}
            for n in range(count)
        ]
        with CaptureQueriesContext(connection) as queries:
            assert focal.post(edit_url(setup), formset_post(rows)).status_code == 302
        assert setup.report.rows.filter(facility=clinics["in_admin3"]).count() == count
        return len(queries)

    assert saving(3) == saving(20)


def test_the_report_page_shows_the_facility_code(setup, focal, clinics):
    ReportRowFactory(
        report=setup.report,
        activity=setup.total_only,
        area=setup.district,
        facility=clinics["in_admin3"],
    )
    ReportRowFactory(report=setup.report, activity=setup.total_only, area=setup.other_district)
    page = focal.get(reverse("activities:report", args=[setup.report.pk])).content.decode()

    assert has_phrase(page_text(page), "North One (ZZ0101) Facility HF-00012 · Amal Clinic")
    assert page.count("Facility <span") == 1


# --- the services --------------------------------------------------------------------------------


def test_submitting_refuses_a_row_whose_facility_moved_to_another_district(setup, clinics):
    focal = setup.world.user("focal")
    row = RowInput(
        activity=setup.total_only,
        area=setup.district,
        status="ongoing",
        total=10,
        implementing_organisation=setup.world.org_a,
        facility=clinics["in_admin3"],
    )
    report_save_rows(report=setup.report, by=focal, rows=[row])
    clinics["in_admin3"].area = setup.other_district
    clinics["in_admin3"].save()

    with pytest.raises(ValidationError) as refused:
        report_submit(report=setup.report, by=focal)
    assert refused.value.messages == [
        "Row 1: The facility HF-00012 is in North Two (ZZ0102), not in North One (ZZ0101). "
        "Choose North Two (ZZ0102), or leave the area empty to have it filled in from the "
        "facility."
    ]


def test_the_validated_version_and_a_copy_keep_the_facility(setup, clinics):
    focal = setup.world.user("focal")
    ReportRowFactory(
        report=setup.report,
        activity=setup.total_only,
        area=setup.district,
        facility=clinics["in_admin3"],
    )
    setup.report.status = ReportStatus.SUBMITTED
    setup.report.save()
    report_validate(report=setup.report, by=setup.world.user("coordinator"))

    assert setup.report.versions.get().rows[0]["facility_code"] == "HF-00012"
    later, created = report_start(
        by=focal, organisation=setup.world.org_a, period=open_period(month=11), copy_previous=True
    )
    assert created
    assert later.rows.get().facility == clinics["in_admin3"]


# --- the Excel template and import ---------------------------------------------------------------


def _with_facility(code, pcode: str = "ZZ0101") -> list:
    row = list(GOOD_ROW)
    row[2] = pcode
    return [*row, code]


def test_the_template_holds_the_facility_code_in_its_last_column(setup, focal, clinics):
    ReportRowFactory(
        report=setup.report,
        activity=setup.activity,
        area=setup.district,
        facility=clinics["in_admin3"],
    )
    sheet = load_workbook(io.BytesIO(download_template(focal, setup.report))).worksheets[0]

    assert sheet["P5"].value == "Facility code"
    assert sheet["P6"].value == "HF-00012"


def test_an_import_names_facilities_and_takes_their_districts(setup, focal, clinics):
    rows = [_with_facility("HF-00012", pcode=""), _with_facility("hf-00020", pcode="ZZ0102")]
    response = upload(focal, setup.report, filled(download_template(focal, setup.report), rows))

    assert response.status_code == 302
    confirm = focal.get(response["Location"]).content.decode()
    assert has_phrase(page_text(confirm), "ZZ0101 · HF-00012")
    focal.post(response["Location"])
    saved = [(row.facility, row.area) for row in setup.report.rows.order_by("order")]
    assert saved == [
        (clinics["in_admin3"], setup.district),
        (clinics["in_district"], setup.other_district),
    ]


def test_an_import_without_the_facility_column_names_no_facility(setup, focal, clinics):
    assert len(GOOD_ROW) == 15  # a sheet filled in a template made before the column
    response = upload(
        focal, setup.report, filled(download_template(focal, setup.report), [GOOD_ROW])
    )
    focal.post(response["Location"])

    row = setup.report.rows.get()
    assert (row.facility, row.area) == (None, setup.district)


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (
            _with_facility("HF-404"),
            "Facility code",
            "HF-404 is not the code of a facility in the cluster's registry.",
        ),
        (
            _with_facility("HF-00020"),
            "Area p-code",
            "The facility HF-00020 is in North Two (ZZ0102), not in North One (ZZ0101). Choose "
            "North Two (ZZ0102), or leave the area empty to have it filled in from the facility.",
        ),
        (
            _with_facility("HF-00030", pcode=""),
            "Area p-code",
            "The facility HF-00030 is placed in North (ZZ01) only: choose the district where the "
            "activity took place.",
        ),
    ],
    ids=["unknown code", "another district", "admin1 only"],
)
def test_an_import_refuses_a_bad_facility_by_row_and_imports_nothing(
    setup, focal, clinics, row, column, message
):
    content = filled(download_template(focal, setup.report), [_with_facility(""), row])

    with pytest.raises(imports.ImportRefused) as refused:
        imports.read_rows(
            SimpleUploadedFile("report.xlsx", content), setup.report, by=setup.world.user("focal")
        )
    assert [(p.row, p.column, p.message) for p in refused.value.problems] == [(7, column, message)]

    response = upload(focal, setup.report, content)
    assert response.status_code == 400
    assert not PendingImport.objects.exists()
    assert not setup.report.rows.exists()


# --- the exports ---------------------------------------------------------------------------------


def _export(client, fmt: str) -> list[list[str]]:
    response = client.get(reverse("activities:export", kwargs={"fmt": fmt}))
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_row_exports_give_the_facility_code_and_the_public_totals_none(
    setup, login, clinics, settings
):
    validated = ReportFactory(
        organisation=setup.world.org_a, period=setup.closed_period, status=ReportStatus.VALIDATED
    )
    ReportRowFactory(
        report=validated,
        activity=setup.total_only,
        area=setup.district,
        facility=clinics["in_admin3"],
    )
    ReportRowFactory(report=validated, activity=setup.total_only, area=setup.other_district)
    member = login(setup.world.user("staff"))

    table = _export(member, "csv")
    lines = [dict(zip(table[0], line, strict=True)) for line in table[1:]]
    assert sorted((line["Admin2 p-code"], line["Facility code"]) for line in lines) == [
        ("ZZ0101", "HF-00012"),
        ("ZZ0102", ""),
    ]
    hxl = _export(member, "hxl")
    assert hxl[1][hxl[1].index("#adm2+name") + 1] == "#loc+code"
    assert {line[hxl[1].index("#loc+code")] for line in hxl[2:]} == {"HF-00012", ""}

    response = member.get(reverse("activities:export", kwargs={"fmt": "xlsx"}))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.values)
    column = values[0].index("Facility code")
    assert sorted(str(line[column] or "") for line in values[1:]) == ["", "HF-00012"]

    settings.PUBLIC_MIN_ORGANISATIONS = 1
    public = login(None)
    for fmt in ("csv", "hxl"):
        text = "\n".join(",".join(line) for line in _export(public, fmt))
        assert "HF-00012" not in text
        assert "Facility" not in text
        assert "#loc" not in text
