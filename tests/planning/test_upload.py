"""Loading the needs overview's caseload table: a good file (CSV and Excel), every problem
reported by row and column with nothing saved, hostile files, and the dry run."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from planning.caseload_file import CaseloadFileError
from planning.models import Caseload
from planning.services import caseloads_load
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HEADER = "ADM1_PCODE,ADM1_NAME,ADM2_PCODE,PIN_T,TGT_T,PIN_F_CHILD,TGT_F_CHILD\n"
HXL = "#adm1+code,#adm1+name,#adm2+code,#inneed,#targeted,#inneed+f+children,#targeted+f+children\n"


@pytest.fixture
def cora(db):
    return UserFactory(is_coordinator=True)


def _csv(*rows: str) -> bytes:
    return (HEADER + HXL + "".join(row + "\n" for row in rows)).encode()


def _load(plan, data, by, dry_run=False):
    return caseloads_load(cycle=plan.cycle, data=data, source="HNO 2026", by=by, dry_run=dry_run)


def _saved(plan) -> set[tuple]:
    return set(
        Caseload.objects.filter(cycle=plan.cycle).values_list(
            "area__pcode", "group", "people_in_need", "people_targeted", "source"
        )
    )


def _problems(plan, data, by) -> list[tuple]:
    with pytest.raises(CaseloadFileError) as error:
        _load(plan, data, by)
    assert not Caseload.objects.exists()
    return [(problem.row, problem.pcode, problem.message) for problem in error.value.problems]


GOOD = _csv(
    "PL2,South,,8000,6000,1500,",
    'PL1,North,PL101,"3,000",2000,700,500',
    "PL1,North,PL102,1200,,,",
)


def test_a_good_file_replaces_the_cycles_caseloads(plan, cora):
    Caseload.objects.create(cycle=plan.cycle, area=plan.north, people_in_need=1)
    report = _load(plan, GOOD, cora)
    assert (report.added, report.removed) == (5, 1)
    assert _saved(plan) == {
        ("PL2", "all", 8000, 6000, "HNO 2026"),
        ("PL2", "girls", 1500, None, "HNO 2026"),
        ("PL101", "all", 3000, 2000, "HNO 2026"),
        ("PL101", "girls", 700, 500, "HNO 2026"),
        ("PL102", "all", 1200, None, "HNO 2026"),
    }


def test_an_excel_workbook_with_the_same_layout_is_read(plan, cora):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["ADM1_PCODE", "ADM2_PCODE", "PIN_T", "TGT_T"])
    sheet.append(["#adm1+code", "#adm2+code", "#inneed", "#targeted"])
    sheet.append(["PL2", None, 8000, 6000])
    sheet.append(["PL1", "PL101", 3000.0, 2000])
    buffer = io.BytesIO()
    workbook.save(buffer)
    _load(plan, buffer.getvalue(), cora)
    assert _saved(plan) == {
        ("PL2", "all", 8000, 6000, "HNO 2026"),
        ("PL101", "all", 3000, 2000, "HNO 2026"),
    }


def test_every_problem_is_reported_by_row_and_column(plan, cora):
    data = _csv(
        "PL9,Nowhere,,100,50,,",  # row 3: unknown p-code
        "PL2,South,,100,150,,",  # row 4: targeted above in need
        "PL1,North,,100,50,abc,",  # row 5: not a number, in PIN_F_CHILD
        "PL1,North,PL101,60,40,,",  # row 6: inside North, which has its own total
        "PL2,South,,1,1,,",  # row 7: PL2 again
        ",,,,,,9",  # row 8: no p-code
    )
    assert _problems(plan, data, cora) == [
        (3, "PL9", "No area of the portal has this p-code. Load the areas first, or correct it."),
        (
            4,
            "PL2",
            "South (PL2), all people: the people targeted (150) exceed the people in need (100).",
        ),
        (5, "PL1", "The PIN_F_CHILD cell holds “abc”, which is not a number."),
        (
            6,
            "PL101",
            "North One (PL101) lies in North (PL1), which has its own caseload for all people "
            "(row 5): giving both would count its people twice. Give the admin1 area or its "
            "districts, not both.",
        ),
        (7, "PL2", "This p-code is already on row 4."),
        (8, "", "The row has no p-code in ADM2_PCODE / ADM1_PCODE."),
    ]


def test_a_district_in_the_admin1_column_is_refused(plan, cora):
    assert _problems(plan, _csv("PL101,,,10,5,,"), cora) == [
        (3, "PL101", "North One (PL101) is an admin2 area, not one for the ADM1_PCODE column.")
    ]


def test_a_targeted_figure_without_its_in_need_figure_is_refused(plan, cora):
    assert _problems(plan, _csv("PL1,North,,,5,,"), cora) == [
        (
            3,
            "PL1",
            "The TGT_T cell has a figure but the PIN_T cell is empty: give the people in need too.",
        )
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"\xff\xfeA,B\n", "not UTF-8"),
        (b"NAME,PIN_T\nx,1\n", "The header has no ADM1_PCODE or ADM2_PCODE column."),
        (b"ADM1_PCODE,TGT_T\nPL1,1\n", "The file has a TGT_T column but no PIN_T column"),
        (b"ADM1_PCODE,PIN_T\n", "The file has a header but no areas below it."),
        (b"ADM1_PCODE,PIN_T\nPL1,=1+1\n", "holds a formula"),
        (b"ADM1_PCODE,PIN_T\nPL1,-5\n", "holds a negative number"),
        (b"ADM1_PCODE,PIN_T\nPL1,99999999999\n", "more than the"),
        (b"PK\x03\x04 not really a workbook", "not an Excel (XLSX) workbook"),
        (b'ADM1_PCODE,PIN_T\n"PL1,1\n', "cannot be read as CSV"),
    ],
    ids=[
        "empty",
        "utf16",
        "no-pcode",
        "targeted-alone",
        "no-rows",
        "formula",
        "negative",
        "huge",
        "fake-zip",
        "broken-quote",
    ],
)
def test_a_hostile_file_is_refused_with_a_reason_and_saves_nothing(plan, cora, data, message):
    with pytest.raises(CaseloadFileError) as error:
        _load(plan, data, cora)
    assert any(message in problem.message for problem in error.value.problems), error.value.problems
    assert not Caseload.objects.exists()


def test_a_dry_run_reports_and_saves_nothing(plan, cora):
    report = _load(plan, GOOD, cora, dry_run=True)
    assert report.dry_run
    assert report.added == 5
    assert not Caseload.objects.exists()
    assert not Caseload.history.exists()


# --- the page -----------------------------------------------------------------------------------


def _post(client, plan, content: bytes, name="hno.csv", **extra):
    url = reverse("planning:caseload_upload", args=[plan.cycle.pk])
    upload = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(url, {"file": upload, "source": "HNO 2026", **extra})


def test_the_page_loads_a_file_and_says_what_changed(plan, cora, client):
    client.force_login(cora)
    response = _post(client, plan, GOOD)
    assert response.status_code == 200
    assert "5 caseloads added, 0 changed, 0 removed and 0 unchanged." in response.content.decode()
    assert len(_saved(plan)) == 5


def test_the_page_dry_run_saves_nothing(plan, cora, client):
    client.force_login(cora)
    response = _post(client, plan, GOOD, dry_run="on")
    assert "The file is correct. Nothing was loaded yet." in response.content.decode()
    assert not Caseload.objects.exists()


def test_the_page_lists_the_files_problems_with_a_400(plan, cora, client):
    client.force_login(cora)
    response = _post(client, plan, _csv("PL9,Nowhere,,100,50,,"))
    assert response.status_code == 400
    assert "No area of the portal has this p-code." in response.content.decode()


def test_the_page_refuses_a_file_over_the_size_limit(plan, cora, client):
    client.force_login(cora)
    response = _post(client, plan, GOOD + b" " * (5 * 1024 * 1024))
    assert response.status_code == 400
    assert "the limit is 5.0" in response.content.decode()
    assert not Caseload.objects.exists()


def test_the_template_has_the_layout_and_hxl_row_with_the_admin1_areas(plan, cora, client):
    client.force_login(cora)
    response = client.get(reverse("planning:caseload_template"))
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "ADM1_PCODE,ADM1_NAME,ADM2_PCODE,ADM2_NAME,PIN_T,PIN_F_CHILD,PIN_M_CHILD,PIN_F_ADULT,"
        "PIN_M_ADULT,TGT_T,TGT_F_CHILD,TGT_M_CHILD,TGT_F_ADULT,TGT_M_ADULT"
    )
    assert lines[1] == (
        "#adm1+code,#adm1+name,#adm2+code,#adm2+name,#inneed,#inneed+f+children,"
        "#inneed+m+children,#inneed+f+adults,#inneed+m+adults,#targeted,#targeted+f+children,"
        "#targeted+m+children,#targeted+f+adults,#targeted+m+adults"
    )
    assert "PL1,North,,,,,,,,,,,," in lines
    # The template, filled in, loads.
    filled = "\n".join([*lines[:2], "PL1,North,,,10,,,,,5,,,,"]).encode()
    _load(plan, filled, cora)
    assert _saved(plan) == {("PL1", "all", 10, 5, "HNO 2026")}
