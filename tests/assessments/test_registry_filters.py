"""Filtering, sorting and paging the registry of needs assessments."""

import datetime

import pytest

from locations.models import AdminLevel
from tests.assessments.factories import AssessmentFactory, FindingFactory, HealthDomainFactory
from tests.factories import AdminAreaFactory, OrganisationFactory
from tests.text import has_phrase

pytestmark = pytest.mark.django_db

LIST = "/en/assessments/"


def titles(response) -> list[str]:
    return [assessment.title_en for assessment in response.context["assessments"]]


def listed(client, **query) -> set[str]:
    response = client.get(LIST, query)
    assert response.status_code == 200
    return set(titles(response))


@pytest.fixture
def tree(world):
    """North (ZZ01) with the district Riverside and its village Ford; South (ZZ02)."""
    riverside = AdminAreaFactory(
        pcode="ZZ0101", level=AdminLevel.ADMIN2, parent=world.area, name_en="Riverside"
    )
    ford = AdminAreaFactory(
        pcode="ZZ010101", level=AdminLevel.ADMIN3, parent=riverside, name_en="Ford"
    )
    south = AdminAreaFactory(pcode="ZZ02", name_en="South")
    return {"north": world.area, "riverside": riverside, "ford": ford, "south": south}


def test_an_area_includes_the_assessments_of_the_areas_inside_it(client, world, tree):
    AssessmentFactory(title_en="District", lead_organisation=world.org_a, areas=[tree["riverside"]])
    AssessmentFactory(title_en="Village", lead_organisation=world.org_a, areas=[tree["ford"]])
    AssessmentFactory(title_en="Whole north", lead_organisation=world.org_a, areas=[tree["north"]])
    AssessmentFactory(title_en="South", lead_organisation=world.org_a, areas=[tree["south"]])
    assert listed(client, area="ZZ01") == {"District", "Village", "Whole north"}
    assert listed(client, area="ZZ0101") == {"District", "Village"}
    assert listed(client, area="ZZ02") == {"South"}


def test_an_area_includes_assessments_with_findings_inside_it(client, world, tree):
    country_wide = AssessmentFactory(
        title_en="National survey",
        lead_organisation=world.org_a,
        areas=[tree["north"], tree["south"]],
    )
    FindingFactory(assessment=country_wide, area=tree["ford"])
    FindingFactory(assessment=country_wide, area=tree["riverside"])
    assert listed(client, area="ZZ0101") == {"National survey"}
    # Listed once, however many of its areas and findings match.
    assert titles(client.get(LIST, {"area": "ZZ01"})) == ["National survey"]


def test_an_unknown_area_code_is_a_form_error_not_a_crash(client, world):
    AssessmentFactory(title_en="Anything", lead_organisation=world.org_a)
    response = client.get(LIST, {"area": "NOPE"})
    assert response.status_code == 200
    assert response.context["filter"].form.errors["area"]
    assert titles(response) == ["Anything"]


def test_minimum_severity_keeps_assessments_with_a_finding_at_least_that_severe(client, world):
    for title, severity in [("Mild", 2), ("Severe", 3), ("Extreme", 4)]:
        FindingFactory(
            assessment__title_en=title, assessment__lead_organisation=world.org_a, severity=severity
        )
    AssessmentFactory(title_en="No findings", lead_organisation=world.org_a)
    assert listed(client, min_severity="3") == {"Severe", "Extreme"}
    assert listed(client, min_severity="5") == set()


def test_the_domain_filter_keeps_assessments_with_a_finding_in_that_domain(client, world):
    nutrition = HealthDomainFactory(code="test-nutrition")
    water = HealthDomainFactory(code="test-water")
    FindingFactory(
        assessment__title_en="Food", assessment__lead_organisation=world.org_a, domain=nutrition
    )
    FindingFactory(
        assessment__title_en="Wells", assessment__lead_organisation=world.org_a, domain=water
    )
    assert listed(client, domain="test-nutrition") == {"Food"}


def test_domain_and_severity_together_need_one_finding_that_is_both(client, world, tree):
    nutrition = HealthDomainFactory(code="test-nutrition")
    water = HealthDomainFactory(code="test-water")
    mixed = AssessmentFactory(title_en="Mixed", lead_organisation=world.org_a)
    FindingFactory(assessment=mixed, area=tree["north"], domain=nutrition, severity=1)
    FindingFactory(assessment=mixed, area=tree["north"], domain=water, severity=5)
    acute = AssessmentFactory(title_en="Acute", lead_organisation=world.org_a)
    FindingFactory(assessment=acute, area=tree["north"], domain=nutrition, severity=4)
    assert listed(client, domain="test-nutrition", min_severity="4") == {"Acute"}


def test_the_highest_severity_counts_every_finding_even_when_a_filter_matched_one(client, world):
    nutrition = HealthDomainFactory(code="test-nutrition")
    assessment = AssessmentFactory(title_en="Both", lead_organisation=world.org_a)
    FindingFactory(assessment=assessment, domain=nutrition, severity=2)
    FindingFactory(assessment=assessment, severity=5)
    response = client.get(LIST, {"domain": "test-nutrition"})
    assert [a.highest_severity for a in response.context["assessments"]] == [5]


@pytest.mark.parametrize(
    ("date_from", "date_to", "expected"),
    [
        ("2025-03-10", "2025-03-20", {"March"}),  # overlaps the end
        ("2025-02-01", "2025-03-01", {"March"}),  # touches the first day
        ("2025-03-16", "", {"April"}),  # starts after March ended
        ("", "2025-02-28", set()),  # before anything
        ("2025-03-05", "2025-03-06", {"March"}),  # inside
        ("2025-02-01", "2025-05-01", {"March", "April"}),  # around both
    ],
)
def test_the_period_keeps_assessments_that_overlap_it(client, world, date_from, date_to, expected):
    AssessmentFactory(
        title_en="March",
        lead_organisation=world.org_a,
        start_date=datetime.date(2025, 3, 1),
        end_date=datetime.date(2025, 3, 15),
    )
    AssessmentFactory(
        title_en="April",
        lead_organisation=world.org_a,
        start_date=datetime.date(2025, 4, 1),
        end_date=datetime.date(2025, 4, 30),
    )
    assert listed(client, date_from=date_from, date_to=date_to) == expected


def test_the_organisation_filter_finds_the_lead_and_the_participants(client, world):
    AssessmentFactory(title_en="Led by A", lead_organisation=world.org_a)
    AssessmentFactory(
        title_en="Joined by A",
        lead_organisation=world.org_b,
        participating_organisations=[world.org_a, OrganisationFactory()],
    )
    AssessmentFactory(title_en="Only B", lead_organisation=world.org_b)
    assert listed(client, organisation=str(world.org_a.pk)) == {"Led by A", "Joined by A"}
    assert titles(client.get(LIST, {"organisation": world.org_a.pk, "sort": "title"})) == [
        "Joined by A",
        "Led by A",
    ]


def test_the_search_looks_in_both_titles(client, world):
    AssessmentFactory(
        title_en="Cholera in the camps", title_ar="الكوليرا", lead_organisation=world.org_a
    )
    AssessmentFactory(title_en="Measles", title_ar="الحصبة", lead_organisation=world.org_a)
    assert listed(client, q="cholera") == {"Cholera in the camps"}
    assert listed(client, q="الحصبة") == {"Measles"}


def test_the_type_filter(client, world):
    AssessmentFactory(title_en="Rapid", lead_organisation=world.org_a, type="rapid")
    AssessmentFactory(title_en="Mira", lead_organisation=world.org_a, type="mira")
    assert listed(client, type="mira") == {"Mira"}


def test_restricted_assessments_stay_hidden_from_anonymous_visitors_whatever_the_filter(
    client, login, world
):
    FindingFactory(
        assessment__title_en="Secret",
        assessment__lead_organisation=world.org_a,
        assessment__is_restricted=True,
        severity=5,
    )
    assert listed(client, min_severity="5", organisation=str(world.org_a.pk)) == set()
    member = login(world.user("other_member"))
    assert listed(member, min_severity="5") == {"Secret"}


@pytest.fixture
def three(world):
    early = AssessmentFactory(
        title_en="Bravo",
        lead_organisation=world.org_a,
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2024, 1, 2),
    )
    FindingFactory(assessment=early, severity=4)
    late = AssessmentFactory(
        title_en="Charlie",
        lead_organisation=world.org_a,
        start_date=datetime.date(2025, 6, 1),
        end_date=datetime.date(2025, 6, 2),
    )
    FindingFactory(assessment=late, severity=2)
    AssessmentFactory(
        title_en="Alpha",
        lead_organisation=world.org_a,
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2025, 1, 2),
    )


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["Charlie", "Alpha", "Bravo"]),
        ("newest", ["Charlie", "Alpha", "Bravo"]),
        ("oldest", ["Bravo", "Alpha", "Charlie"]),
        ("title", ["Alpha", "Bravo", "Charlie"]),
        ("severity", ["Bravo", "Charlie", "Alpha"]),
    ],
)
def test_the_sort_orders(client, three, sort, expected):
    assert titles(client.get(LIST, {"sort": sort} if sort else {})) == expected


def test_the_title_sort_follows_the_arabic_titles_on_arabic_pages(client, world):
    AssessmentFactory(title_en="A first", title_ar="ي", lead_organisation=world.org_a)
    AssessmentFactory(title_en="Z last", title_ar="ب", lead_organisation=world.org_a)
    response = client.get("/ar/assessments/", {"sort": "title"})
    assert titles(response) == ["Z last", "A first"]


def test_the_list_is_paged_by_twenty(client, world):
    for index in range(25):
        AssessmentFactory(title_en=f"Assessment {index:02d}", lead_organisation=world.org_a)
    first = client.get(LIST, {"sort": "title"})
    assert len(titles(first)) == 20
    assert has_phrase(first.text, "Page 1 of 2")
    assert 'href="?sort=title&amp;page=2"' in first.text
    second = client.get(LIST, {"sort": "title", "page": "2"})
    assert titles(second) == [f"Assessment {index:02d}" for index in range(20, 25)]
    assert has_phrase(second.text, "25 assessments")


def test_a_page_beyond_the_last_shows_the_last(client, world):
    AssessmentFactory(title_en="Only", lead_organisation=world.org_a)
    assert titles(client.get(LIST, {"page": "9"})) == ["Only"]


def test_a_clear_link_appears_only_when_a_filter_is_chosen(client, world):
    assert "Clear the filters" not in client.get(LIST, {"sort": "oldest"}).text
    assert "Clear the filters" in client.get(LIST, {"type": "mira"}).text


def _organisation_choices(response) -> list[str]:
    field = response.context["filter"].form.fields["organisation"]
    return [label for _value, label in field.choices][1:]


def test_the_organisation_filter_offers_only_organisations_of_assessments_one_may_read(
    client, login, world
):
    # Before the disclosure policy it listed every organisation of any assessment: drafts and
    # restricted ones told the public who was assessing where.
    from assessments.models import AssessmentStatus

    drafting = OrganisationFactory(name_en="Drafting Org")
    secretive = OrganisationFactory(name_en="Secretive Org", acronym="SO")
    AssessmentFactory(title_en="Public", lead_organisation=world.org_a)
    AssessmentFactory(
        title_en="Draft",
        lead_organisation=drafting,
        participating_organisations=[world.org_b],
        status=AssessmentStatus.DRAFT,
    )
    AssessmentFactory(title_en="Restricted", lead_organisation=secretive, is_restricted=True)
    assert _organisation_choices(client.get(LIST)) == ["Alpha Health (AH)"]
    # Members read the restricted assessment, so its organisation is offered to them.
    member = login(world.user("other_member"))
    assert _organisation_choices(member.get(LIST)) == ["Alpha Health (AH)", "Secretive Org (SO)"]
    # Asking for an organisation that is not offered is a form error, as a missing one.
    response = client.get(LIST, {"organisation": drafting.pk})
    missing = client.get(LIST, {"organisation": 999999})
    assert response.context["filter"].form.errors == missing.context["filter"].form.errors
