"""Asking to join an organisation, the focal point's answers, members, the role, leaving."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from partners.models import (
    MemberRole,
    Membership,
    MembershipStatus,
    OrganisationStatus,
)
from partners.services.membership import (
    focal_point_hand_over,
    membership_accept,
    membership_cancel,
    membership_decline,
    membership_leave,
    membership_remove,
    membership_request,
)
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture
def newcomer(world):
    return UserFactory(email="nina@example.org", full_name="Nina Newcomer")


@pytest.fixture
def join_request(world, newcomer):
    return MembershipFactory(
        user=newcomer,
        organisation=world.org_a,
        status=MembershipStatus.REQUESTED,
        message="I run the mobile clinics.",
    )


def _set_status(organisation, status: str) -> None:
    organisation.status = status
    organisation.save()


def _page(client, url: str) -> str:
    return client.get(url).content.decode()


# Asking to join ------------------------------------------------------------------------------


def test_a_user_without_organisation_asks_to_join_an_approved_one(world, newcomer):
    membership = membership_request(user=newcomer, organisation=world.org_a, message=" Hello ")

    assert membership.status == MembershipStatus.REQUESTED
    assert membership.role == MemberRole.STAFF
    assert membership.message == "Hello"


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (OrganisationStatus.PENDING, "still waiting for the coordinators' approval"),
        (OrganisationStatus.REJECTED, "registration was rejected"),
        (OrganisationStatus.SUSPENDED, "is suspended"),
    ],
)
def test_it_refuses_a_request_to_join_an_organisation_that_is_not_approved(
    world, newcomer, status, message
):
    organisation = OrganisationFactory(status=status)

    with pytest.raises(ValidationError) as caught:
        membership_request(user=newcomer, organisation=organisation)

    assert message in caught.value.messages[0]
    assert not Membership.objects.filter(user=newcomer).exists()


def test_it_refuses_a_second_request_while_one_is_open(world, newcomer, join_request):
    with pytest.raises(ValidationError) as caught:
        membership_request(user=newcomer, organisation=world.org_b)

    assert "You have asked to join Alpha Health" in caught.value.messages[0]
    assert Membership.objects.filter(user=newcomer).count() == 1


def test_it_refuses_a_request_from_a_member_of_another_organisation(world):
    with pytest.raises(ValidationError) as caught:
        membership_request(user=world.user("other_member"), organisation=world.org_a)

    assert "You already belong to Beta Relief" in caught.value.messages[0]
    assert not Membership.objects.filter(organisation=world.org_a, status="requested").exists()


def test_it_refuses_a_request_nobody_could_answer(world, newcomer):
    orphan = OrganisationFactory()

    with pytest.raises(ValidationError) as caught:
        membership_request(user=newcomer, organisation=orphan)

    assert "has no focal point to answer your request" in caught.value.messages[0]
    assert not Membership.objects.filter(user=newcomer).exists()


def test_asking_to_join_over_http(world, newcomer, login):
    client = login(newcomer)
    url = reverse("partners:join", args=[world.org_a.pk])

    assert "Ask to join Alpha Health" in _page(client, url)
    response = client.post(url, {"message": "Pharmacist in the north."})

    assert response["Location"] == reverse("partners:start")
    page = _page(client, response["Location"])
    assert "Your request to join Alpha Health is sent to its focal point." in page
    assert "You asked to join Alpha Health" in page
    assert Membership.objects.get(user=newcomer).message == "Pharmacist in the north."


def _same_page(response, pk: str) -> str:
    page = response.content.decode().replace(f"/join/{pk}/", "/join/ID/")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


@pytest.mark.parametrize(
    "status",
    [OrganisationStatus.PENDING, OrganisationStatus.SUSPENDED, OrganisationStatus.REJECTED],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_joining_an_organisation_not_approved_is_the_same_404_as_a_missing_one(
    world, newcomer, login, status, method
):
    # It used to say the organisation existed and in what state; its directory page is a 404.
    hidden = OrganisationFactory(status=status)
    client = login(newcomer)
    send = getattr(client, method)

    response = send(reverse("partners:join", args=[hidden.pk]), {"message": "Hi"})
    missing = send(reverse("partners:join", args=[999999]), {"message": "Hi"})

    assert response.status_code == missing.status_code == 404
    # The same page, but for the address it was asked at (in the language switch's links).
    assert _same_page(response, str(hidden.pk)) == _same_page(missing, "999999")
    assert not Membership.objects.filter(user=newcomer).exists()


def test_a_too_long_message_is_refused_with_a_clear_error(world, newcomer, login):
    response = login(newcomer).post(
        reverse("partners:join", args=[world.org_a.pk]), {"message": "x" * 1001}
    )

    assert response.status_code == 400
    assert "Ensure this value has at most 1000 characters" in response.content.decode()
    assert not Membership.objects.filter(user=newcomer).exists()


def test_the_join_page_of_a_missing_organisation_is_not_found(world, newcomer, login):
    assert login(newcomer).get(reverse("partners:join", args=[999999])).status_code == 404


# Answering -----------------------------------------------------------------------------------


def test_the_focal_point_accepts_a_request(world, join_request):
    membership = membership_accept(membership=join_request, by=world.user("focal"))

    assert membership.status == MembershipStatus.ACTIVE
    assert membership.decided_by == world.user("focal")
    assert membership.decided_at is not None


def test_the_focal_point_declines_a_request(world, join_request):
    membership = membership_decline(membership=join_request, by=world.user("focal"))

    assert membership.status == MembershipStatus.DECLINED
    assert membership.decided_by == world.user("focal")


def test_a_request_answered_twice_gets_a_clear_error(world, join_request):
    membership_decline(membership=join_request, by=world.user("focal"))

    with pytest.raises(ValidationError) as caught:
        membership_accept(membership=join_request, by=world.user("focal"))

    assert caught.value.messages == ["This request has already been answered or withdrawn."]
    join_request.refresh_from_db()
    assert join_request.status == MembershipStatus.DECLINED


def test_only_the_focal_point_of_that_organisation_answers(world, join_request):
    other_focal = MembershipFactory(organisation=world.org_b, role=MemberRole.FOCAL_POINT).user

    for user in (world.user("staff"), other_focal, world.user("coordinator")):
        with pytest.raises(PermissionDenied):
            membership_accept(membership=join_request, by=user)
    join_request.refresh_from_db()
    assert join_request.status == MembershipStatus.REQUESTED


def test_a_suspended_organisation_cannot_accept_new_members(world, join_request, login):
    _set_status(world.org_a, OrganisationStatus.SUSPENDED)
    client = login(world.user("focal"))

    page = _page(client, reverse("partners:my_organisation"))
    response = client.post(reverse("partners:request_accept", args=[join_request.pk]))

    # The page and the refused POST give the same reason, the policy's.
    reason = "Alpha Health (AH) is suspended: it cannot accept new members"
    assert reason in page
    assert reverse("partners:request_accept", args=[join_request.pk]) not in page
    assert reason in _page(client, response["Location"])
    join_request.refresh_from_db()
    assert join_request.status == MembershipStatus.REQUESTED


def test_answering_over_http(world, join_request, login):
    client = login(world.user("focal"))

    page = _page(client, reverse("partners:my_organisation"))
    response = client.post(reverse("partners:request_accept", args=[join_request.pk]))

    assert "I run the mobile clinics." in page
    assert response["Location"] == reverse("partners:my_organisation") + "#requests"
    assert "Nina Newcomer is now a member of your organisation." in _page(
        client, response["Location"]
    )


def test_a_focal_point_cannot_answer_another_organisations_request(world, login):
    other_focal = MembershipFactory(organisation=world.org_b, role=MemberRole.FOCAL_POINT).user
    foreign = MembershipFactory(organisation=world.org_a, status=MembershipStatus.REQUESTED)

    response = login(other_focal).post(reverse("partners:request_decline", args=[foreign.pk]))

    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == MembershipStatus.REQUESTED


# Withdrawing ---------------------------------------------------------------------------------


def test_the_requester_withdraws_their_request(world, newcomer, join_request, login):
    client = login(newcomer)

    response = client.post(reverse("partners:request_cancel", args=[join_request.pk]))

    assert "Your request is withdrawn." in _page(client, response["Location"])
    assert not Membership.objects.filter(user=newcomer).exists()


def test_nobody_else_withdraws_a_request(world, join_request, login):
    response = login(world.user("focal")).post(
        reverse("partners:request_cancel", args=[join_request.pk])
    )

    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        membership_cancel(membership=join_request, by=world.user("focal"))
    assert Membership.objects.filter(pk=join_request.pk).exists()


def test_an_accepted_request_can_no_longer_be_withdrawn(world, newcomer, join_request):
    membership_accept(membership=join_request, by=world.user("focal"))

    with pytest.raises(ValidationError):
        membership_cancel(membership=join_request, by=newcomer)
    join_request.refresh_from_db()
    assert join_request.status == MembershipStatus.ACTIVE


# Removing members ----------------------------------------------------------------------------


def test_the_focal_point_removes_a_member_and_the_membership_is_kept(world, login):
    staff_membership = Membership.objects.get(user=world.user("staff"))
    client = login(world.user("focal"))
    url = reverse("partners:member_remove", args=[staff_membership.pk])

    assert "Remove from the organisation" in _page(client, url)
    response = client.post(url)

    staff_membership.refresh_from_db()
    assert staff_membership.status == MembershipStatus.REMOVED
    assert staff_membership.ended_at is not None
    assert "is removed from your organisation" in _page(client, response["Location"])


def test_the_focal_point_cannot_remove_themselves(world):
    own = Membership.objects.get(user=world.user("focal"))

    with pytest.raises(ValidationError) as caught:
        membership_remove(membership=own, by=world.user("focal"))

    assert "You cannot remove yourself" in caught.value.messages[0]
    own.refresh_from_db()
    assert own.status == MembershipStatus.ACTIVE


def test_a_focal_point_acting_on_another_organisations_member_gets_not_found(world, login):
    other_focal = MembershipFactory(organisation=world.org_b, role=MemberRole.FOCAL_POINT).user
    staff_membership = Membership.objects.get(user=world.user("staff"))
    client = login(other_focal)

    for name in ("partners:member_remove", "partners:member_make_focal_point"):
        assert client.post(reverse(name, args=[staff_membership.pk])).status_code == 404
    staff_membership.refresh_from_db()
    assert staff_membership.status == MembershipStatus.ACTIVE
    assert staff_membership.role == MemberRole.STAFF


def test_a_removed_member_cannot_be_removed_again(world, login):
    staff_membership = Membership.objects.get(user=world.user("staff"))
    membership_remove(membership=staff_membership, by=world.user("focal"))
    client = login(world.user("focal"))

    response = client.post(reverse("partners:member_remove", args=[staff_membership.pk]))

    assert "is no longer a member of the organisation" in _page(client, response["Location"])


# Handing over the focal point role -----------------------------------------------------------


def test_the_focal_point_hands_the_role_to_another_member(world, login):
    staff_membership = Membership.objects.get(user=world.user("staff"))
    client = login(world.user("focal"))

    response = client.post(reverse("partners:member_make_focal_point", args=[staff_membership.pk]))

    assert response.status_code == 302
    roles = dict(
        Membership.objects.filter(organisation=world.org_a).values_list("user__email", "role")
    )
    assert roles == {"alice@example.org": "staff", "sam@example.org": "focal"}


def test_the_role_goes_only_to_an_active_member(world):
    staff_membership = Membership.objects.get(user=world.user("staff"))
    membership_remove(membership=staff_membership, by=world.user("focal"))

    with pytest.raises(ValidationError) as caught:
        focal_point_hand_over(membership=staff_membership, by=world.user("focal"))

    assert "is no longer a member" in caught.value.messages[0]
    assert Membership.objects.get(user=world.user("focal")).role == MemberRole.FOCAL_POINT


def test_only_the_focal_point_hands_the_role_over(world):
    focal_membership = Membership.objects.get(user=world.user("focal"))

    with pytest.raises(PermissionDenied):
        focal_point_hand_over(membership=focal_membership, by=world.user("staff"))
    assert Membership.objects.get(user=world.user("staff")).role == MemberRole.STAFF


def test_handing_the_role_to_oneself_is_refused(world):
    own = Membership.objects.get(user=world.user("focal"))

    with pytest.raises(ValidationError) as caught:
        focal_point_hand_over(membership=own, by=world.user("focal"))

    assert caught.value.messages == ["You are already the focal point."]


# Leaving -------------------------------------------------------------------------------------


def test_a_member_leaves(world, login):
    client = login(world.user("staff"))

    assert "Leave Alpha Health?" in _page(client, reverse("partners:leave"))
    response = client.post(reverse("partners:leave"))

    membership = Membership.objects.get(user=world.user("staff"))
    assert membership.status == MembershipStatus.LEFT
    assert membership.ended_at is not None
    assert response["Location"] == reverse("partners:start")
    assert "You have left Alpha Health." in _page(client, response["Location"])


def test_the_focal_point_must_hand_over_before_leaving(world, login):
    client = login(world.user("focal"))

    response = client.post(reverse("partners:leave"))

    assert "Hand the role to another member before you leave" in _page(client, response["Location"])
    assert Membership.objects.get(user=world.user("focal")).status == MembershipStatus.ACTIVE


def test_the_focal_point_who_is_the_last_member_may_leave(world):
    membership_remove(
        membership=Membership.objects.get(user=world.user("staff")), by=world.user("focal")
    )

    membership = membership_leave(user=world.user("focal"))

    assert membership.status == MembershipStatus.LEFT


def test_the_last_member_answers_open_requests_before_leaving(world, join_request):
    membership_remove(
        membership=Membership.objects.get(user=world.user("staff")), by=world.user("focal")
    )

    with pytest.raises(ValidationError) as caught:
        membership_leave(user=world.user("focal"))

    assert "Answer the open requests to join it before you leave" in caught.value.messages[0]
    assert Membership.objects.get(user=world.user("focal")).status == MembershipStatus.ACTIVE


def test_someone_without_organisation_cannot_leave(world):
    with pytest.raises(ValidationError) as caught:
        membership_leave(user=world.user("coordinator"))

    assert caught.value.messages == ["You do not belong to an organisation."]
