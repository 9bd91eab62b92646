"""The public registry of needs assessments: who sees what, and how many queries it takes."""

import pytest
from django.urls import reverse

from assessments.models import AssessmentStatus
from locations.models import AdminLevel
from partners.models import OrganisationStatus
from tests.assessments.factories import (
    AssessmentFactory,
    FindingFactory,
    HealthDomainFactory,
)
from tests.factories import AdminAreaFactory, MembershipFactory, OrganisationFactory
from tests.text import has_phrase

pytestmark = pytest.mark.django_db

LIST = "/en/assessments/"


def titles(response) -> list[str]:
    return [assessment.title_en for assessment in response.context["assessments"]]


def results(response) -> str:
    """The list of assessments, without the filter form and its lists of names above it."""
    return response.text.split('aria-labelledby="results"', 1)[1]


def full_assessment(lead, index: int, *, restricted: bool = False):
    """An assessment with three areas, three participants and three findings."""
    areas = [AdminAreaFactory() for _ in range(3)]
    domains = [HealthDomainFactory() for _ in range(3)]
    assessment = AssessmentFactory(
        title_en=f"Full assessment {index}",
        lead_organisation=lead,
        is_restricted=restricted,
        areas=areas,
        participating_organisations=[OrganisationFactory() for _ in range(3)],
    )
    for severity, (area, domain) in enumerate(zip(areas, domains, strict=True), start=2):
        FindingFactory(assessment=assessment, area=area, domain=domain, severity=severity)
    return assessment


def test_the_registry_lists_published_public_assessments_to_everybody(client, world):
    AssessmentFactory(title_en="Cholera risk in the north", lead_organisation=world.org_a)
    AssessmentFactory(
        title_en="Unfinished draft", lead_organisation=world.org_a, status=AssessmentStatus.DRAFT
    )
    AssessmentFactory(
        title_en="Waiting for review",
        lead_organisation=world.org_a,
        status=AssessmentStatus.SUBMITTED,
    )
    response = client.get(LIST)
    assert response.status_code == 200
    assert titles(response) == ["Cholera risk in the north"]
    assert "Cholera risk in the north" in response.text


def test_anonymous_visitors_never_see_a_restricted_assessment(client, world):
    AssessmentFactory(title_en="Members only", lead_organisation=world.org_a, is_restricted=True)
    response = client.get(LIST)
    assert titles(response) == []
    assert "Members only" not in response.text


@pytest.mark.parametrize("role", ["staff", "other_member", "coordinator", "site_admin"])
def test_members_and_coordinators_see_restricted_assessments_marked_restricted(login, world, role):
    AssessmentFactory(title_en="Members only", lead_organisation=world.org_a, is_restricted=True)
    response = login(world.user(role)).get(LIST)
    assert titles(response) == ["Members only"]
    assert "Restricted" in results(response)


def test_a_member_of_a_pending_organisation_does_not_see_restricted_ones(login, world):
    pending = OrganisationFactory(status=OrganisationStatus.PENDING)
    newcomer = MembershipFactory(organisation=pending).user
    AssessmentFactory(title_en="Members only", lead_organisation=world.org_a, is_restricted=True)
    assert titles(login(newcomer).get(LIST)) == []


def test_own_drafts_stay_out_of_the_registry(login, world):
    AssessmentFactory(
        title_en="Our draft", lead_organisation=world.org_a, status=AssessmentStatus.DRAFT
    )
    assert titles(login(world.user("focal")).get(LIST)) == []


def test_each_row_shows_organisations_areas_dates_and_highest_severity(client, world):
    district = AdminAreaFactory(
        pcode="ZZ0101", level=AdminLevel.ADMIN2, parent=world.area, name_en="Riverside"
    )
    partner = OrganisationFactory(name_en="Gamma Care")
    assessment = AssessmentFactory(
        title_en="Measles outbreak assessment",
        lead_organisation=world.org_a,
        areas=[world.area, district],
        participating_organisations=[partner],
    )
    FindingFactory(assessment=assessment, area=district, severity=2)
    FindingFactory(assessment=assessment, area=world.area, severity=4)
    text = results(client.get(LIST))
    assert "Alpha Health" in text
    assert "Gamma Care" in text
    assert "Riverside" in text
    assert has_phrase(text, "1 Mar 2025 to 15 Mar 2025")
    assert "4 \N{EN DASH} Extreme" in text
    assert f'href="/en/assessments/{assessment.pk}/"' in text


def test_an_assessment_without_findings_says_so(client, world):
    AssessmentFactory(lead_organisation=world.org_a)
    assert "No findings" in client.get(LIST).text


def test_the_arabic_registry_shows_arabic_titles_and_marks_english_fallbacks(client, world):
    AssessmentFactory(
        title_en="Nutrition survey", title_ar="مسح التغذية", lead_organisation=world.org_a
    )
    AssessmentFactory(title_en="English only", title_ar="", lead_organisation=world.org_a)
    text = client.get("/ar/assessments/").text
    assert "مسح التغذية" in text
    assert '<span lang="en" dir="ltr">English only</span>' in text


@pytest.mark.parametrize("role", ["anonymous", "staff", "coordinator"])
def test_the_registry_takes_the_same_queries_however_many_rows(
    login, world, role, django_assert_max_num_queries
):
    for index in range(3):
        full_assessment(world.org_a, index, restricted=index == 2)
    client = login(world.user(role))
    with django_assert_max_num_queries(12) as few:
        response = client.get(LIST)
    assert len(response.context["assessments"]) in (2, 3)
    for index in range(3, 8):
        full_assessment(world.org_b, index)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert len(response.context["assessments"]) >= 7


def test_the_filter_form_is_labelled_and_sent_with_get(client, world):
    text = client.get(LIST).text
    assert '<form method="get" action="/en/assessments/"' in text
    for field in ["q", "type", "area", "organisation", "date_from", "date_to", "domain"]:
        assert f'<label for="id_{field}"' in text
    assert '<label for="id_min_severity"' in text
    assert '<label for="id_sort"' in text


def test_the_export_links_carry_the_chosen_filters(client, world):
    AssessmentFactory(lead_organisation=world.org_a, type="mira")
    text = client.get(LIST, {"type": "mira", "page": "1"}).text
    assert 'href="/en/assessments/export.csv/?type=mira"' in text
    assert 'href="/en/assessments/export.hxl/?type=mira"' in text
    assert 'href="/en/assessments/export.xlsx/?type=mira"' in text


def test_reverse_gives_the_registry_paths():
    assert reverse("assessments:list") == LIST
    assert reverse("assessments:detail", args=[7]) == "/en/assessments/7/"
    assert reverse("assessments:export", kwargs={"fmt": "hxl"}) == "/en/assessments/export.hxl/"
    assert reverse("assessments:export") == "/en/assessments/export/"
