"""Where each role lands after logging in, and the language saved at signup."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from partners.models import OrganisationStatus
from partners.services.registration import organisation_register
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory


def log_in(client, user, **query) -> str:
    url = reverse("account_login")
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    response = client.post(url, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


@pytest.mark.parametrize("role", ["coordinator", "site_admin", "focal"])
def test_coordinators_administrators_and_focal_points_start_on_my_tasks(world, client, role):
    assert log_in(client, world.user(role)) == reverse("my_tasks")


def test_partner_staff_start_on_their_organisations_page(world, client):
    assert log_in(client, world.user("staff")) == reverse("partners:detail", args=[world.org_a.pk])


def test_someone_without_organisation_starts_on_get_started(world, client):
    assert log_in(client, UserFactory()) == reverse("partners:start")


def test_someone_whose_request_is_open_starts_on_get_started(world, client):
    requester = UserFactory()
    MembershipFactory(user=requester, organisation=world.org_a, status="requested")

    assert log_in(client, requester) == reverse("partners:start")


def test_a_pending_registrant_starts_on_my_tasks(world, client):
    registrant = UserFactory()
    organisation_register(
        user=registrant,
        name_en="Gamma Clinics",
        type="nngo",
        contact_name="Gina",
        contact_email="gina@example.org",
        areas=[world.area],
    )

    assert log_in(client, registrant) == reverse("my_tasks")
    assert (
        "Your organisation waits for approval" in client.get(reverse("my_tasks")).content.decode()
    )


def test_staff_of_a_suspended_organisation_still_land_on_its_page(world, client):
    suspended = OrganisationFactory(status=OrganisationStatus.SUSPENDED)
    member = MembershipFactory(organisation=suspended).user

    assert log_in(client, member) == reverse("partners:detail", args=[suspended.pk])


def test_an_explicit_next_page_wins(world, client):
    assert log_in(client, world.user("staff"), next="/en/accounts/profile/") == (
        "/en/accounts/profile/"
    )


def test_the_arabic_login_page_sends_to_arabic_pages(world, client):
    response = client.post(
        "/ar/accounts/login/", {"login": "cora@example.org", "password": PASSWORD}
    )

    assert response["Location"] == "/ar/tasks/"


@pytest.mark.parametrize("language", ["ar", "en"])
def test_signup_saves_the_language_of_the_page(db, client, language, mailoutbox):
    response = client.post(
        f"/{language}/accounts/signup/",
        {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 302
    assert get_user_model().objects.get(email="new@example.org").language == language


def test_a_logged_in_member_opening_the_login_page_is_sent_to_their_start(world, login):
    response = login(world.user("focal")).get(reverse("account_login"))

    assert response["Location"] == reverse("my_tasks")
