"""Hostile and broken files sent to the projects import are refused with a clear message,
never a 500, and nothing is saved: what is not a workbook, a zip bomb, macros, a file too
large, rows past the limit (declared or real), a workbook without the template's hashtags."""

import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import Workbook

from projects import sheets
from projects.models import Project
from tests.core.test_macro_files import MESSAGE as MACROS
from tests.core.test_macro_files import with_macros
from tests.projects.import_helpers import as_upload, filled
from tests.workbooks import declaring

pytestmark = pytest.mark.django_db

IMPORT = reverse("projects:import")


@pytest.fixture
def staff(world, login):
    return login(world.user("staff"))


def problems(client, content: bytes, name: str = "projects.xlsx") -> list[str]:
    response = client.post(IMPORT, {"file": as_upload(content, name)})
    assert response.status_code == 400
    assert not Project.objects.exists()
    return [str(problem) for problem in response.context["problems"]] + [
        str(error) for errors in response.context["form"].errors.values() for error in errors
    ]


def test_a_file_that_is_no_workbook_is_refused(staff):
    assert problems(staff, b"MZ\x90\x00 a program renamed", "plan.xlsx") == [
        "The file plan.xlsx is not an Excel (XLSX) workbook, or it is damaged."
    ]


def test_a_zip_bomb_is_refused_before_it_is_unpacked(staff, world):
    source = zipfile.ZipFile(io.BytesIO(filled(world.user("staff"))))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("xl/media/padding.bin", b"\0" * (150 * 1024 * 1024))
    assert len(output.getvalue()) < 1024 * 1024
    assert problems(staff, output.getvalue()) == [
        "The file projects.xlsx would be far too large once unpacked; it was not opened."
    ]


def test_a_workbook_with_macros_is_refused(staff, world):
    [message] = problems(staff, with_macros(filled(world.user("staff"))))
    assert message.startswith(f"The file projects.xlsx {MACROS}")


def test_a_file_too_large_is_refused_before_it_is_read(staff):
    assert problems(staff, b"PK\x03\x04" + b"\0" * (6 * 1024 * 1024)) == [
        "The file is larger than 5 MB."
    ]


def test_a_sheet_declaring_rows_past_the_limit_is_refused_before_they_are_read(staff, world):
    data = declaring(filled(world.user("staff")), '<dimension ref="A1:L100000"/>')
    assert problems(staff, data) == [
        "The sheet “Projects” uses rows down to row 100,000; it may hold at most 300 rows, "
        "from row 3 to row 302. Split the file, or delete the rows below your data, even "
        "those that look empty."
    ]


def test_the_planned_activities_may_hold_more_rows_than_the_projects(staff, world):
    def grow(workbook):
        workbook.worksheets[2].cell(row=2002, column=1, value="P1")
        workbook.worksheets[2].cell(row=2003, column=1, value="P1")

    assert problems(staff, filled(world.user("staff"), edit=grow)) == [
        "The sheet “Planned activities” uses rows down to row 2,003; it may hold at most 2,000 "
        "rows, from row 3 to row 2,002. Split the file, or delete the rows below your data, "
        "even those that look empty."
    ]


def test_rows_past_the_limit_are_refused_at_the_first_one(staff):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Projects")
    sheet.append([str(column.header) for column in sheets.PROJECT_COLUMNS])
    sheet.append([column.tag for column in sheets.PROJECT_COLUMNS])
    for number in range(50_000):
        sheet.append([f"P{number}"])
    output = io.BytesIO()
    workbook.save(output)
    data = declaring(output.getvalue(), "")  # no size declared: every row is there to read
    assert problems(staff, data) == [
        "The sheet “Projects” holds more than 300 rows; it was not imported. Split it into "
        "several files."
    ]


def test_a_workbook_without_the_row_of_hashtags_is_refused(staff):
    workbook = Workbook()
    workbook.active.append(["Project", "Budget"])
    workbook.active.append(["Clinics", 12])
    output = io.BytesIO()
    workbook.save(output)
    [message] = problems(staff, output.getvalue())
    assert message.startswith(
        "No sheet of this workbook has the row of HXL hashtags of the projects template in "
        "its row 2 (#activity+project+id, #org+name,"
    )
