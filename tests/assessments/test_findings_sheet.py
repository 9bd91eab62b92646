"""The findings sheet: the template's content, the round trip, and every kind of bad row."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from assessments import services
from assessments.findings_sheet import SHEET_NAME, build_template
from assessments.models import Finding
from strategy.models import HealthDomain
from tests.assessments.workflow_helpers import district, domains, make_draft, pdf_upload
from tests.factories import AdminAreaFactory

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def as_upload(workbook: Workbook, name: str = "findings.xlsx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


def sheet_with_rows(rows: list[list]) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    sheet.append(["p-code", "area", "domain", "domain name", "severity", "people in need"])
    for row in rows:
        sheet.append(row)
    return as_upload(workbook)


def upload(client, assessment, file):
    return client.post(reverse("assessments:findings_upload", args=[assessment.pk]), {"file": file})


def test_the_template_has_a_row_per_area_and_domain_with_the_findings_so_far(world):
    other = district(world)
    assessment = make_draft(world, areas=[world.area, other])
    first = domains(1)[0]
    services.findings_save(
        assessment=assessment,
        by=world.user("focal"),
        findings=[services.FindingInput(area=other, domain=first, severity=4, people_in_need=900)],
    )
    workbook = load_workbook(io.BytesIO(build_template(assessment)))
    assert workbook.sheetnames[:2] == ["Instructions", SHEET_NAME]
    sheet = workbook[SHEET_NAME]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 2 * len(domains())
    assert ("ZZ0101", "North District", first.code, first.name_en, 4, 900) in rows
    assert all(row[0] in {"ZZ01", "ZZ0101"} for row in rows)
    kinds = {rule.type for rule in sheet.data_validations.dataValidation}
    assert {"whole", "list"} <= kinds


def test_the_template_speaks_the_users_language(world):
    assessment = make_draft(world)
    with translation.override("ar"):
        content = build_template(assessment)
    workbook = load_workbook(io.BytesIO(content))
    # Arabic names of areas and domains; the codes stay as they are.
    rows = list(workbook[SHEET_NAME].iter_rows(min_row=2, values_only=True))
    assert rows[0][0] == "ZZ01"
    assert rows[0][1] == "الشمال"


def test_the_template_downloads_as_xlsx(world, login):
    assessment = make_draft(world)
    response = login(world.user("focal")).get(
        reverse("assessments:findings_template", args=[assessment.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment;" in response["Content-Disposition"]
    load_workbook(io.BytesIO(response.content))


def test_the_round_trip_fills_the_template_and_imports_it(world, login):
    inside = district(world)
    assessment = make_draft(world)
    client = login(world.user("focal"))
    response = client.get(reverse("assessments:findings_template", args=[assessment.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook[SHEET_NAME]
    first, second = domains(2)
    for row in sheet.iter_rows(min_row=2):
        if row[2].value == first.code:
            row[4].value = 5
            row[5].value = 3000
        elif row[2].value == second.code:
            row[4].value = 2
    # A district inside the covered governorate, added by hand.
    sheet.append([inside.pcode, "", first.code, "", 3, 250])
    response = upload(client, assessment, as_upload(workbook))
    assert response.status_code == 302
    assert sorted(
        Finding.objects.values_list("area__pcode", "domain__code", "severity", "people_in_need")
    ) == sorted(
        [
            ("ZZ01", first.code, 5, 3000),
            ("ZZ01", second.code, 2, None),
            ("ZZ0101", first.code, 3, 250),
        ]
    )


def test_a_valid_upload_adds_its_findings_and_keeps_those_it_does_not_list(world, login):
    assessment = make_draft(world)
    first, second = domains(2)
    services.findings_save(
        assessment=assessment,
        by=world.user("focal"),
        findings=[services.FindingInput(area=world.area, domain=first, severity=1)],
    )
    response = upload(
        login(world.user("focal")),
        assessment,
        sheet_with_rows([["ZZ01", "", second.code, "", 4, 10]]),
    )
    assert response.status_code == 302
    assert sorted(Finding.objects.values_list("domain__code", "severity")) == sorted(
        [(first.code, 1), (second.code, 4)]
    )


BAD_ROWS = [
    (["XX99", "", "{first}", "", 3, 10], "Row 3: no area has the p-code XX99."),
    (["ZZ02", "", "{first}", "", 3, 10], "Row 3: the area ZZ02 is not covered by the assessment"),
    (["ZZ01", "", "astrology", "", 3, 10], "Row 3: no health domain has the code astrology."),
    (
        ["ZZ01", "", "{second}", "", 6, 10],
        "Row 3: the severity must be a whole number from 1 to 5.",
    ),
    (
        ["ZZ01", "", "{second}", "", 0, 10],
        "Row 3: the severity must be a whole number from 1 to 5.",
    ),
    (["ZZ01", "", "{second}", "", 3, -4], "Row 3: the people in need must be a whole number"),
    (["ZZ01", "", "{second}", "", 3, 12.5], "Row 3, people in need: Enter a whole number"),
    (["ZZ01", "", "{second}", "", 3, "many"], "Row 3, people in need: Enter a whole number"),
    (["ZZ01", "", "{first}", "", 2, 10], "Row 3 repeats the area and domain of row 2."),
    (["ZZ01", "", "{second}", "", None, 10], "Row 3: give a severity from 1 to 5"),
]


@pytest.mark.parametrize(("bad_row", "message"), BAD_ROWS)
def test_a_sheet_with_a_bad_row_imports_nothing(world, login, bad_row, message):
    AdminAreaFactory(pcode="ZZ02", name_en="South")
    assessment = make_draft(world)
    first, second = domains(2)
    services.findings_save(
        assessment=assessment,
        by=world.user("focal"),
        findings=[services.FindingInput(area=world.area, domain=second, severity=1)],
    )
    codes = {"first": first.code, "second": second.code}
    row = [value.format(**codes) if isinstance(value, str) else value for value in bad_row]
    response = upload(
        login(world.user("focal")),
        assessment,
        sheet_with_rows([["ZZ01", "", first.code, "", 3, 100], row]),
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Nothing was imported." in response.content.decode()
    # The earlier finding is untouched and the good row was not imported.
    assert list(Finding.objects.values_list("domain__code", "severity")) == [(second.code, 1)]


def test_every_bad_row_is_listed(world, login):
    assessment = make_draft(world)
    first = domains(1)[0]
    response = upload(
        login(world.user("focal")),
        assessment,
        sheet_with_rows([["XX1", "", first.code, "", 3, 1], ["XX2", "", first.code, "", 9, 1]]),
    )
    text = response.content.decode()
    assert "Row 2: no area has the p-code XX1." in text
    assert "Row 3: no area has the p-code XX2." in text
    assert "Row 3: the severity must be a whole number from 1 to 5." in text


def test_a_file_that_is_not_a_workbook_is_refused(world, login):
    assessment = make_draft(world)
    response = upload(login(world.user("focal")), assessment, pdf_upload("findings.xlsx"))
    assert response.status_code == 400
    assert "The file findings.xlsx is not an Excel (XLSX) workbook." in response.content.decode()


def test_a_sheet_whose_xml_is_damaged_is_refused_and_nothing_changes(world, login):
    """Found by the upload fuzz: openpyxl writes U+FFFF, which XML forbids, and the sheet's
    XML then fails to parse while its rows are read, after the workbook has opened."""
    assessment = make_draft(world)
    first = domains(1)[0]
    services.findings_save(
        assessment=assessment,
        by=world.user("focal"),
        findings=[
            services.FindingInput(area=world.area, domain=first, severity=3, people_in_need=40)
        ],
    )
    damaged = sheet_with_rows([["ZZ01", "North", first.code, "x\uffffy", 4, 900]])

    response = upload(login(world.user("focal")), assessment, damaged)

    assert response.status_code == 400
    assert "The file findings.xlsx could not be read as an Excel workbook." in response.text
    finding = Finding.objects.get(assessment=assessment)
    assert (finding.severity, finding.people_in_need) == (3, 40)


def test_a_workbook_without_the_findings_sheet_is_refused(world, login):
    workbook = Workbook()
    workbook.active.title = "Other"
    assessment = make_draft(world)
    response = upload(login(world.user("focal")), assessment, as_upload(workbook))
    assert "The workbook has no sheet named Findings." in response.content.decode()


def test_retired_domains_are_not_offered(world):
    assessment = make_draft(world)
    retired = HealthDomain.objects.active().first()
    retired.is_active = False
    retired.save()
    workbook = load_workbook(io.BytesIO(build_template(assessment)))
    codes = {row[2] for row in workbook[SHEET_NAME].iter_rows(min_row=2, values_only=True)}
    assert retired.code not in codes
