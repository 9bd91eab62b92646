"""Filled projects templates for the import's tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from core.exports import XLSX_CONTENT_TYPE
from core.sheets import FIRST_DATA_ROW
from projects import imports

# (reference, organisation, title en, title ar, plan code, partners, donors, start, end,
#  status, budget, objectives)
PROJECT = ["P1", "", "Mobile clinics", "عيادات متنقلة", "HRP-26-001", "BR", "ECHO; CERF",
           "2026-01-01", "2026-12-31", "ongoing", 250000, "SO1"]  # fmt: skip
# (reference, objective, area, percent)
SHARES = [["P1", "SO1", "", 100], ["P1", "", "ZZ01", 60], ["P1", "", "ZZ02", 40]]
# (reference, activity, area, first month, last month, target, girls, boys, women, men)
PLANNED = [["P1", "OPD", "ZZ0101", "2026-02", "2026-06", 1200, 300, 280, 340, 280]]


def template(user) -> bytes:
    with imports.template(user) as handle:
        return handle.read()


def filled(user, projects=None, shares=None, planned=None, *, edit=None) -> bytes:
    """The template with these rows from row 3 of each data sheet (none given: the good
    rows above)."""
    workbook = load_workbook(io.BytesIO(template(user)))
    given = [
        projects if projects is not None else [PROJECT],
        shares if shares is not None else SHARES,
        planned if planned is not None else PLANNED,
    ]
    for sheet, rows in zip(workbook.worksheets[:3], given, strict=True):
        for offset, values in enumerate(rows):
            for column, value in enumerate(values, start=1):
                sheet.cell(row=FIRST_DATA_ROW + offset, column=column, value=value)
    if edit:
        edit(workbook)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def as_upload(content: bytes, name: str = "projects.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX_CONTENT_TYPE)
