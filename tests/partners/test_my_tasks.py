"""The My tasks page and the partners app's tasks on it."""

import pytest
from django.urls import reverse

from cluster_portal import tasks_page
from core.tasks import Task
from partners.models import MembershipStatus, OrganisationStatus
from partners.selectors import tasks_for_user
from partners.services.registration import organisation_register
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.text import has_phrase


def _page(client) -> str:
    response = client.get(reverse("my_tasks"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("role", ["coordinator", "site_admin"])
def test_a_coordinator_sees_the_organisations_waiting_for_approval(world, login, role):
    OrganisationFactory.create_batch(3, status=OrganisationStatus.PENDING)

    page = _page(login(world.user(role)))

    assert "Organisations waiting for approval" in page
    assert has_phrase(page, "3 organisations wait for approval.")
    assert f'href="{reverse("partners:review_queue")}"' in page


def test_the_focal_point_sees_the_requests_to_join(world, login):
    MembershipFactory.create_batch(2, organisation=world.org_a, status=MembershipStatus.REQUESTED)
    MembershipFactory(organisation=world.org_b, status=MembershipStatus.REQUESTED)

    page = _page(login(world.user("focal")))

    assert "Requests to join Alpha Health" in page
    assert has_phrase(page, "2 people ask to join your organisation.")
    assert reverse("partners:my_organisation") + "#requests" in page


def test_a_registrant_sees_their_organisation_waiting_for_approval(world, login):
    registrant = UserFactory()
    organisation_register(
        user=registrant,
        name_en="Gamma Clinics",
        type="nngo",
        contact_name="Gina",
        contact_email="gina@example.org",
        areas=[world.area],
    )

    page = _page(login(registrant))

    assert "Your organisation waits for approval" in page
    assert "Waiting for others" in page


def test_a_requester_sees_their_request_waiting(world, login):
    requester = UserFactory()
    MembershipFactory(user=requester, organisation=world.org_b, status=MembershipStatus.REQUESTED)

    page = _page(login(requester))

    assert "Your request to join Beta Relief" in page


@pytest.mark.parametrize("role", ["staff", "focal", "other_member", "coordinator"])
def test_nothing_to_do_shows_the_empty_state(world, login, role):
    assert "Nothing waits for you at the moment." in _page(login(world.user(role)))


def test_the_page_composes_every_providers_tasks_actions_first(world, login, monkeypatch):
    def later_app(user):
        return [
            Task(title="Reports to validate", description="4 reports.", url="/x/", count=4),
            Task(title="Bulletin building", description="Soon.", url="/y/", kind="waiting"),
        ]

    MembershipFactory(organisation=world.org_a, status=MembershipStatus.REQUESTED)
    monkeypatch.setattr(tasks_page, "TASK_PROVIDERS", [*tasks_page.TASK_PROVIDERS, later_app])

    tasks = tasks_page.tasks_for(world.user("focal"))

    assert [task.title for task in tasks] == [
        "Requests to join Alpha Health",
        "Reports to validate",
        "Bulletin building",
    ]


def test_the_partners_tasks_ignore_anonymous_visitors(world):
    from django.contrib.auth.models import AnonymousUser

    assert tasks_for_user(AnonymousUser()) == []


def test_the_page_makes_a_constant_number_of_queries(world, login, django_assert_max_num_queries):
    OrganisationFactory.create_batch(3, status=OrganisationStatus.PENDING)
    MembershipFactory.create_batch(3, organisation=world.org_a, status=MembershipStatus.REQUESTED)
    world.user("focal").is_coordinator = True
    world.user("focal").save()
    client = login(world.user("focal"))

    # Session, user, membership, two partner counts, then at most two per further provider
    # (assessments, activity periods, activity reviews, facility statuses: two, attacks on
    # health care: one, projects: two, monitoring periods: one): fixed, whatever the data.
    with django_assert_max_num_queries(19):
        page = _page(client)

    assert has_phrase(page, "3 organisations wait for approval.")
    assert has_phrase(page, "3 people ask to join your organisation.")
