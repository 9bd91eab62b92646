"""Shared helpers of the facility import tests (no tests of their own): the portal's own
templates, filled with rows, as a browser uploads them."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from core.sheets import FIRST_DATA_ROW
from facilities import sheets
from facilities.sheets import FACILITIES
from tests.facilities.conftest import PINNED

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Code, names, type, ownership, area, longitude, latitude, services.
FACILITY_ROW = ["", "South Clinic", "عيادة الجنوب", "phc", "ngo", "ZZ01", None, None, ""]


def status_row(code: str = "HOS-1", **changes) -> list:
    """A status row of the template: code, name (not read), day, the three dimensions,
    causes, beds, source and organisation. Dated the pinned day, not the calendar's: rows are
    made when the tests are collected, before the autouse fixture pins the clock."""
    values = {
        "code": code,
        "name": "",
        "as_of": PINNED.date(),
        "functionality": "Partially functioning",
        "building": "Not damaged",
        "accessibility": "Fully accessible",
        "causes": "Lack of utilities (power, fuel, water)",
        "beds": 40,
        "source": "Call with the hospital director",
        "organisation": "",
    }
    values.update(changes)
    return [values[column.key] for column in sheets.STATUS_COLUMNS]


def template(kind: str, user=None) -> bytes:
    handle = sheets.facilities_template() if kind == FACILITIES else sheets.statuses_template(user)
    with handle:
        return handle.read()


def filled(data: bytes, rows: list[list], *, keep: bool = False, edit=None) -> bytes:
    """The template with these rows from row 3 (replacing those it listed, unless ``keep``)."""
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.worksheets[0]
    first = FIRST_DATA_ROW
    if keep:
        first = sheet.max_row + 1
    elif sheet.max_row >= FIRST_DATA_ROW:
        sheet.delete_rows(FIRST_DATA_ROW, sheet.max_row - FIRST_DATA_ROW + 1)
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=first + offset, column=column, value=value)
    if edit:
        edit(workbook)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def as_upload(content: bytes, name: str = "facilities.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX_TYPE)


def facilities_file(rows: list[list] | None = None) -> SimpleUploadedFile:
    return as_upload(filled(template(FACILITIES), rows or [FACILITY_ROW]))


def statuses_file(user, rows: list[list] | None = None) -> SimpleUploadedFile:
    return as_upload(filled(template(sheets.STATUSES, user), rows or [status_row()]))
