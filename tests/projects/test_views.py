"""The projects' pages over HTTP, for each role: who sees which project, the form with its
budget split, submitting, the review and funding updates."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import FundingUpdate, Project, ReviewState
from tests.activities.factories import ObjectiveFactory
from tests.projects.factories import FundingFactory, make_projects, project_form

pytestmark = pytest.mark.django_db

LIST = reverse("projects:list")


def _titles(response) -> set[str]:
    return {project.title_en for project in response.context["page_obj"]}


def test_members_see_their_organisations_projects_and_the_accepted_ones_of_others(world, login):
    projects = make_projects(world)
    own = _titles(login(world.user("staff")).get(LIST))
    assert projects.draft.title_en in own
    assert projects.other_draft.title_en not in own
    others = _titles(login(world.user("other_member")).get(LIST))
    assert others == {projects.accepted.title_en, projects.other_draft.title_en}


def test_coordinators_see_every_project(world, login):
    make_projects(world)
    assert len(_titles(login(world.user("coordinator")).get(LIST))) == 5


def test_the_list_filters_by_organisation_status_review_and_objective(world, login):
    projects = make_projects(world)
    objective = ObjectiveFactory(code="SO1")
    projects.accepted.objectives.add(objective)
    client = login(world.user("coordinator"))
    assert _titles(client.get(LIST, {"organisation": world.org_b.pk})) == {
        projects.other_draft.title_en
    }
    assert _titles(client.get(LIST, {"state": "returned"})) == {projects.returned.title_en}
    assert _titles(client.get(LIST, {"objective": objective.pk})) == {projects.accepted.title_en}
    assert _titles(client.get(LIST, {"status": "cancelled"})) == set()
    # A filter that is not one of the choices is ignored, the others kept.
    assert _titles(client.get(LIST, {"state": "nonsense", "organisation": world.org_b.pk})) == {
        projects.other_draft.title_en
    }


def test_the_list_shows_the_latest_funding(world, login):
    projects = make_projects(world)
    FundingFactory(project=projects.accepted, date=datetime.date(2026, 2, 1), amount_received_usd=1)
    FundingFactory(
        project=projects.accepted,
        date=datetime.date(2026, 4, 1),
        amount_received_usd=Decimal("75000"),
    )
    response = login(world.user("other_member")).get(LIST)
    row = next(p for p in response.context["page_obj"] if p.pk == projects.accepted.pk)
    assert row.funding_received == Decimal("75000")
    assert "75,000.00" in response.content.decode()


def test_a_member_adds_a_project_with_its_budget_split(world, login):
    objective = ObjectiveFactory(code="SO1")
    data = project_form(
        **{
            "objective_shares-0-target": objective.pk,
            "objective_shares-0-share_percent": "100",
            "area_shares-0-target": world.area.pk,
            "area_shares-0-share_percent": "100",
            "implementing_partners": [world.org_b.pk],
        }
    )
    response = login(world.user("focal")).post(reverse("projects:create"), data)
    project = Project.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:detail", args=[project.pk])
    assert project.organisation == world.org_a
    assert project.shares.count() == 2
    page = login(world.user("focal")).get(response["Location"]).content.decode()
    assert "SO1" in page
    assert "Submit for review" in page


def test_a_share_without_its_target_is_an_error_on_the_form(world, login):
    data = project_form(**{"area_shares-0-share_percent": "50"})
    response = login(world.user("staff")).post(reverse("projects:create"), data)
    assert response.status_code == 400
    assert not Project.objects.exists()


def test_a_service_error_lands_on_the_form(world, login):
    response = login(world.user("staff")).post(
        reverse("projects:create"), project_form(end="2025-01-01")
    )
    assert response.status_code == 400
    assert "The project cannot end before it starts." in response.content.decode()


def test_shares_adding_up_to_more_than_100_are_named_above_the_form(world, login):
    first, second = ObjectiveFactory(code="SO1"), ObjectiveFactory(code="SO2")
    data = project_form(
        **{
            "objective_shares-0-target": first.pk,
            "objective_shares-0-share_percent": "70",
            "objective_shares-1-target": second.pk,
            "objective_shares-1-share_percent": "40",
        }
    )
    response = login(world.user("staff")).post(reverse("projects:create"), data)
    assert response.status_code == 400
    assert "The shares by objective add up to more than 100 per cent." in (
        response.content.decode()
    )
    assert not Project.objects.exists()


def test_the_detail_says_a_project_without_a_split_is_not_broken_down(world, login):
    projects = make_projects(world)
    page = login(world.user("staff")).get(reverse("projects:detail", args=[projects.draft.pk]))
    assert page.content.decode().count("not broken down") == 2


def test_submitting_confirms_then_submits(world, login):
    projects = make_projects(world)
    client = login(world.user("staff"))
    url = reverse("projects:submit", args=[projects.draft.pk])
    assert "Submit for review" in client.get(url).content.decode()
    projects.draft.refresh_from_db()
    assert projects.draft.state == ReviewState.DRAFT
    client.post(url)
    projects.draft.refresh_from_db()
    assert projects.draft.state == ReviewState.SUBMITTED


def test_changing_a_submitted_project_sends_the_organisation_back_with_the_reason(world, login):
    projects = make_projects(world)
    response = login(world.user("staff")).get(
        reverse("projects:edit", args=[projects.submitted.pk]), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse(
        "projects:detail", args=[projects.submitted.pk]
    )
    assert "only a draft or a returned project is changed" in response.content.decode()


def test_a_coordinator_accepts_from_the_queue(world, login):
    projects = make_projects(world)
    client = login(world.user("coordinator"))
    queue = client.get(reverse("projects:review_queue"))
    assert [project.pk for project in queue.context["page_obj"]] == [projects.submitted.pk]
    client.post(reverse("projects:accept", args=[projects.submitted.pk]))
    projects.submitted.refresh_from_db()
    assert projects.submitted.state == ReviewState.ACCEPTED


def test_a_coordinator_returns_with_a_comment_the_organisation_reads(world, login):
    projects = make_projects(world)
    client = login(world.user("coordinator"))
    url = reverse("projects:return", args=[projects.submitted.pk])
    assert client.post(url, {"comment": ""}).status_code == 400
    client.post(url, {"comment": "Give the donors."})
    page = login(world.user("staff")).get(reverse("projects:detail", args=[projects.submitted.pk]))
    assert "Give the donors." in page.content.decode()
    other = login(world.user("coordinator"))
    assert (
        "Give the donors."
        in other.get(reverse("projects:detail", args=[projects.submitted.pk])).content.decode()
    )


def test_the_organisation_records_funding_of_its_accepted_project(world, login):
    projects = make_projects(world)
    response = login(world.user("staff")).post(
        reverse("projects:funding_add", args=[projects.accepted.pk]),
        {"date": "2026-01-15", "amount_received_usd": "30000", "source": "FTS"},
    )
    assert response.status_code == 302
    assert FundingUpdate.objects.get().amount_received_usd == Decimal("30000")


def test_funding_of_a_draft_is_refused_with_the_reason(world, login):
    projects = make_projects(world)
    response = login(world.user("staff")).get(
        reverse("projects:funding_add", args=[projects.draft.pk]), follow=True
    )
    assert "once the coordinators have accepted the project" in response.content.decode()
