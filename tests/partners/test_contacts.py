"""The members' contact list: coordinators and focal points, for members and coordinators only."""

import pytest
from django.urls import reverse

from partners.models import MemberRole, OrganisationStatus
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/en/partners/contacts/"


def test_a_member_sees_the_coordinators_and_the_focal_points(world, login):
    client = login(world.user("staff"))
    page = client.get(reverse("partners:contacts")).content.decode()
    assert "cora@example.org" in page
    assert "alice@example.org" in page  # Alpha Health's focal point
    assert "Beta Relief" in page


def test_an_organisation_without_a_focal_point_shows_its_general_contact(world, login):
    page = login(world.user("staff")).get(URL).content.decode()
    assert world.org_b.contact_email in page
    assert "olga@example.org" not in page  # staff, not focal point


def test_pending_organisations_are_not_listed(world, login):
    pending = OrganisationFactory(name_en="Pending Care", status=OrganisationStatus.PENDING)
    MembershipFactory(organisation=pending, role=MemberRole.FOCAL_POINT, user__email="p@x.org")
    page = login(world.user("coordinator")).get(URL).content.decode()
    assert "Pending Care" not in page
    assert "p@x.org" not in page


def test_a_member_of_a_suspended_organisation_still_sees_the_list(world, login):
    world.org_a.status = OrganisationStatus.SUSPENDED
    world.org_a.save()
    assert login(world.user("staff")).get(URL).status_code == 200


def test_a_member_of_a_pending_organisation_is_refused(world, login):
    world.org_a.status = OrganisationStatus.PENDING
    world.org_a.save()
    assert login(world.user("staff")).get(URL).status_code == 403


def test_someone_without_an_organisation_is_refused(world, login):
    assert login(UserFactory()).get(URL).status_code == 403


def test_visitors_are_asked_to_log_in(client, world):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_list_makes_a_fixed_number_of_queries(world, login, django_assert_max_num_queries):
    for n in range(3):
        organisation = OrganisationFactory()
        MembershipFactory(organisation=organisation, role=MemberRole.FOCAL_POINT)
        MembershipFactory(organisation=organisation)
        UserFactory(is_coordinator=True, email=f"coordinator{n}@example.org")
    client = login(world.user("staff"))
    with django_assert_max_num_queries(7):
        client.get(URL)
