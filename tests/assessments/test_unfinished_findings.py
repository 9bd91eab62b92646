"""Issue 23: the findings grid saves whatever is typed, as the 4W form does.

A cell that is not right (a figure that is not one, people in need without a severity, a
severity out of range) is kept as typed and marked, the finding saved before it left as it
was; the assessment is submitted or published only once every cell is finished or emptied.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import services
from assessments.models import AssessmentStatus, Finding
from assessments.services import FindingInput
from tests.assessments.workflow_helpers import domains, make_draft
from tests.text import has_phrase, page_text

pytestmark = pytest.mark.django_db


def _cell(world, domain, name: str) -> str:
    return f"f-{world.area.pk}-{domain.pk}-{name}"


def _save(client, assessment, data) -> str:
    response = client.post(reverse("assessments:findings", args=[assessment.pk]), data)
    assert response.status_code == 302
    return page_text(client.get(response["Location"]).text)


def test_a_cell_changed_to_a_wrong_figure_keeps_its_finding_until_finished(world, login):
    assessment = make_draft(world)
    first, second = domains(2)
    client = login(world.user("focal"))
    _save(
        client,
        assessment,
        {_cell(world, first, "severity"): "4", _cell(world, first, "pin"): "1200"},
    )

    text = _save(
        client,
        assessment,
        {
            _cell(world, first, "severity"): "4",
            _cell(world, first, "pin"): "12OO",
            _cell(world, second, "severity"): "2",
        },
    )

    assert has_phrase(
        text,
        "The findings are saved: 1 added, 0 changed, 0 removed. 1 cell is not finished: it is "
        "kept as typed and marked below; complete or empty it before submitting the assessment.",
    )
    assert has_phrase(
        text, f"North, {first.name_en}: Enter a whole number, in digits only (for example 1250)."
    )
    findings = dict(Finding.objects.values_list("domain", "people_in_need"))
    assert findings == {first.pk: 1200, second.pk: None}

    # Finished: the figure typed again, the cell no longer marked.
    text = _save(
        client,
        assessment,
        {
            _cell(world, first, "severity"): "4",
            _cell(world, first, "pin"): "1300",
            _cell(world, second, "severity"): "2",
        },
    )
    assert has_phrase(text, "The findings are saved: 0 added, 1 changed, 0 removed.")
    assert "not finished" not in text
    assessment.refresh_from_db()
    assert assessment.unfinished_findings == {}


def test_an_assessment_with_an_unfinished_cell_is_not_submitted(world, login):
    assessment = make_draft(world)
    first = domains(1)[0]
    client = login(world.user("focal"))
    _save(client, assessment, {_cell(world, first, "pin"): "50"})

    response = client.post(reverse("assessments:submit", args=[assessment.pk]), follow=True)

    assert has_phrase(
        page_text(response.text),
        f"A finding is not finished (North, {first.name_en}): complete or empty it on the "
        "findings page, then submit the assessment.",
    )
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT


def test_the_sheet_finishes_the_cells_it_gives(world, login):
    assessment = make_draft(world)
    first, second = domains(2)
    client = login(world.user("focal"))
    _save(
        client,
        assessment,
        {
            _cell(world, first, "pin"): "50",
            _cell(world, second, "severity"): "9",
        },
    )

    services.findings_save(
        assessment=assessment,
        by=world.user("focal"),
        findings=[FindingInput(area=world.area, domain=first, severity=3, people_in_need=50)],
    )

    assessment.refresh_from_db()
    assert list(assessment.unfinished_findings) == [f"{world.area.pk}-{second.pk}"]
    with pytest.raises(ValidationError) as refused:
        services.assessment_submit(assessment=assessment, by=world.user("focal"))
    assert refused.value.code == "unfinished"
