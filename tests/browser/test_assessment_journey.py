"""The needs assessment journey in Chromium, as the people involved would go through it.

Alice, focal point of Alpha Health, records an assessment of Pine District, enters a finding
and submits it; Cora, a coordinator, returns it with a comment; Alice fixes it and submits it
again; Cora publishes it. A visitor then finds it in the registry by filtering on North Hills,
the governorate that contains Pine District. axe-core checks the create form and the grid.
"""

import re

import pytest

from assessments import services
from assessments.models import Assessment, AssessmentStatus
from locations.models import AdminLevel
from partners.models import MemberRole
from tests.assessments.workflow_helpers import domains
from tests.browser.axe import assert_accessible
from tests.browser_fixtures import log_in
from tests.factories import (
    AdminAreaFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def click_and_wait(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


@pytest.fixture
def places(db):
    domains()
    north = AdminAreaFactory(pcode="ZZ01", name_en="North Hills", name_ar="التلال الشمالية")
    pine = AdminAreaFactory(
        pcode="ZZ0101", name_en="Pine District", level=AdminLevel.ADMIN2, parent=north
    )
    south = AdminAreaFactory(pcode="ZZ02", name_en="South Coast")
    return {"north": north, "pine": pine, "south": south}


def test_an_assessment_is_submitted_returned_fixed_published_and_found(
    open_context, places, mailoutbox
):
    alpha = OrganisationFactory(name_en="Alpha Health", acronym="AH")
    MembershipFactory(
        organisation=alpha,
        role=MemberRole.FOCAL_POINT,
        user=UserFactory(email="alice@example.org", full_name="Alice Partner"),
    )
    UserFactory(email="cora@example.org", full_name="Cora Coordinator", is_coordinator=True)
    # Another published assessment, elsewhere: the area filter must leave it out.
    decoy = OrganisationFactory(name_en="Beta Relief")
    elsewhere = services.assessment_create(
        by=UserFactory(email="cecil@example.org", is_coordinator=True),
        lead_organisation=decoy,
        values={
            "title_en": "Coastal water survey",
            "title_ar": "",
            "type": "rapid",
            "start_date": "2025-01-01",
            "end_date": "2025-01-05",
            "methodology": "",
            "sample": "",
            "population_covered": None,
            "key_findings_en": "",
            "key_findings_ar": "",
        },
        areas=[places["south"]],
    )
    Assessment.objects.filter(pk=elsewhere.pk).update(
        status=AssessmentStatus.PUBLISHED, published_at="2025-02-01T00:00:00Z"
    )

    # Alice records the assessment.
    alice = open_context()
    log_in(alice, "alice@example.org")
    alice.goto("/en/assessments/new/")
    alice.fill("#id_title_en", "Health needs in Pine District")
    alice.select_option("#id_type", "rapid")
    alice.fill("#id_start_date", "2025-04-01")
    alice.fill("#id_end_date", "2025-04-14")
    alice.fill("#id_areas__q", "Pine")
    alice.get_by_label(re.compile(r"Pine District \(ZZ0101\)")).check()
    alice.fill("#id_methodology", "Key informant interviews.")
    click_and_wait(alice, alice.get_by_role("button", name="Save the assessment").last)
    assert "/findings/" in alice.url
    assessment = Assessment.objects.get(title_en="Health needs in Pine District")
    assert assessment.lead_organisation == alpha

    # She enters a finding in the grid and submits the assessment from its page.
    first = domains(1)[0]
    alice.get_by_label(f"Severity in Pine District for {first.name_en}").select_option("4")
    alice.get_by_label(f"People in need in Pine District for {first.name_en}").fill("2500")
    click_and_wait(alice, alice.get_by_role("button", name="Save the findings"))
    assert alice.get_by_text("The findings are saved").is_visible()
    click_and_wait(alice, alice.get_by_role("link", name="Overview"))
    click_and_wait(alice, alice.get_by_role("button", name="Submit for review"))
    assert alice.get_by_text("The assessment is submitted.").is_visible()
    assert any("cora@example.org" in mail.to for mail in mailoutbox)

    # Cora finds it among the assessments to review and returns it with a comment.
    cora = open_context()
    log_in(cora, "cora@example.org")
    cora.goto("/en/assessments/review/")
    click_and_wait(cora, cora.get_by_role("link", name="Health needs in Pine District"))
    click_and_wait(cora, cora.get_by_role("link", name="Return it with a comment"))
    cora.get_by_label("What should the organisation change?").fill("Give the sample size.")
    click_and_wait(cora, cora.get_by_role("button", name="Return with this comment"))
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.RETURNED
    assert any(
        "alice@example.org" in mail.to and "Give the sample size." in mail.body
        for mail in mailoutbox
    )

    # Alice reads the comment, fixes the assessment and submits it again.
    alice.goto("/en/assessments/mine/?status=returned")
    click_and_wait(alice, alice.get_by_role("link", name="Health needs in Pine District"))
    assert alice.get_by_text("Give the sample size.").is_visible()
    click_and_wait(alice, alice.get_by_role("link", name="Edit the description"))
    alice.fill("#id_sample", "24 key informants in 6 villages.")
    click_and_wait(alice, alice.get_by_role("button", name="Save the assessment").last)
    click_and_wait(alice, alice.get_by_role("button", name="Submit again for review"))
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
    assert assessment.sample == "24 key informants in 6 villages."

    # Cora publishes it.
    cora.goto("/en/assessments/review/")
    click_and_wait(cora, cora.get_by_role("link", name="Health needs in Pine District"))
    click_and_wait(cora, cora.get_by_role("button", name="Publish"))
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.PUBLISHED

    # A visitor finds it by choosing the governorate that contains Pine District.
    visitor = open_context()
    visitor.goto("/en/assessments/")
    visitor.get_by_label("Area", exact=True).select_option(label="North Hills (ZZ01)")
    click_and_wait(visitor, visitor.get_by_role("button", name="Show assessments"))
    assert visitor.get_by_role("link", name="Health needs in Pine District").count() == 1
    assert visitor.get_by_role("link", name="Coastal water survey").count() == 0


def test_the_create_form_and_the_findings_grid_are_accessible(axe_page, places):
    alpha = OrganisationFactory(name_en="Alpha Health", acronym="AH")
    OrganisationFactory(name_en="Beta Relief")
    focal = MembershipFactory(
        organisation=alpha,
        role=MemberRole.FOCAL_POINT,
        user=UserFactory(email="alice@example.org"),
    ).user
    log_in(axe_page, "alice@example.org")
    axe_page.goto("/en/assessments/new/")
    assert_accessible(axe_page, "create form")

    assessment = services.assessment_create(
        by=focal,
        lead_organisation=alpha,
        values={
            "title_en": "Grid check",
            "title_ar": "",
            "type": "rapid",
            "start_date": "2025-01-01",
            "end_date": "2025-01-05",
            "methodology": "",
            "sample": "",
            "population_covered": None,
            "key_findings_en": "",
            "key_findings_ar": "",
        },
        areas=[places["north"], places["pine"]],
    )
    axe_page.goto(f"/en/assessments/{assessment.pk}/findings/")
    assert_accessible(axe_page, "findings grid")
    # With a cell kept as typed and marked, too.
    axe_page.get_by_label(re.compile("^People in need in North Hills")).first.fill("-3")
    with axe_page.expect_navigation():
        axe_page.get_by_role("button", name="Save the findings").click()
    assert axe_page.get_by_text("These cells are saved as typed but not finished.").is_visible()
    assert (
        axe_page.get_by_label(re.compile("^People in need in North Hills")).first.input_value()
        == "-3"
    )
    assert_accessible(axe_page, "findings grid with an unfinished cell")
