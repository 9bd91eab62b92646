"""Issue 21: a findings sheet past its row limit is refused at once, and one within it is
read whole and written in a few statements.

A sheet of 20,001 rows was read to its last row (2 to 4 s under `make fuzz`) before being
refused; a sheet declaring fewer rows than it held was read only as far as it declared; and
20,000 findings changed took 20 s (a model object and a CASE expression per finding).
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from assessments import findings_sheet, services
from assessments.findings_sheet import SHEET_NAME
from assessments.models import Finding
from core import bulk
from tests.assessments.test_findings_sheet import XLSX, upload
from tests.assessments.workflow_helpers import district, domains, make_draft
from tests.workbooks import declaring

pytestmark = pytest.mark.django_db

LIMIT = 5


@pytest.fixture(autouse=True)
def _district(world):
    district(world)


@pytest.fixture
def small_limit(monkeypatch):
    monkeypatch.setattr(findings_sheet, "MAX_ROWS", LIMIT)
    monkeypatch.setattr(findings_sheet, "LAST_DATA_ROW", findings_sheet.FIRST_DATA_ROW + LIMIT - 1)


def sheet_bytes(world, count: int, *, declared: str | None = None) -> bytes:
    """A findings sheet of ``count`` rows, each a different area and domain of the world's
    area and a district in it; ``declared`` replaces the size the sheet declares."""
    pairs = [(area, domain.code) for area in (world.area.pcode, "ZZ0101") for domain in domains()]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    sheet.append(["p-code", "area", "domain", "domain name", "severity", "people in need"])
    for index in range(count):
        pcode, code = pairs[index]
        sheet.append([pcode, "", code, "", index % 5 + 1, index])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue() if declared is None else declaring(buffer.getvalue(), declared)


def post(world, login, assessment, data: bytes):
    client = login(world.user("focal"))
    return upload(client, assessment, SimpleUploadedFile("findings.xlsx", data, XLSX))


def test_a_sheet_declaring_rows_past_the_limit_is_refused_before_a_row_is_read(
    world, login, small_limit, monkeypatch
):
    assessment = make_draft(world)

    def never(upload, rows):
        raise AssertionError("a row was read")

    monkeypatch.setattr(findings_sheet, "sheet_rows", never)
    response = post(world, login, assessment, sheet_bytes(world, LIMIT + 1))
    assert response.status_code == 400
    assert (
        "The sheet uses rows down to row 7; it may hold at most 5 rows, from row 2 to row 6."
        in (response.content.decode())
    )
    assert not Finding.objects.exists()


def test_a_sheet_hiding_its_size_is_refused_at_the_row_past_the_limit(world, login, small_limit):
    assessment = make_draft(world)
    data = sheet_bytes(world, LIMIT + 3, declared='<dimension ref="A1:F3"/>')
    response = post(world, login, assessment, data)
    assert response.status_code == 400
    assert "The sheet has more than 5 rows." in response.content.decode()
    assert not Finding.objects.exists()


def test_a_sheet_without_a_size_is_refused_at_the_row_past_the_limit(world, login, small_limit):
    assessment = make_draft(world)
    response = post(world, login, assessment, sheet_bytes(world, LIMIT + 3, declared=""))
    assert response.status_code == 400
    assert "The sheet has more than 5 rows." in response.content.decode()


def test_a_sheet_declaring_fewer_rows_than_it_holds_is_read_whole(world, login):
    assessment = make_draft(world)
    count = 7
    data = sheet_bytes(world, count, declared='<dimension ref="A1:F2"/>')
    response = post(world, login, assessment, data)
    assert response.status_code == 302
    assert Finding.objects.filter(assessment=assessment).count() == count


def test_a_sheet_at_the_limit_is_imported(world, login, small_limit):
    assessment = make_draft(world)
    response = post(world, login, assessment, sheet_bytes(world, LIMIT))
    assert response.status_code == 302
    assert Finding.objects.filter(assessment=assessment).count() == LIMIT


def test_findings_written_in_batches_keep_every_change_and_its_history(world, monkeypatch):
    monkeypatch.setattr(bulk, "BATCH", 2)
    focal = world.user("focal")
    assessment = make_draft(world)
    first, second, third, fourth = domains(4)

    def finding(domain, severity, people=None):
        return services.FindingInput(
            area=world.area, domain=domain, severity=severity, people_in_need=people
        )

    services.findings_save(
        assessment=assessment,
        by=focal,
        findings=[finding(first, 1, 10), finding(second, 2), finding(third, 3, 30)],
    )
    counts = services.findings_save(
        assessment=assessment,
        by=focal,
        findings=[finding(first, 4, 40), finding(second, 5, 50), finding(fourth, 1)],
        replace_all=True,
        confirmed_removals=[(world.area.pk, third.pk)],
    )
    assert counts == {"added": 1, "changed": 2, "removed": 1}
    assert sorted(
        assessment.findings.values_list("domain__code", "severity", "people_in_need")
    ) == (sorted([(first.code, 4, 40), (second.code, 5, 50), (fourth.code, 1, None)]))
    history = Finding.history.all()
    assert sorted((h.domain_id, h.history_type, h.severity) for h in history) == sorted(
        [
            (first.pk, "+", 1),
            (second.pk, "+", 2),
            (third.pk, "+", 3),
            (fourth.pk, "+", 1),
            (first.pk, "~", 4),
            (second.pk, "~", 5),
            (third.pk, "-", 3),
        ]
    )
    assert {h.history_user for h in history} == {focal}
