"""Issue 21's crashes in the assessments: numbers above PostgreSQL's integer in the findings
grid and sheet, and digits that ``str.isdigit`` accepts but ``int`` refuses ("²") in the
sheet, are refused with the same message as everywhere, and nothing is saved."""

import pytest
from django.urls import reverse

from assessments.models import Assessment, Finding
from tests.assessments.test_findings_sheet import sheet_with_rows, upload
from tests.assessments.test_views import form_data
from tests.assessments.workflow_helpers import domains, make_draft

pytestmark = pytest.mark.django_db

NOT_A_NUMBER = "Enter a whole number, in digits only (for example 1250)."
TOO_LARGE = "Enter a number no larger than 2,147,483,647."


# --- the findings grid -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("people", "message"),
    [("2147483648", TOO_LARGE), ("9" * 5000, TOO_LARGE), ("²", NOT_A_NUMBER)],
    ids=["above-the-column", "thousands-of-digits", "superscript"],
)
def test_the_findings_grid_keeps_people_in_need_it_cannot_store_as_typed_and_names_them(
    world, login, people, message
):
    assessment = make_draft(world)
    first = domains(1)[0]
    client = login(world.user("focal"))

    response = client.post(
        reverse("assessments:findings", args=[assessment.pk]),
        {
            f"f-{world.area.pk}-{first.pk}-severity": "3",
            f"f-{world.area.pk}-{first.pk}-pin": people,
        },
    )

    assert response.status_code == 302
    assert f"North, {first.name_en}: {message}" in client.get(response["Location"]).text
    assert not Finding.objects.exists()
    assessment.refresh_from_db()
    kept = assessment.unfinished_findings[f"{world.area.pk}-{first.pk}"]
    assert kept == {"severity": "3", "pin": people[:100]}


def test_a_percent_sign_in_an_area_name_does_not_break_the_grids_message(world, login):
    world.area.name_en = "North 100%"
    world.area.save()
    assessment = make_draft(world)
    first = domains(1)[0]

    client = login(world.user("focal"))
    response = client.post(
        reverse("assessments:findings", args=[assessment.pk]),
        {
            f"f-{world.area.pk}-{first.pk}-severity": "3",
            f"f-{world.area.pk}-{first.pk}-pin": "2147483648",
        },
    )

    assert response.status_code == 302
    assert f"North 100%, {first.name_en}: {TOO_LARGE}" in client.get(response["Location"]).text


# --- the findings sheet ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("people", "message"),
    [
        (3_000_000_000, TOO_LARGE),
        ("2147483648", TOO_LARGE),
        ("²", NOT_A_NUMBER),
        ("³", NOT_A_NUMBER),
    ],
    ids=["number-cell", "text-cell", "superscript-two", "superscript-three"],
)
def test_the_findings_sheet_refuses_people_in_need_it_cannot_store(world, login, people, message):
    assessment = make_draft(world)
    first = domains(1)[0]

    response = upload(
        login(world.user("focal")),
        assessment,
        sheet_with_rows([["ZZ01", "", first.code, "", 3, people]]),
    )

    assert response.status_code == 400
    assert f"Row 2, people in need: {message}" in response.text
    assert not Finding.objects.exists()


@pytest.mark.parametrize("severity", ["²", 1e12, "99999999999999999999"])
def test_the_findings_sheet_refuses_a_severity_that_isdigit_accepts(world, login, severity):
    assessment = make_draft(world)
    first = domains(1)[0]

    response = upload(
        login(world.user("focal")),
        assessment,
        sheet_with_rows([["ZZ01", "", first.code, "", severity, 10]]),
    )

    assert response.status_code == 400
    assert "Row 2: the severity must be a whole number from 1 to 5." in response.text
    assert not Finding.objects.exists()


def test_the_findings_sheet_reads_arabic_digits_and_separators(world, login):
    assessment = make_draft(world)
    first = domains(1)[0]
    people = "\u0661\u066c\u0662\u0665\u0660"  # 1٬250 in Arabic-Indic digits

    response = upload(
        login(world.user("focal")),
        assessment,
        sheet_with_rows([["ZZ01", "", first.code, "", "\u0663", people]]),
    )

    assert response.status_code == 302
    assert list(Finding.objects.values_list("severity", "people_in_need")) == [(3, 1250)]


# --- the assessment's description ------------------------------------------------------------


@pytest.mark.parametrize(
    ("population", "message"), [("2147483648", TOO_LARGE), ("१२", NOT_A_NUMBER)]
)
def test_the_population_covered_is_read_like_every_number(world, login, population, message):
    response = login(world.user("focal")).post(
        reverse("assessments:create"), form_data(world, population_covered=population)
    )

    assert response.status_code == 400
    assert message in response.text
    assert not Assessment.objects.exists()
