"""Shared helpers of the Excel import tests (no tests of its own)."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from activities.excel import FIRST_DATA_ROW

GOOD_ROW = ["A001", "", "ZZ0101", "", "AH", "", "ECHO", "Ongoing", 10, 10, 20, 10, 5, 2, 50]


def download_template(client, report) -> bytes:
    response = client.get(reverse("activities:report_template", args=[report.pk]))
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def filled(template: bytes, rows: list[list], *, edit=None) -> bytes:
    """The template with its data rows replaced by these."""
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook.worksheets[0]
    if sheet.max_row >= FIRST_DATA_ROW:
        sheet.delete_rows(FIRST_DATA_ROW, sheet.max_row - FIRST_DATA_ROW + 1)
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=FIRST_DATA_ROW + offset, column=column, value=value)
    if edit:
        edit(sheet)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def upload(client, report, content: bytes, name: str = "report.xlsx"):
    return client.post(
        reverse("activities:report_import", args=[report.pk]),
        {"file": SimpleUploadedFile(name, content)},
    )


def zip_of(parts: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", compression=compression) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return output.getvalue()
