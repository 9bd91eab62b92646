"""Hostile and broken files sent to the facility imports are refused with a clear message,
never a 500, and nothing is saved: what is not a workbook, a zip bomb, macros, a file too
large, rows past the limit (declared or real), the other template, formulas, huge numbers
and values of the wrong type. ``tests/fuzz`` sends many more damaged templates to both
uploads (``tests/fuzz/uploads.py``)."""

import datetime
import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import Workbook

from facilities import sheets
from facilities.models import Facility, FacilityStatus
from facilities.sheets import FACILITIES, LAST_DATA_ROW, STATUSES
from tests.core.test_macro_files import MESSAGE as MACROS
from tests.core.test_macro_files import with_macros
from tests.facilities.factories import make_registry
from tests.facilities.import_helpers import (
    FACILITY_ROW,
    as_upload,
    filled,
    status_row,
    template,
)
from tests.fuzz.mutations import Poke
from tests.workbooks import declaring

pytestmark = pytest.mark.django_db

FACILITY_IMPORT = reverse("facilities:import")
STATUS_IMPORT = reverse("facilities:status_import")


@pytest.fixture
def coordinator(world, login):
    make_registry(world)
    return login(world.user("coordinator"))


def refused(client, url: str, content: bytes, name: str = "facilities.xlsx") -> str:
    """The upload's page, once it answered 400 and saved nothing."""
    before = (Facility.objects.count(), FacilityStatus.objects.count())
    response = client.post(url, {"file": as_upload(content, name)})
    assert response.status_code == 400, response.status_code
    assert (Facility.objects.count(), FacilityStatus.objects.count()) == before
    return response.content.decode()


def messages_of(client, url: str, content: bytes) -> list[str]:
    refused(client, url, content)
    response = client.post(url, {"file": as_upload(content)})
    return [str(problem) for problem in response.context["problems"]]


def _facilities(rows=None) -> bytes:
    return filled(template(FACILITIES), rows if rows is not None else [FACILITY_ROW])


def test_a_file_that_is_no_workbook_is_refused(coordinator):
    page = refused(coordinator, FACILITY_IMPORT, b"MZ\x90\x00 a program renamed", "list.xlsx")
    assert "The file list.xlsx is not an Excel (XLSX) workbook, or it is damaged." in page


def test_a_damaged_workbook_is_refused(coordinator):
    data = _facilities()
    page = refused(coordinator, FACILITY_IMPORT, Poke(0.6, 0x00).apply(Poke(0.5, 0xFF).apply(data)))
    assert "could not be read as an Excel workbook" in page or "is not an Excel" in page


def test_a_zip_bomb_is_refused_before_it_is_unpacked(coordinator):
    source = zipfile.ZipFile(io.BytesIO(_facilities()))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("xl/media/padding.bin", b"\0" * (150 * 1024 * 1024))
    assert len(output.getvalue()) < 1024 * 1024
    page = refused(coordinator, FACILITY_IMPORT, output.getvalue())
    assert (
        "The file facilities.xlsx would be far too large once unpacked; it was not opened." in page
    )


def test_a_workbook_with_macros_is_refused(coordinator, world):
    page = refused(coordinator, STATUS_IMPORT, with_macros(template(STATUSES, world.user("staff"))))
    assert f"The file facilities.xlsx {MACROS}" in page


def test_a_file_too_large_is_refused_before_it_is_read(coordinator):
    page = refused(coordinator, FACILITY_IMPORT, b"PK\x03\x04" + b"\0" * (6 * 1024 * 1024))
    assert "The file is larger than 5 MB." in page


def test_a_sheet_declaring_rows_past_the_limit_is_refused_before_they_are_read(coordinator):
    data = declaring(_facilities(), '<dimension ref="A1:I100000"/>')
    [message] = messages_of(coordinator, FACILITY_IMPORT, data)
    assert message == (
        "The sheet “Facilities” uses rows down to row 100,000; it may hold at most 10,000 rows, "
        "from row 3 to row 10,002. Split the file, or delete the rows below your data, even "
        "those that look empty."
    )


def _long_sheet(rows: int) -> bytes:
    """The statuses layout with this many rows of one cell, written as a script would."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Statuses")
    sheet.append([str(column.header) for column in sheets.STATUS_COLUMNS])
    sheet.append([column.tag for column in sheets.STATUS_COLUMNS])
    for number in range(rows):
        sheet.append([f"HF-{number:06d}"])
    output = io.BytesIO()
    workbook.save(output)
    return declaring(output.getvalue(), "")  # no size declared: every row is there to read


def test_a_hundred_thousand_rows_are_refused_at_the_first_row_past_the_limit(coordinator):
    data = _long_sheet(100_000)
    assert len(data) < sheets.MAX_UPLOAD_BYTES
    [message] = messages_of(coordinator, STATUS_IMPORT, data)
    assert message == (
        "The sheet “Statuses” holds more than 10,000 rows; it was not imported. Split it into "
        "several files."
    )


def test_a_sheet_of_the_most_rows_allowed_is_read_to_its_end(coordinator):
    data = _long_sheet(LAST_DATA_ROW - 2)
    # Read to the end: its rows name facilities without a status, which are left out.
    assert messages_of(coordinator, STATUS_IMPORT, data) == [
        "The sheet “Statuses” holds no row to import under its headers."
    ]


def test_the_other_template_is_refused_with_where_it_goes(coordinator, world):
    [message] = messages_of(coordinator, FACILITY_IMPORT, template(STATUSES, world.user("staff")))
    assert message == (
        "This is the template of facility statuses, not of facilities: upload it on the page "
        "that imports statuses."
    )
    [message] = messages_of(coordinator, STATUS_IMPORT, _facilities())
    assert message == (
        "This is the template of facilities, not of their statuses: upload it on the page that "
        "imports facilities."
    )


def test_a_workbook_without_the_row_of_hashtags_is_refused(coordinator):
    workbook = Workbook()
    workbook.active.append(["Facility", "Beds"])
    workbook.active.append(["North clinic", 12])
    output = io.BytesIO()
    workbook.save(output)
    [message] = messages_of(coordinator, FACILITY_IMPORT, output.getvalue())
    assert message.startswith(
        "No sheet of this workbook has the row of HXL hashtags of the facilities template in "
        "its row 2 (#loc+code, #loc+name+i_en,"
    )


def test_formulas_are_refused_in_every_cell_that_holds_one(coordinator):
    row = [
        "=A1",
        '=HYPERLINK("http://evil.example","x")',
        "",
        "phc",
        "ngo",
        "ZZ01",
        "=1/0",
        "=2",
        "",
    ]
    problems = messages_of(coordinator, FACILITY_IMPORT, _facilities([row]))
    assert {problem.split(": ")[0] for problem in problems} == {
        "Sheet “Facilities”, row 3, Code",
        "Sheet “Facilities”, row 3, Name (English)",
        "Sheet “Facilities”, row 3, Longitude",
        "Sheet “Facilities”, row 3, Latitude",
    }
    assert all("The cell holds a formula." in problem for problem in problems)


def test_text_that_looks_like_a_formula_is_kept_as_text(coordinator):
    name = '\'=HYPERLINK("http://evil.example")'  # as the template writes it, quoted
    row = ["", name, "@SUM(1)", *FACILITY_ROW[3:]]
    response = coordinator.post(FACILITY_IMPORT, {"file": as_upload(_facilities([row]))})
    assert response.status_code == 302
    added = Facility.objects.get(name_ar="@SUM(1)")
    assert added.name_en == '=HYPERLINK("http://evil.example")'


HUGE = {
    "a longitude of five thousand digits": (
        "lon",
        "9" * 5000,
        "Enter a number no larger than 180.",
    ),
    "an infinite latitude": ("lat", "Infinity", "Enter a number in digits, with a point"),
    "a longitude in exponent": ("lon", "1e309", "Enter a number in digits, with a point"),
}


@pytest.mark.parametrize("case", HUGE)
def test_huge_numbers_are_refused(coordinator, case):
    key, value, message = HUGE[case]
    row = list(FACILITY_ROW)
    row[6], row[7] = 35, 32
    row[6 if key == "lon" else 7] = value
    [problem] = messages_of(coordinator, FACILITY_IMPORT, _facilities([row]))
    assert message in problem


WRONG_TYPES = {
    "a date for beds": ("beds", datetime.date(2026, 1, 1), "Beds: Enter a whole number"),
    "a float for beds": ("beds", 12.5, "Beds: Enter a whole number"),
    "a huge float for beds": ("beds", 1e308, "Beds: Enter a number no larger than 20,000."),
    "a truth for functionality": ("functionality", True, "Functionality: “True” is not one"),
    "a number for the day": ("as_of", 45_000.5, "Status on: “45000.5” is not a day."),
    "a number for the source": ("source", 12, None),
}


@pytest.mark.parametrize("case", WRONG_TYPES)
def test_values_of_the_wrong_type_are_refused_or_read_as_text(coordinator, world, case):
    key, value, message = WRONG_TYPES[case]
    content = filled(template(STATUSES, world.user("coordinator")), [status_row(**{key: value})])
    response = coordinator.post(STATUS_IMPORT, {"file": as_upload(content)})
    if message is None:
        assert response.status_code == 302
        assert FacilityStatus.objects.filter(source="12").exists()
        return
    [problem] = [str(problem) for problem in response.context["problems"]]
    assert problem.startswith(f"Sheet “Statuses”, row 3, {message}")
