"""The shared export module: formula neutralisation, streaming CSV, HXL and XLSX."""

import ast
import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation
from openpyxl import load_workbook

from core.exports import (
    BOM,
    Column,
    csv_writer,
    neutralise,
    new_workbook,
    stream_csv,
    unneutralise,
    xlsx_response,
)

# Every export reads its rows inside a transaction (a server-side cursor behind PgBouncer).
pytestmark = pytest.mark.django_db


@dataclass
class Place:
    name: str
    code: str
    people: int | None
    day: datetime.date | None = None


COLUMNS = [
    Column("Name", "#adm1+name", "name"),
    Column("Code", "#adm1+code", "code"),
    Column("People in need", "#inneed", lambda place: place.people),
    Column("Date", "#date", "day"),
]


def csv_text(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(response) -> list[list[str]]:
    text = csv_text(response)
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[len(BOM) :])))


def xlsx_rows(response) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(workbook.active.iter_rows(values_only=True))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("  =1+1", "'  =1+1"),
        ("\n=1+1", "'\n=1+1"),
        ("\tcell", "'\tcell"),
        ("\rcell", "'\rcell"),
        ("\uff1d1+1", "'\uff1d1+1"),
        ("Mother-and-child health", "Mother-and-child health"),
        ("a=b", "a=b"),
        ("الشمال", "الشمال"),
        ("", ""),
        (None, None),
        (42, 42),
        (-5, -5),
        (2.5, 2.5),
        (Decimal("-1.5"), Decimal("-1.5")),
    ],
)
def test_it_neutralises_only_what_a_spreadsheet_would_run(value, expected):
    assert neutralise(value) == expected


def test_numbers_stay_numbers():
    assert isinstance(neutralise(-3), int)


def test_the_csv_is_a_streaming_response_sent_in_chunks():
    places = (Place(f"Area {n}", f"ZZ{n:04d}", n) for n in range(3000))
    response = stream_csv(places, COLUMNS, filename="areas.csv")
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="areas.csv"'
    chunks = list(response.streaming_content)
    assert len(chunks) > 1
    rows = list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8")[1:])))
    assert len(rows) == 3001
    assert rows[-1] == ["Area 2999", "ZZ2999", "2999", ""]


def test_the_csv_reads_rows_only_while_it_is_sent():
    read = []

    def rows():
        for n in range(3):
            read.append(n)
            yield Place(f"Area {n}", f"ZZ{n}", n)

    response = stream_csv(rows(), COLUMNS, filename="areas.csv")
    assert read == []
    csv_text(response)
    assert read == [0, 1, 2]


# Not inside the test's own transaction: only then does in_atomic_block say what the export did.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_export_reads_its_cursor_inside_one_transaction(kind):
    """Outside a transaction Django declares the cursor WITH HOLD and fetches it in later
    statements, which PgBouncer in transaction mode may send to another server connection."""
    rows = ContentType.objects.order_by("pk").iterator(chunk_size=5)
    columns = [
        Column("Model", "", "model"),
        Column("In a transaction", "", lambda _row: connection.in_atomic_block),
    ]
    if kind == "csv":
        lines = csv_rows(stream_csv(rows, columns, filename="a.csv"))[1:]
    else:
        lines = xlsx_rows(xlsx_response(rows, columns, filename="a.xlsx", sheet_title="A"))[1:]
    assert len(lines) == ContentType.objects.count() > 5
    assert {str(line[1]) for line in lines} == {"True"}
    assert not connection.in_atomic_block


def test_arabic_text_survives_the_csv_round_trip_with_a_bom_for_excel():
    response = stream_csv([Place("الشمال", "ZZ01", 1200)], COLUMNS, filename="areas.csv")
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[1][:3] == ["الشمال", "ZZ01", "1200"]


def test_the_hxl_variant_puts_the_tags_under_the_header():
    response = stream_csv([Place("North", "ZZ01", 5)], COLUMNS, filename="a.csv", hxl=True)
    rows = csv_rows(response)
    assert rows[0] == ["Name", "Code", "People in need", "Date"]
    assert rows[1] == ["#adm1+name", "#adm1+code", "#inneed", "#date"]
    assert rows[2] == ["North", "ZZ01", "5", ""]


def test_the_plain_csv_has_no_tag_row():
    rows = csv_rows(stream_csv([Place("North", "ZZ01", 5)], COLUMNS, filename="a.csv"))
    assert rows[1][0] == "North"


def test_a_formula_in_a_csv_cell_arrives_as_text():
    rows = csv_rows(stream_csv([Place("=1+2", "@x", -4)], COLUMNS, filename="a.csv"))
    assert rows[1][:3] == ["'=1+2", "'@x", "-4"]


def test_a_missing_link_on_the_attribute_path_is_an_empty_cell():
    columns = [Column("Parent", "#adm1+code", "parent.pcode")]
    rows = csv_rows(stream_csv([Place("North", "ZZ01", 5)], columns, filename="a.csv"))
    assert rows[1] == [""]


def test_the_csv_headers_keep_the_language_of_the_request():
    columns = [Column(translation.gettext_lazy("Name"), "#name", "name")]
    with translation.override("ar"):
        response = stream_csv([Place("North", "ZZ01", 1)], columns, filename="a.csv")
    with translation.override("en"):
        rows = csv_rows(response)
    with translation.override("ar"):
        expected = str(translation.gettext_lazy("Name"))
    assert rows[0] == [expected]


def test_the_workbook_has_a_bold_header_and_typed_cells():
    day = datetime.date(2025, 3, 1)
    response = xlsx_response(
        [Place("الشمال", "ZZ01", 1200, day), Place("=cmd|' /C calc'!A0", "ZZ02", None)],
        COLUMNS,
        filename="areas.xlsx",
        sheet_title="Areas",
    )
    assert isinstance(response, FileResponse)
    assert response["Content-Disposition"] == 'attachment; filename="areas.xlsx"'
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook["Areas"]
    assert sheet["A1"].value == "Name"
    assert sheet["A1"].font.bold
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:3] == ("الشمال", "ZZ01", 1200)
    assert rows[1][3].date() == day
    assert rows[2][0] == "'=cmd|' /C calc'!A0"
    assert rows[2][2] is None


def test_the_workbook_can_carry_the_hxl_tags():
    response = xlsx_response(
        [Place("North", "ZZ01", 3)], COLUMNS, filename="a.xlsx", sheet_title="A", hxl=True
    )
    rows = xlsx_rows(response)
    assert rows[1] == ("#adm1+name", "#adm1+code", "#inneed", "#date")
    assert rows[2][:3] == ("North", "ZZ01", 3)


@pytest.mark.parametrize(
    "moment",
    [
        datetime.datetime(2026, 3, 15, 12, 0, tzinfo=datetime.UTC),
        datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC),
    ],
    ids=["mid-month", "new-year"],
)
def test_the_workbook_accepts_any_sheet_title_and_aware_times(moment):
    columns = [Column("When", "#date", "day")]
    response = xlsx_response(
        [Place("x", "y", 1, moment)], columns, filename="a.xlsx", sheet_title="Needs: 2025/03?"
    )
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["Needs  2025 03"]
    value = workbook.active["A2"].value
    assert value.replace(microsecond=0) == timezone.localtime(moment).replace(
        tzinfo=None, microsecond=0
    )


# One neutralising writer -----------------------------------------------------------------

HOSTILE = ["=1+2", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]


def saved(workbook) -> list[tuple]:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return list(load_workbook(io.BytesIO(buffer.getvalue())).active.iter_rows(values_only=True))


@pytest.mark.parametrize("text", HOSTILE)
def test_every_way_of_writing_a_workbook_cell_neutralises_it(text):
    workbook = new_workbook()
    sheet = workbook.active
    sheet.append([text, 7])
    sheet["A2"] = text
    sheet.cell(row=3, column=1, value=text)

    expected = "'" + text.replace("\r", "\n")  # XML reads a carriage return as a newline
    assert saved(workbook) == [(expected, 7), (expected, None), (expected, None)]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_write_only_workbook_neutralises_plain_and_styled_cells(text):
    workbook = new_workbook(write_only=True)
    sheet = workbook.create_sheet("Data")
    sheet.append([sheet.new_cell(text), text])

    expected = "'" + text.replace("\r", "\n")
    assert saved(workbook) == [(expected, expected)]


@pytest.mark.parametrize("text", HOSTILE)
def test_the_csv_writer_neutralises_every_cell(text):
    output = io.StringIO()
    csv_writer(output).writerow([text, None, -4])

    assert next(csv.reader(io.StringIO(output.getvalue()))) == ["'" + text, "", "-4"]


@pytest.mark.parametrize(
    "value",
    [*HOSTILE, "  =1+1", "\n=1+1", "\uff1d1+1", "'", "'quoted", "Mother-and-child health", None, 5],
)
def test_unneutralise_gives_back_what_neutralise_was_given(value):
    assert unneutralise(neutralise(value)) == value


def test_unneutralise_keeps_a_quote_the_portal_did_not_add():
    assert unneutralise("'Sheikh's clinic") == "'Sheikh's clinic"


WRITERS = {
    "openpyxl": {"Workbook", "WriteOnlyCell"},
    "openpyxl.cell": {"WriteOnlyCell"},
    "openpyxl.workbook": {"Workbook"},
    "csv": {"writer", "DictWriter"},
}


def _direct_writes(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.module in WRITERS:
            found += [
                f"from {node.module} import {alias.name}"
                for alias in node.names
                if alias.name in WRITERS[node.module]
            ]
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.attr in WRITERS.get(node.value.id, ())
        ):
            found.append(f"{node.value.id}.{node.attr}")
    return found


def test_no_module_writes_spreadsheets_or_csv_but_through_the_neutralising_writer():
    base = Path(settings.BASE_DIR)
    roots = {
        Path(config.path) for config in apps.get_app_configs() if Path(config.path).parent == base
    }
    modules = sorted(path for root in roots for path in root.rglob("*.py"))
    assert base / "activities" / "excel.py" in modules
    offenders = {
        str(path.relative_to(base)): _direct_writes(path)
        for path in modules
        if path != base / "core" / "exports.py"
    }
    assert {path: found for path, found in offenders.items() if found} == {}
