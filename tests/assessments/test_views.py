"""The workflow's pages over HTTP: what a partner and a coordinator see and can do."""

import re

import pytest
from django.urls import reverse

from assessments.models import Assessment, AssessmentStatus, Finding
from tests.assessments.workflow_helpers import (
    district,
    domains,
    make_draft,
    make_published,
    make_submitted,
)
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def form_data(world, **overrides) -> dict:
    data = {
        "title_en": "Cholera risk in the North",
        "title_ar": "",
        "type": "rapid",
        "start_date": "2025-04-01",
        "end_date": "2025-04-20",
        "areas": [world.area.pcode],
        "methodology": "Household survey.",
        "sample": "300 households.",
        "population_covered": "50000",
        "key_findings_en": "Water is unsafe.",
        "key_findings_ar": "",
    }
    data.update(overrides)
    return data


def test_a_partner_records_a_draft_and_goes_on_to_the_findings(world, login):
    client = login(world.user("staff"))
    partner = OrganisationFactory(name_en="Gamma Care")
    response = client.post(
        reverse("assessments:create"),
        form_data(world, participating_organisations=[partner.pk]),
    )
    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:findings", args=[assessment.pk])
    assert assessment.lead_organisation == world.org_a
    assert assessment.status == AssessmentStatus.DRAFT
    assert list(assessment.participating_organisations.all()) == [partner]


def test_the_create_form_offers_other_approved_organisations_only(world, login):
    OrganisationFactory(name_en="Gamma Care")
    OrganisationFactory(name_en="Pending Place", status="pending")
    response = login(world.user("focal")).get(reverse("assessments:create"))
    assert "Gamma Care" in response.text
    assert "Beta Relief" in response.text
    assert "Pending Place" not in response.text
    assert 'name="lead_organisation"' not in response.text


def test_it_refuses_reversed_dates_naming_the_field(world, login):
    response = login(world.user("focal")).post(
        reverse("assessments:create"), form_data(world, end_date="2025-03-01")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["end_date"] == [
        "The end date must be on or after the start date."
    ]
    assert "The end date must be on or after the start date." in response.text
    assert not Assessment.objects.exists()


def test_it_refuses_an_area_outside_the_tree(world, login):
    response = login(world.user("focal")).post(
        reverse("assessments:create"), form_data(world, areas=["XX99"])
    )
    assert response.status_code == 400
    assert "XX99 is not an area of the country" in response.context["form"].errors["areas"][0]
    assert not Assessment.objects.exists()


def test_an_area_search_shows_the_form_again_without_saving(world, login):
    response = login(world.user("focal")).post(
        reverse("assessments:create"),
        form_data(world, _area_search="1", **{"areas__q": "Nor"}),
    )
    assert response.status_code == 200
    assert not Assessment.objects.exists()


def test_a_coordinator_records_an_assessment_for_an_organisation(world, login):
    response = login(world.user("coordinator")).post(
        reverse("assessments:create"), form_data(world, lead_organisation=world.org_b.pk)
    )
    assert response.status_code == 302
    assert Assessment.objects.get().lead_organisation == world.org_b


def test_a_suspended_organisation_cannot_open_the_create_form(world, login):
    world.org_a.status = "suspended"
    world.org_a.save()
    response = login(world.user("focal")).get(reverse("assessments:create"))
    assert response.status_code == 403


def test_the_lead_organisation_edits_its_draft(world, login):
    assessment = make_draft(world)
    response = login(world.user("staff")).post(
        reverse("assessments:edit", args=[assessment.pk]),
        form_data(world, title_en="Renamed assessment"),
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.title_en == "Renamed assessment"


def test_the_edit_form_shows_the_chosen_areas_ticked(world, login):
    assessment = make_draft(world)
    response = login(world.user("focal")).get(reverse("assessments:edit", args=[assessment.pk]))
    assert re.search(r'<input[^>]*\svalue="ZZ01"[^>]*\schecked>', response.text)


def test_a_submitted_assessment_cannot_be_edited_by_its_organisation(world, login):
    assessment = make_submitted(world)
    client = login(world.user("focal"))
    response = client.get(reverse("assessments:edit", args=[assessment.pk]), follow=True)
    assert "it can be changed only while it is a draft" in response.text


def test_the_findings_grid_lists_every_area_and_domain(world, login):
    other = district(world)
    assessment = make_draft(world, areas=[world.area, other])
    response = login(world.user("focal")).get(reverse("assessments:findings", args=[assessment.pk]))
    assert response.status_code == 200
    for domain in domains():
        for area in (world.area, other):
            assert f'name="f-{area.pk}-{domain.pk}-severity"' in response.text
            assert f'name="f-{area.pk}-{domain.pk}-pin"' in response.text


def test_the_findings_grid_saves_every_cell_in_one_post(world, login):
    assessment = make_draft(world)
    first, second = domains(2)
    response = login(world.user("focal")).post(
        reverse("assessments:findings", args=[assessment.pk]),
        {
            f"f-{world.area.pk}-{first.pk}-severity": "4",
            f"f-{world.area.pk}-{first.pk}-pin": "1200",
            f"f-{world.area.pk}-{second.pk}-severity": "2",
        },
    )
    assert response.status_code == 302
    assert sorted(assessment.findings.values_list("domain_id", "severity", "people_in_need")) == [
        (first.pk, 4, 1200),
        (second.pk, 2, None),
    ]


def _saved_grid(client, response) -> str:
    """The findings page a save leads to, its unfinished cells marked and named."""
    assert response.status_code == 302
    return client.get(response["Location"]).text


def test_a_bad_cell_names_its_area_and_domain_and_the_good_one_is_saved(world, login):
    assessment = make_draft(world)
    first, second = domains(2)
    client = login(world.user("focal"))
    response = client.post(
        reverse("assessments:findings", args=[assessment.pk]),
        {
            f"f-{world.area.pk}-{first.pk}-severity": "3",
            f"f-{world.area.pk}-{second.pk}-severity": "7",
        },
    )
    page = _saved_grid(client, response)
    assert f"North, {second.name_en}: choose a severity from 1 to 5." in page
    assert list(Finding.objects.values_list("domain", "severity")) == [(first.pk, 3)]


def test_people_in_need_without_a_severity_is_kept_and_named(world, login):
    assessment = make_draft(world)
    first = domains(1)[0]
    client = login(world.user("focal"))
    response = client.post(
        reverse("assessments:findings", args=[assessment.pk]),
        {f"f-{world.area.pk}-{first.pk}-pin": "50"},
    )
    page = _saved_grid(client, response)
    assert "give a severity for the people in need" in page
    assert re.search(
        rf'<input type="text" name="f-{world.area.pk}-{first.pk}-pin" value="50"', page
    )


def test_negative_people_in_need_is_kept_and_named(world, login):
    assessment = make_draft(world)
    first = domains(1)[0]
    client = login(world.user("focal"))
    response = client.post(
        reverse("assessments:findings", args=[assessment.pk]),
        {
            f"f-{world.area.pk}-{first.pk}-severity": "3",
            f"f-{world.area.pk}-{first.pk}-pin": "-5",
        },
    )
    assert "the people in need cannot be negative" in _saved_grid(client, response)
    assert not Finding.objects.exists()


def test_the_findings_grid_takes_a_constant_number_of_queries(
    world, login, django_assert_max_num_queries
):
    few = make_draft(world, areas=[world.area])
    many_areas = [world.area] + [district(world, f"ZZ01{i:02d}", f"District {i}") for i in range(8)]
    many = make_draft(world, areas=many_areas)
    client = login(world.user("focal"))
    client.get(reverse("assessments:findings", args=[few.pk]))
    with django_assert_max_num_queries(12) as few_queries:
        client.get(reverse("assessments:findings", args=[few.pk]))
    with django_assert_max_num_queries(12) as many_queries:
        response = client.get(reverse("assessments:findings", args=[many.pk]))
    assert len(response.context["rows"]) == 9
    assert len(many_queries.captured_queries) == len(few_queries.captured_queries)


def test_the_detail_page_shows_the_owner_their_actions(world, login):
    assessment = make_draft(world)
    response = login(world.user("staff")).get(reverse("assessments:detail", args=[assessment.pk]))
    assert reverse("assessments:edit", args=[assessment.pk]) in response.text
    assert reverse("assessments:submit", args=[assessment.pk]) in response.text
    assert reverse("assessments:publish", args=[assessment.pk]) not in response.text


def test_the_detail_page_shows_a_coordinator_the_review_buttons(world, login):
    assessment = make_submitted(world)
    response = login(world.user("coordinator")).get(
        reverse("assessments:detail", args=[assessment.pk])
    )
    assert reverse("assessments:publish", args=[assessment.pk]) in response.text
    assert reverse("assessments:return", args=[assessment.pk]) in response.text


def test_visitors_see_no_workflow_buttons(world, client):
    assessment = make_published(world)
    response = client.get(reverse("assessments:detail", args=[assessment.pk]))
    assert response.status_code == 200
    assert "Work on this assessment" not in response.text


def test_submitting_from_the_page(world, login):
    assessment = make_draft(world)
    response = login(world.user("focal")).post(
        reverse("assessments:submit", args=[assessment.pk]), follow=True
    )
    assert "The assessment is submitted." in response.text
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED


def test_submitting_a_submitted_assessment_says_why_not(world, login):
    assessment = make_submitted(world)
    response = login(world.user("focal")).post(
        reverse("assessments:submit", args=[assessment.pk]), follow=True
    )
    assert "Only a draft or a returned assessment can be submitted" in response.text


def test_returning_without_a_comment_is_refused(world, login):
    assessment = make_submitted(world)
    response = login(world.user("coordinator")).post(
        reverse("assessments:return", args=[assessment.pk]), {"comment": ""}
    )
    assert response.status_code == 400
    assert "Say what the organisation should change." in response.text
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED


def test_the_returned_comment_shows_to_the_organisation(world, login):
    assessment = make_submitted(world)
    login(world.user("coordinator")).post(
        reverse("assessments:return", args=[assessment.pk]), {"comment": "Add the sample size."}
    )
    response = login(world.user("staff")).get(reverse("assessments:detail", args=[assessment.pk]))
    assert "Add the sample size." in response.text
    assert "Submit again for review" in response.text


def test_publishing_restricted_from_the_page(world, login):
    assessment = make_submitted(world)
    login(world.user("coordinator")).post(
        reverse("assessments:publish", args=[assessment.pk]), {"restricted": "on"}
    )
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.PUBLISHED
    assert assessment.is_restricted


def test_my_organisations_list_shows_its_assessments_in_every_state(world, login):
    make_draft(world, title_en="Our draft")
    make_submitted(world, title_en="Our submitted one")
    make_draft(world, title_en="Not ours", by=world.user("coordinator"))
    Assessment.objects.filter(title_en="Not ours").update(lead_organisation=world.org_b)
    response = login(world.user("staff")).get(reverse("assessments:mine"))
    assert "Our draft" in response.text
    assert "Our submitted one" in response.text
    assert "Not ours" not in response.text
    response = login(world.user("staff")).get(reverse("assessments:mine") + "?status=submitted")
    assert "Our draft" not in response.text


def test_the_review_queue_lists_submitted_assessments(world, login):
    make_draft(world, title_en="Still a draft")
    make_submitted(world, title_en="Ready for review")
    response = login(world.user("coordinator")).get(reverse("assessments:review_queue"))
    assert "Ready for review" in response.text
    assert "Still a draft" not in response.text


def test_lists_take_a_constant_number_of_queries(world, login, django_assert_max_num_queries):
    areas = [world.area, district(world, "ZZ0101"), district(world, "ZZ0102")]
    partners = [OrganisationFactory() for _ in range(3)]
    for index in range(3):
        assessment = make_submitted(world, title_en=f"Assessment {index}")
        assessment.areas.set(areas)
        assessment.participating_organisations.set(partners)
    client = login(world.user("focal"))
    with django_assert_max_num_queries(9):
        client.get(reverse("assessments:mine"))
    client = login(world.user("coordinator"))
    with django_assert_max_num_queries(9):
        response = client.get(reverse("assessments:review_queue"))
    assert len(response.context["assessments"]) == 3
