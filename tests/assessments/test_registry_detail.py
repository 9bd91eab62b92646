"""An assessment's page: metadata, findings, the summary by area and its attachments."""

import re

import pytest

from assessments.models import AssessmentStatus
from locations.models import AdminLevel
from tests.assessments.factories import (
    AssessmentFactory,
    AttachmentFactory,
    FindingFactory,
    HealthDomainFactory,
)
from tests.factories import AdminAreaFactory, OrganisationFactory
from tests.text import has_phrase

pytestmark = pytest.mark.django_db


def url(assessment) -> str:
    return f"/en/assessments/{assessment.pk}/"


def _findings_table(page: str) -> str:
    """The findings by area and domain, without the summary table above it."""
    return page.split('aria-labelledby="findings"', 1)[1].split("</table>", 1)[0]


@pytest.fixture
def places(world):
    riverside = AdminAreaFactory(
        pcode="ZZ0101", level=AdminLevel.ADMIN2, parent=world.area, name_en="Riverside"
    )
    hills = AdminAreaFactory(
        pcode="ZZ0102", level=AdminLevel.ADMIN2, parent=world.area, name_en="Hills"
    )
    return riverside, hills


@pytest.fixture
def domains():
    return (
        HealthDomainFactory(code="test-nutrition", name_en="Test nutrition", order=1),
        HealthDomainFactory(code="test-water", name_en="Test water", order=2),
    )


def test_the_page_shows_the_assessment_metadata(client, world, places):
    assessment = AssessmentFactory(
        title_en="Flood response needs",
        lead_organisation=world.org_a,
        participating_organisations=[OrganisationFactory(name_en="Gamma Care")],
        areas=list(places),
        methodology="Household survey of 400 families.",
        key_findings_en="Clinics are cut off by the water.",
        population_covered=125000,
    )
    text = client.get(url(assessment)).text
    assert "<h1>Flood response needs</h1>" in text
    assert "Rapid assessment" in text
    assert "Alpha Health" in text
    assert "Gamma Care" in text
    assert "Riverside" in text
    assert "ZZ0102" in text
    assert has_phrase(text, "1 March 2025 to 15 March 2025")
    assert "Household survey of 400 families." in text
    assert "Clinics are cut off by the water." in text
    assert has_phrase(text, "125,000")


def test_the_findings_table_gives_severity_in_words_and_people_in_need(
    client, world, places, domains
):
    riverside, hills = places
    nutrition, water = domains
    assessment = AssessmentFactory(lead_organisation=world.org_a, areas=list(places))
    FindingFactory(
        assessment=assessment, area=riverside, domain=nutrition, severity=5, people_in_need=1200
    )
    FindingFactory(
        assessment=assessment, area=riverside, domain=water, severity=2, people_in_need=800
    )
    FindingFactory(assessment=assessment, area=hills, domain=water, severity=1, people_in_need=None)
    table = _findings_table(client.get(url(assessment)).text)
    assert "<caption>" in table
    assert '<th scope="col">Health domain</th>' in table
    assert '<th scope="row">Riverside' in table
    assert "5 \N{EN DASH} Catastrophic" in table
    assert "2 \N{EN DASH} Stressed" in table
    assert "1 \N{EN DASH} Minimal" in table
    assert has_phrase(table, "1,200")
    assert "Not given" in table


def test_the_summary_gives_each_area_its_highest_severity_and_people_in_need_counted_once(
    client, world, places, domains
):
    riverside, hills = places
    nutrition, water = domains
    assessment = AssessmentFactory(lead_organisation=world.org_a, areas=list(places))
    FindingFactory(
        assessment=assessment, area=riverside, domain=nutrition, severity=4, people_in_need=1200
    )
    FindingFactory(
        assessment=assessment, area=riverside, domain=water, severity=2, people_in_need=800
    )
    FindingFactory(assessment=assessment, area=hills, domain=water, severity=3, people_in_need=50)
    summary = client.get(url(assessment)).context["area_summary"]
    assert [(row.pcode, row.highest_severity, row.people_in_need) for row in summary] == [
        # 1,200 need nutrition care and 800 safe water: the 800 may be among the 1,200.
        ("ZZ0101", 4, 1200),
        ("ZZ0102", 3, 50),
    ]
    assert [row.domains for row in summary] == [2, 1]


def test_the_summary_is_one_sql_aggregate(world, places, django_assert_num_queries):
    from assessments.selectors import severity_by_area

    assessment = AssessmentFactory(lead_organisation=world.org_a)
    for area in places:
        FindingFactory(assessment=assessment, area=area)
    with django_assert_num_queries(1) as captured:
        severity_by_area(assessment)
    assert "GROUP BY" in captured.captured_queries[0]["sql"]


def test_an_assessment_without_findings_says_so(client, world):
    assessment = AssessmentFactory(lead_organisation=world.org_a)
    assert "No findings have been recorded for this assessment." in client.get(url(assessment)).text


def test_attachments_link_to_their_download(client, world):
    assessment = AssessmentFactory(lead_organisation=world.org_a)
    attachment = AttachmentFactory(assessment=assessment, original_name="final-report.pdf")
    text = client.get(url(assessment)).text
    assert f'href="/en/assessments/attachments/{attachment.pk}/">final-report.pdf</a>' in text


def test_a_restricted_assessment_is_marked_for_members(login, world):
    assessment = AssessmentFactory(lead_organisation=world.org_a, is_restricted=True)
    text = login(world.user("other_member")).get(url(assessment)).text
    assert "restricted to members of partner organisations" in text


def test_its_own_organisation_sees_a_draft_with_a_warning(login, world):
    assessment = AssessmentFactory(lead_organisation=world.org_a, status=AssessmentStatus.DRAFT)
    text = login(world.user("staff")).get(url(assessment)).text
    assert "This assessment is not published." in text


@pytest.mark.parametrize("role", ["anonymous", "other_member"])
def test_a_draft_is_not_found_for_anybody_else(login, world, role):
    assessment = AssessmentFactory(lead_organisation=world.org_a, status=AssessmentStatus.DRAFT)
    assert login(world.user(role)).get(url(assessment)).status_code == 404


def test_the_arabic_page_marks_english_key_findings(client, world):
    assessment = AssessmentFactory(
        lead_organisation=world.org_a, title_ar="تقييم الفيضانات", key_findings_en="Roads cut."
    )
    text = client.get(f"/ar/assessments/{assessment.pk}/").text
    assert "تقييم الفيضانات" in text
    assert re.search(r'<div lang="en" dir="ltr"><p>Roads cut.</p></div>', text)


@pytest.mark.parametrize("role", ["anonymous", "focal", "coordinator"])
def test_the_page_takes_the_same_queries_however_many_findings(
    login, world, role, django_assert_max_num_queries
):
    areas = [AdminAreaFactory() for _ in range(4)]
    domains = [HealthDomainFactory() for _ in range(4)]
    assessment = AssessmentFactory(
        lead_organisation=world.org_a,
        areas=areas,
        participating_organisations=[OrganisationFactory() for _ in range(3)],
    )
    for area in areas[:3]:
        for domain in domains[:3]:
            FindingFactory(assessment=assessment, area=area, domain=domain)
    for _ in range(3):
        AttachmentFactory(assessment=assessment)
    client = login(world.user(role))
    with django_assert_max_num_queries(12) as few:
        client.get(url(assessment))
    for area in areas:
        for domain in domains:
            if area is areas[3] or domain is domains[3]:
                FindingFactory(assessment=assessment, area=area, domain=domain)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url(assessment))
    assert len(response.context["findings"]) == 16
