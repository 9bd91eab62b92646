"""Issue 21: uploads that say what they will do before they do it.

Uploading the findings template of an assessment unchanged deleted the findings on
sub-areas that the template did not list ("0 added, 0 changed, 9 removed"). Now an
unchanged sheet changes nothing, findings a sheet does not mention are kept unless the user
chose to replace every finding, and a sheet that would remove findings lists them and asks.
"""

import io

import pytest
from django.core import signing
from django.urls import reverse
from openpyxl import load_workbook

from assessments import confirmations, services
from assessments.findings_sheet import SHEET_NAME, SheetFindings
from assessments.models import Finding
from tests.assessments.test_findings_sheet import as_upload, sheet_with_rows
from tests.assessments.workflow_helpers import district, domains, make_draft

pytestmark = pytest.mark.django_db


def findings_on_a_district(world):
    """An assessment of the governorate with findings on a district inside it, as in the bug."""
    inside = district(world)
    assessment = make_draft(world)
    first, second, third = domains(3)
    services.findings_save(
        assessment=assessment,
        by=world.user("focal"),
        findings=[
            services.FindingInput(area=inside, domain=first, severity=4, people_in_need=900),
            services.FindingInput(area=inside, domain=second, severity=2),
            services.FindingInput(area=world.area, domain=third, severity=3, people_in_need=50),
        ],
    )
    return assessment


def stored(assessment) -> list[tuple]:
    return sorted(
        assessment.findings.values_list("area__pcode", "domain__code", "severity", "people_in_need")
    )


def template_of(client, assessment):
    response = client.get(reverse("assessments:findings_template", args=[assessment.pk]))
    return load_workbook(io.BytesIO(response.content))


def upload(client, assessment, file, *, follow=False, **fields):
    return client.post(
        reverse("assessments:findings_upload", args=[assessment.pk]),
        {"file": file, **fields},
        follow=follow,
    )


def confirm(client, assessment, response):
    token = response.context["confirmation"].form.initial["plan"]
    return client.post(
        reverse("assessments:findings_upload", args=[assessment.pk]),
        {"confirm": "yes", "plan": token},
        follow=True,
    )


def test_the_template_uploaded_unchanged_changes_nothing(world, login):
    assessment = findings_on_a_district(world)
    before = stored(assessment)
    client = login(world.user("focal"))
    response = upload(client, assessment, as_upload(template_of(client, assessment)), follow=True)
    assert "The sheet is imported: 0 findings added, 0 changed, 0 removed." in (
        response.content.decode()
    )
    assert stored(assessment) == before


def test_the_template_lists_the_findings_on_areas_inside_those_covered(world, login):
    assessment = findings_on_a_district(world)
    client = login(world.user("focal"))
    rows = list(template_of(client, assessment)[SHEET_NAME].iter_rows(min_row=2, values_only=True))
    first = domains(1)[0]
    assert ("ZZ0101", "North District", first.code, first.name_en, 4, 900) in rows


def test_a_sheet_that_does_not_mention_a_finding_keeps_it(world, login):
    assessment = findings_on_a_district(world)
    first = domains(1)[0]
    response = upload(
        login(world.user("focal")),
        assessment,
        sheet_with_rows([["ZZ01", "", first.code, "", 5, 10]]),
        follow=True,
    )
    assert "1 findings added, 0 changed, 0 removed." in response.content.decode()
    assert assessment.findings.count() == 4


def test_an_emptied_row_lists_the_finding_and_asks_before_removing_it(world, login):
    assessment = findings_on_a_district(world)
    before = stored(assessment)
    first = domains(1)[0]
    client = login(world.user("focal"))
    workbook = template_of(client, assessment)
    for row in workbook[SHEET_NAME].iter_rows(min_row=2):
        if row[0].value == "ZZ0101" and row[2].value == first.code:
            row[4].value = row[5].value = None
    response = upload(client, assessment, as_upload(workbook))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Import the sheet and remove 1 finding?" in text
    assert (
        "Remove the finding in North District (ZZ0101) for Communicable diseases: severity 4, "
        "900 people in need." in text
    )
    assert "Import and remove 1 finding" in text
    assert stored(assessment) == before  # nothing removed until the user confirms

    response = confirm(client, assessment, response)
    assert "The sheet is imported: 0 findings added, 0 changed, 1 removed." in (
        response.content.decode()
    )
    assert len(stored(assessment)) == 2
    assert not assessment.findings.filter(area__pcode="ZZ0101", domain=first).exists()


def test_replacing_everything_lists_every_finding_the_sheet_does_not_list(world, login):
    assessment = findings_on_a_district(world)
    third = domains(3)[2]
    client = login(world.user("focal"))
    response = upload(
        client,
        assessment,
        sheet_with_rows([["ZZ01", "", third.code, "", 3, 50]]),
        replace_all="on",
    )
    text = response.content.decode()
    assert "Import the sheet and remove 2 findings?" in text
    assert "for Communicable diseases: severity 4, 900 people in need." in text
    assert "Remove the finding in North District (ZZ0101) for Maternal and newborn health: " in text
    assert "You chose to replace every finding" in text
    assert assessment.findings.count() == 3

    confirm(client, assessment, response)
    assert stored(assessment) == [("ZZ01", third.code, 3, 50)]


def test_a_confirmation_whose_findings_changed_meanwhile_imports_nothing(world, login):
    assessment = findings_on_a_district(world)
    first, _second, third = domains(3)
    client = login(world.user("focal"))
    response = upload(
        client, assessment, sheet_with_rows([["ZZ01", "", third.code, "", 3, 50]]), replace_all="on"
    )
    # Somebody adds a finding the confirmation page did not list.
    services.findings_save(
        assessment=assessment,
        by=world.user("focal"),
        findings=[services.FindingInput(area=world.area, domain=first, severity=1)],
    )
    before = stored(assessment)
    response = confirm(client, assessment, response)
    assert response.status_code == 400
    assert "The findings have changed since the sheet was checked" in response.content.decode()
    assert stored(assessment) == before


def test_a_forged_confirmation_imports_nothing(world, login):
    assessment = findings_on_a_district(world)
    before = stored(assessment)
    forged = signing.dumps(
        {"a": assessment.pk, "f": [], "c": [], "r": True, "x": []}, salt="another-salt"
    )
    response = login(world.user("focal")).post(
        reverse("assessments:findings_upload", args=[assessment.pk]),
        {"confirm": "yes", "plan": forged},
    )
    assert response.status_code == 400
    assert "This confirmation has expired or is not valid" in response.content.decode()
    assert stored(assessment) == before


def test_a_confirmation_of_another_assessment_imports_nothing(world, login):
    assessment = findings_on_a_district(world)
    other = make_draft(world)
    before = stored(assessment)
    token = confirmations.sign_sheet(
        other,
        confirmations.CheckedSheet(
            sheet=SheetFindings(findings=[], cleared=[]),
            replace_all=True,
            removals=frozenset(),
        ),
    )
    response = login(world.user("focal")).post(
        reverse("assessments:findings_upload", args=[assessment.pk]),
        {"confirm": "yes", "plan": token},
    )
    assert response.status_code == 400
    assert stored(assessment) == before


def test_the_grid_shows_and_keeps_findings_on_areas_inside_those_covered(world, login):
    assessment = findings_on_a_district(world)
    before = stored(assessment)
    client = login(world.user("focal"))
    page = client.get(reverse("assessments:findings", args=[assessment.pk]))
    assert "North District" in page.content.decode()
    data = {
        name: field.initial
        for name, field in page.context["grid"].fields.items()
        if field.initial not in (None, "")
    }
    response = client.post(reverse("assessments:findings", args=[assessment.pk]), data, follow=True)
    assert "0 added, 0 changed, 0 removed." in response.content.decode()
    assert stored(assessment) == before


def test_the_service_removes_nothing_it_was_not_told_to(world):
    assessment = findings_on_a_district(world)
    first = domains(1)[0]
    inside = assessment.findings.get(domain=first).area
    with pytest.raises(services.ValidationError):
        services.findings_save(
            assessment=assessment,
            by=world.user("focal"),
            findings=[],
            cleared=[(inside.pk, first.pk)],
        )
    assert Finding.objects.filter(assessment=assessment).count() == 3
