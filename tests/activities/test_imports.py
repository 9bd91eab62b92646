"""Importing an activity report's rows from its Excel template: round trip, bad files, bad rows."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from activities.excel import FIRST_DATA_ROW
from activities.models import REPORT_MAX_ROWS, Collects, PendingImport, ReportRow
from activities.services.reports import RowInput, report_save_rows, report_submit
from tests.activities.factories import ActivityFactory, ReportRowFactory
from tests.activities.test_import_helpers import (
    GOOD_ROW,
    download_template,
    filled,
    upload,
    zip_of,
)
from tests.text import has_phrase

pytestmark = pytest.mark.django_db


def _existing_row(setup):
    report_save_rows(
        report=setup.report,
        by=setup.world.user("focal"),
        rows=[
            RowInput(
                activity=setup.activity,
                area=setup.district,
                status="ongoing",
                implementing_organisation=setup.world.org_a,
                donor="ECHO",
                girls=1,
                boys=1,
                women=1,
                men=1,
                total=4,
            )
        ],
    )
    setup.report.refresh_from_db()
    return setup.report.rows.get()


def _page(response) -> str:
    return response.content.decode()


def _nothing_saved(setup, before: int = 0):
    assert setup.report.rows.count() == before
    assert not PendingImport.objects.exists()


# --- the template --------------------------------------------------------------------------------


def test_the_template_names_the_organisation_and_period_and_holds_the_rows(setup, focal):
    _existing_row(setup)
    workbook = load_workbook(io.BytesIO(download_template(focal, setup.report)))
    sheet = workbook.worksheets[0]
    assert sheet["B1"].value == "Alpha Health"
    assert sheet["B2"].value == str(setup.open_period)
    assert sheet["B3"].value == f"HC4W-{setup.world.org_a.pk}-2026-10"
    assert [cell.value for cell in sheet[5]][:3] == [
        "Activity code",
        "Activity name",
        "Area p-code",
    ]
    row = [cell.value for cell in sheet[6]]
    assert row[0] == "A001"
    assert row[2] == "ZZ0101"
    assert row[4] == "AH"
    assert row[14] == 4  # the total
    assert [cell.value for cell in sheet[5]][-2:] == ["Facility code", "Project code"]
    assert row[-2:] == [None, None]  # the row names no facility and no project
    lists = workbook["Lists"]
    assert lists.sheet_state == "hidden"
    assert {"A001", "A002"} <= {cell.value for cell in lists["A"]}
    assert {"ZZ0101", "ZZ0102"} <= {cell.value for cell in lists["B"]}
    lists = {
        validation.formula1
        for validation in sheet.data_validations.dataValidation
        if validation.type == "list"
    }
    assert lists == {"Lists!$A$2:$A$3", "Lists!$B$2:$B$3", "Lists!$C$2:$C$4"}
    assert "How to fill in this template" in workbook["Instructions"]["A1"].value


def test_the_template_asks_a_girls_and_boys_activity_for_girls_and_boys_only(setup, focal):
    measles = ActivityFactory(code="MEASLES", name_en="Measles campaign", groups=("girls", "boys"))
    ReportRowFactory(report=setup.report, activity=measles, area=setup.district)
    workbook = load_workbook(io.BytesIO(download_template(focal, setup.report)))
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[5]]
    row = dict(zip(headers, [cell.value for cell in sheet[6]], strict=True))
    assert (row["Girls"], row["Boys"], row["Women"], row["Men"], row["Total"]) == (
        10,
        12,
        None,
        None,
        22,
    )

    # The Activities sheet says what each activity asks for.
    asked = {code: text for code, _name, text in workbook["Activities"].iter_rows(values_only=True)}
    assert asked["MEASLES"] == "Girls and boys; the total is their sum"
    assert asked["A002"] == "A single count"
    assert asked["A001"] == (
        "Girls, boys, women and men; older people among them; people with disabilities among "
        "them; the total is their sum"
    )

    # Beside its code, the hidden sheet marks the figure columns the activity asks for ...
    lists = list(workbook["Lists"].iter_rows(values_only=True))
    assert lists[0][3:9] == (
        "Girls",
        "Boys",
        "Women",
        "Men",
        "Older people",
        "People with disabilities",
    )
    flags = {line[0]: line[3:9] for line in lists[1:] if line[0]}
    assert flags["MEASLES"] == (1, 1, 0, 0, 0, 0)
    assert flags["A002"] == (0, 0, 0, 0, 0, 0)
    assert flags["A001"] == (1, 1, 1, 1, 1, 1)
    # ... so that the figure cells of the others are greyed and refuse a value.
    (custom,) = [v for v in sheet.data_validations.dataValidation if v.type == "custom"]
    assert str(custom.sqref) == f"I6:N{FIRST_DATA_ROW + REPORT_MAX_ROWS - 1}"
    assert custom.formula1 == 'OR($A6="",COUNTIFS(Lists!$A$2:$A$4,$A6,Lists!D$2:D$4,1)>0)'
    assert "This activity does not ask for this figure" in custom.error
    (greyed,) = sheet.conditional_formatting
    assert str(greyed.sqref) == f"I6:N{FIRST_DATA_ROW + REPORT_MAX_ROWS - 1}"


def test_the_template_of_a_submitted_report_is_refused_with_a_message(setup, focal):
    _existing_row(setup)
    report_submit(report=setup.report, by=setup.world.user("focal"))
    response = focal.get(reverse("activities:report_template", args=[setup.report.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("activities:report", args=[setup.report.pk])


def test_the_edit_page_links_to_the_template_and_the_upload(setup, focal):
    page = _page(focal.get(reverse("activities:report_edit", args=[setup.report.pk])))
    assert reverse("activities:report_template", args=[setup.report.pk]) in page
    assert "Upload a filled template" in page


# --- the round trip ------------------------------------------------------------------------------


def test_a_filled_template_is_shown_then_saved_when_confirmed(setup, focal):
    kept = _existing_row(setup)
    template = download_template(focal, setup.report)

    def edit(sheet):
        sheet["O6"] = 40  # the existing row, its figures changed
        sheet["I6"], sheet["J6"], sheet["K6"], sheet["L6"] = 10, 10, 10, 10
        for column, value in zip("ACEHO", ["A002", "ZZ0102", "", "Completed", 7], strict=True):
            sheet[f"{column}7"] = value
        sheet["F7"] = "Local Clinic Network"

    response = upload(focal, setup.report, _edited(template, edit))
    pending = PendingImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("activities:report_import_confirm", args=[pending.pk])
    page = _page(focal.get(response["Location"]))
    assert has_phrase(page, "1 row added")
    assert has_phrase(page, "1 row changed")
    assert has_phrase(page, "0 rows removed")
    assert setup.report.rows.count() == 1  # nothing saved before confirming

    response = focal.post(reverse("activities:report_import_confirm", args=[pending.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("activities:report_edit", args=[setup.report.pk])
    rows = list(setup.report.rows.order_by("order"))
    assert [(row.activity.code, row.total) for row in rows] == [("A001", 40), ("A002", 7)]
    assert rows[0].pk == kept.pk
    assert rows[1].implementing_other == "Local Clinic Network"
    assert rows[1].status == "completed"
    assert not PendingImport.objects.exists()


def _edited(template: bytes, edit) -> bytes:
    workbook = load_workbook(io.BytesIO(template))
    edit(workbook.worksheets[0])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def test_an_import_that_leaves_rows_out_shows_them_removed(setup, focal):
    _existing_row(setup)
    template = download_template(focal, setup.report)
    content = filled(
        template, [["A002", "", "ZZ0102", "", "AH", "", "", "planned", "", "", "", "", "", "", 3]]
    )
    response = upload(focal, setup.report, content)
    page = _page(focal.get(response["Location"]))
    assert has_phrase(page, "1 row removed")
    assert has_phrase(page, "1 row added")


def test_cancelling_an_import_keeps_the_rows(setup, focal):
    _existing_row(setup)
    content = filled(download_template(focal, setup.report), [GOOD_ROW])
    upload(focal, setup.report, content)
    pending = PendingImport.objects.get()
    response = focal.post(reverse("activities:report_import_cancel", args=[pending.pk]))
    assert response["Location"] == reverse("activities:report_edit", args=[setup.report.pk])
    assert not PendingImport.objects.exists()
    assert setup.report.rows.get().total == 4


def test_it_refuses_a_pending_import_when_the_report_changed_since(setup, focal):
    content = filled(download_template(focal, setup.report), [GOOD_ROW])
    upload(focal, setup.report, content)
    pending = PendingImport.objects.get()
    _existing_row(setup)  # somebody saves the draft meanwhile
    response = focal.post(
        reverse("activities:report_import_confirm", args=[pending.pk]), follow=True
    )
    assert "The report changed after this file was uploaded" in _page(response)
    assert setup.report.rows.get().total == 4
    assert not PendingImport.objects.exists()


def test_it_refuses_to_import_into_a_submitted_report(setup, focal):
    _existing_row(setup)
    content = filled(download_template(focal, setup.report), [GOOD_ROW])
    report_submit(report=setup.report, by=setup.world.user("focal"))
    response = upload(focal, setup.report, content)
    assert response.status_code == 302
    assert setup.report.rows.get().total == 4


# --- bad files -----------------------------------------------------------------------------------


def _bomb() -> bytes:
    return zip_of(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"\0" * (20 * 1024 * 1024),
        }
    )


def _entity_attack(template: bytes) -> bytes:
    import zipfile

    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    with zipfile.ZipFile(io.BytesIO(template)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/worksheets/sheet1.xml"] = laughs
    return zip_of(parts)


def _many_rows(reference: str, count: int = 100_000) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Report")
    sheet.append(["Organisation", "Alpha Health"])
    sheet.append(["Reporting period", "2026-10"])
    sheet.append(["Reference", reference])
    sheet.append([])
    sheet.append(["Activity code"])
    for _number in range(count):
        sheet.append(["A001", None, "ZZ0101"])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda t, s: b"MZ\x90\x00\x03\x00\x00\x00" + b"\0" * 500,
            "is not an Excel (XLSX) workbook",
        ),
        (lambda t, s: t[: len(t) // 2], "is not an Excel (XLSX) workbook, or it is damaged"),
        (lambda t, s: _bomb(), "would be far too large once unpacked"),
        (lambda t, s: _entity_attack(t), "could not be read as an Excel workbook"),
        (
            lambda t, s: _many_rows(f"HC4W-{s.world.org_a.pk}-2026-10"),
            "The sheet holds more than 500 rows, the most an activity report can hold",
        ),
        (
            lambda t, s: filled(
                t,
                [GOOD_ROW],
                edit=lambda sh: sh.__setitem__("B3", f"HC4W-{s.world.org_b.pk}-2026-10"),
            ),
            "This sheet was made for another organisation&#x27;s report",
        ),
        (
            lambda t, s: filled(
                t,
                [GOOD_ROW],
                edit=lambda sh: sh.__setitem__("B3", f"HC4W-{s.world.org_a.pk}-2025-03"),
            ),
            "This sheet was made for the report of 2025-03",
        ),
        (
            lambda t, s: filled(t, [GOOD_ROW], edit=lambda sh: sh.__setitem__("B3", None)),
            "its reference is missing",
        ),
        (lambda t, s: filled(t, []), "The sheet holds no rows"),
    ],
    ids=[
        "renamed exe",
        "truncated",
        "zip bomb",
        "xml entities",
        "100000 rows",
        "other organisation",
        "other period",
        "no reference",
        "no rows",
    ],
)
def test_it_refuses_a_bad_file_with_a_clear_message_and_saves_nothing(setup, focal, make, message):
    content = make(download_template(focal, setup.report), setup)
    response = upload(focal, setup.report, content, "report.xlsx")
    assert response.status_code == 400
    assert message in _page(response)
    _nothing_saved(setup)


def test_it_refuses_an_empty_file(setup, focal):
    response = upload(focal, setup.report, b"")
    assert response.status_code == 400
    assert "The submitted file is empty." in _page(response)
    _nothing_saved(setup)


def test_it_refuses_a_file_over_five_megabytes(setup, focal):
    response = upload(focal, setup.report, b"x" * (5 * 1024 * 1024 + 1))
    assert response.status_code == 400
    assert "larger than 5 MB" in _page(response)


def test_it_reports_a_formula_without_a_value(setup, focal):
    row = [*GOOD_ROW[:14], "=I6+J6+K6+L6"]
    response = upload(focal, setup.report, filled(download_template(focal, setup.report), [row]))
    assert response.status_code == 400
    assert "Row 6: a formula, not a value" in _page(response)
    _nothing_saved(setup)


# --- bad rows ------------------------------------------------------------------------------------


def _with(index: int, value) -> list:
    row = list(GOOD_ROW)
    row[index] = value
    return row


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (_with(8, -10), "The figures must be zero or more."),
        (_with(14, 51), "Girls, boys, women and men add up to 50, but the total is 51"),
        (_with(2, "XX9999"), "XX9999 is not the p-code of a district (admin2)."),
        (_with(0, "Z999"), "Z999 is not an activity code of the catalogue."),
        (_with(4, "Nobody"), "Nobody is not an approved partner of the directory."),
        (_with(7, "someday"), "someday is not a status"),
        (_with(9, "ten"), "Enter a whole number, in digits only (for example 1250)."),
    ],
    ids=[
        "negative",
        "not adding up",
        "unknown p-code",
        "unknown activity",
        "unknown partner",
        "unknown status",
        "not a number",
    ],
)
def test_it_lists_each_bad_row_with_its_number_and_imports_nothing(setup, focal, row, message):
    content = filled(download_template(focal, setup.report), [GOOD_ROW, row, GOOD_ROW])
    response = upload(focal, setup.report, content)
    assert response.status_code == 400
    page = _page(response)
    assert message in page
    assert "<td>7</td>" in page  # the second data row is row 7 of the sheet
    assert "<td>6</td>" not in page
    _nothing_saved(setup)


def test_it_lists_every_problem_of_the_file_at_once(setup, focal):
    rows = [_with(0, "Z1"), GOOD_ROW, _with(2, "XX1")]
    response = upload(focal, setup.report, filled(download_template(focal, setup.report), rows))
    page = _page(response)
    assert has_phrase(page, "2 problems")
    assert "<td>6</td>" in page
    assert "<td>8</td>" in page


# --- the figures each activity asks for -----------------------------------------------------------


def _figures_row(code: str, *figures) -> list:
    """A good row of the activity with these girls, boys, women, men, older people, people
    with disabilities and total."""
    return [code, "", "ZZ0101", "", "AH", "", "ECHO", "Ongoing", *figures]


@pytest.fixture
def antenatal(setup):
    return ActivityFactory(code="ANC", name_en="Antenatal care", groups=("women",))


def test_women_for_a_women_only_activity_are_imported(setup, focal, antenatal):
    rows = [_figures_row("ANC", None, None, 40, None, None, None, None)]
    response = upload(focal, setup.report, filled(download_template(focal, setup.report), rows))
    assert response.status_code == 302
    focal.post(response["Location"])
    row = ReportRow.objects.get(report=setup.report)
    assert (row.girls, row.boys, row.women, row.men, row.total) == (None, None, 40, None, 40)


def test_men_for_a_women_only_activity_are_refused_with_the_groups_it_counts(
    setup, focal, antenatal
):
    rows = [_figures_row("ANC", None, None, 40, 3, None, None, 43)]
    response = upload(focal, setup.report, filled(download_template(focal, setup.report), rows))
    assert response.status_code == 400
    assert "This activity counts women only: leave men empty." in _page(response)
    assert "<td>6</td>" in _page(response)
    _nothing_saved(setup)


def test_a_women_only_activity_with_no_women_names_the_column(setup, focal, antenatal):
    rows = [_figures_row("ANC", None, None, None, None, None, None, None)]
    response = upload(focal, setup.report, filled(download_template(focal, setup.report), rows))
    assert response.status_code == 400
    page = _page(response)
    assert "<td>Women</td>" in page
    assert "This activity counts women: enter a figure for women (zero if none)." in page
    _nothing_saved(setup)


@pytest.mark.parametrize(("total", "imported"), [(55, True), (40, True), (30, False)])
def test_both_takes_a_total_at_least_the_groups(setup, focal, total, imported):
    ActivityFactory(code="ANC2", groups=("women",), collects=Collects.BOTH)
    rows = [_figures_row("ANC2", None, None, 40, None, None, None, total)]
    response = upload(focal, setup.report, filled(download_template(focal, setup.report), rows))
    if imported:
        assert response.status_code == 302
        focal.post(response["Location"])
        assert ReportRow.objects.get(report=setup.report).total == total
    else:
        assert response.status_code == 400
        assert "Women add up to 40, more than the total of 30." in _page(response)
        _nothing_saved(setup)


def test_an_arabic_template_reads_back_the_same(setup, focal):
    response = focal.get(
        reverse("activities:report_template", args=[setup.report.pk]).replace("/en/", "/ar/")
    )
    template = b"".join(response.streaming_content)
    response = upload(focal, setup.report, filled(template, [GOOD_ROW]))
    assert response.status_code == 302
    focal.post(response["Location"])
    assert ReportRow.objects.get(report=setup.report).total == 50


# --- audit and queries ---------------------------------------------------------------------------


def _three_rows(setup) -> list[list]:
    return [
        GOOD_ROW,
        _with(2, "ZZ0102"),
        ["A002", "", "ZZ0101", "", "", "Local Clinic", "", "planned", *[""] * 6, 9],
    ]


def test_confirming_records_each_change_in_the_rows_history(setup, focal):
    removed = _existing_row(setup)
    content = filled(download_template(focal, setup.report), _three_rows(setup)[1:])
    response = upload(focal, setup.report, content)
    focal.post(response["Location"])
    history = ReportRow.history.filter(report_id=setup.report.pk)
    assert history.filter(id=removed.pk, history_type="-").count() == 1
    assert history.filter(history_type="+").count() == 3  # the first row, then the two new
    assert {h.history_user for h in history.filter(history_type="-")} == {setup.world.user("focal")}


def test_the_template_and_confirmation_pages_make_a_constant_number_of_queries(
    setup, focal, django_assert_max_num_queries
):
    rows = _three_rows(setup)
    content = filled(download_template(focal, setup.report), rows)
    confirm_url = upload(focal, setup.report, content)["Location"]
    focal.post(confirm_url)
    content = filled(download_template(focal, setup.report), [_with(14, 50), *rows[1:]])
    confirm_url = upload(focal, setup.report, content)["Location"]
    with django_assert_max_num_queries(15):
        response = focal.get(confirm_url)
    assert has_phrase(_page(response), "3 rows unchanged")
    with django_assert_max_num_queries(12):
        response = focal.get(reverse("activities:report_template", args=[setup.report.pk]))
        b"".join(response.streaming_content)
