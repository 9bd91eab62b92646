"""Emails of the registration and membership workflows: who gets them, in which language."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Language
from partners.models import MemberRole, Membership, MembershipStatus
from partners.services.membership import (
    focal_point_hand_over,
    membership_accept,
    membership_decline,
    membership_remove,
    membership_request,
)
from partners.services.registration import organisation_register
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Run a service and deliver the emails it queued for after the commit."""

    def _send(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return _send


@pytest.fixture
def newcomer(world):
    return UserFactory(email="nina@example.org", full_name="Nina Newcomer")


def registration(world, user, **overrides) -> dict:
    data = {
        "user": user,
        "name_en": "Gamma Clinics",
        "name_ar": "عيادات غاما",
        "type": "nngo",
        "contact_name": "Gina Gamma",
        "contact_email": "gina@gamma.example.org",
        "areas": [world.area],
    }
    data.update(overrides)
    return data


def by_address(mailoutbox) -> dict:
    return {message.to[0]: message for message in mailoutbox}


def test_a_registration_is_announced_to_every_active_coordinator(world, newcomer, send, mailoutbox):
    UserFactory(email="gone@example.org", is_coordinator=True, is_active=False)

    send(organisation_register, **registration(world, newcomer))

    mails = by_address(mailoutbox)
    assert set(mails) == {"cora@example.org", "ada@example.org"}
    message = mails["cora@example.org"]
    assert message.subject == "[Health Cluster] Gamma Clinics waits for approval"
    assert "Nina Newcomer (nina@example.org) has registered Gamma Clinics" in message.body
    assert "http://127.0.0.1:8000/en/partners/review/" in message.body


def test_an_arabic_speaking_coordinator_gets_the_arabic_page_and_name(
    world, newcomer, send, mailoutbox
):
    coordinator = world.user("coordinator")
    coordinator.language = Language.ARABIC
    coordinator.save()

    send(organisation_register, **registration(world, newcomer))

    message = by_address(mailoutbox)["cora@example.org"]
    # Written in Arabic, from the Arabic catalogue, with the organisation's Arabic name.
    assert message.subject == "[Health Cluster] عيادات غاما بانتظار الموافقة"
    assert "/ar/partners/review/" in message.body
    assert "/en/" not in message.body


def test_a_failed_registration_emails_nobody(world, newcomer, send, mailoutbox):
    with pytest.raises(ValidationError):
        send(organisation_register, **registration(world, newcomer, name_en="alpha health"))

    assert mailoutbox == []


def test_a_join_request_is_sent_to_the_focal_point_with_its_message(
    world, newcomer, send, mailoutbox
):
    send(membership_request, user=newcomer, organisation=world.org_a, message="Nurse, Hilltown")

    assert [message.to for message in mailoutbox] == [["alice@example.org"]]
    message = mailoutbox[0]
    assert message.subject == "[Health Cluster] Nina Newcomer asks to join Alpha Health"
    assert "Nurse, Hilltown" in message.body
    assert "http://127.0.0.1:8000/en/partners/mine/#requests" in message.body


@pytest.mark.parametrize(
    ("service", "subject"),
    [
        (membership_accept, "You are now a member of Alpha Health"),
        (membership_decline, "Your request to join Alpha Health was declined"),
    ],
)
def test_the_requester_learns_the_answer(world, newcomer, send, mailoutbox, service, subject):
    request = MembershipFactory(
        user=newcomer, organisation=world.org_a, status=MembershipStatus.REQUESTED
    )

    send(service, membership=request, by=world.user("focal"))

    assert [message.to for message in mailoutbox] == [["nina@example.org"]]
    assert mailoutbox[0].subject == f"[Health Cluster] {subject}"


def test_an_arabic_speaking_requester_learns_the_answer_in_arabic(world, send, mailoutbox):
    world.org_a.name_ar = "ألفا للصحة"
    world.org_a.save()
    requester = UserFactory(email="rami@example.org", language=Language.ARABIC)
    request = MembershipFactory(
        user=requester, organisation=world.org_a, status=MembershipStatus.REQUESTED
    )

    send(membership_decline, membership=request, by=world.user("focal"))

    message = mailoutbox[0]
    assert "ألفا للصحة" in message.subject
    assert "http://127.0.0.1:8000/ar/partners/start/" in message.body


def test_a_removed_member_is_told(world, send, mailoutbox):
    staff = Membership.objects.get(user=world.user("staff"))

    send(membership_remove, membership=staff, by=world.user("focal"))

    assert [message.to for message in mailoutbox] == [["sam@example.org"]]
    assert "You are no longer a member of Alpha Health" in mailoutbox[0].subject
    assert "stays recorded under your name" in mailoutbox[0].body


def test_the_new_focal_point_is_told(world, send, mailoutbox):
    staff = Membership.objects.get(user=world.user("staff"))

    send(focal_point_hand_over, membership=staff, by=world.user("focal"))

    assert [message.to for message in mailoutbox] == [["sam@example.org"]]
    assert "You are now the focal point of Alpha Health" in mailoutbox[0].subject
    assert Membership.objects.get(user=world.user("staff")).role == MemberRole.FOCAL_POINT


def test_a_refused_answer_emails_nobody(world, newcomer, send, mailoutbox):
    request = MembershipFactory(
        user=newcomer, organisation=world.org_a, status=MembershipStatus.REQUESTED
    )
    world.org_a.status = "suspended"
    world.org_a.save()

    with pytest.raises(ValidationError):
        send(membership_accept, membership=request, by=world.user("focal"))

    assert mailoutbox == []
