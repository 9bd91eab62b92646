"""Coordinators approve, reject, suspend and reinstate organisations, and manage the role."""

import pytest
import tinyhtml5
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from partners.models import MemberRole, Membership, MembershipStatus, OrganisationStatus
from partners.services.coordinators import coordinator_grant, coordinator_revoke
from partners.services.review import (
    organisation_approve,
    organisation_reinstate,
    organisation_reject,
    organisation_suspend,
)
from tests.factories import AdminAreaFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def country():
    return AdminAreaFactory(pcode="QQ", level=0, name_en="Testland")


@pytest.fixture
def coordinator():
    return UserFactory(email="cora@example.org", is_coordinator=True, full_name="Cora")


@pytest.fixture
def registrant():
    return UserFactory(email="reg@example.org", full_name="Rami", language="ar")


@pytest.fixture
def pending(registrant):
    organisation = OrganisationFactory(
        name_en="Gamma Care",
        name_ar="غاما للرعاية",
        status=OrganisationStatus.PENDING,
        registered_by=registrant,
    )
    MembershipFactory(organisation=organisation, user=registrant, role=MemberRole.FOCAL_POINT)
    return organisation


# Services -----------------------------------------------------------------------------------


def test_approving_a_pending_organisation_records_who_and_when_and_emails_the_focal_point(
    pending, coordinator, registrant, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        organisation_approve(organisation=pending, by=coordinator)
    pending.refresh_from_db()
    assert pending.status == OrganisationStatus.APPROVED
    assert pending.status_changed_by == coordinator
    assert pending.status_changed_at is not None
    assert pending.history.first().history_user == coordinator
    assert [mail.to for mail in mailoutbox] == [[registrant.email]]
    # The registrant chose Arabic: the email is in Arabic, linking to the Arabic profile.
    assert f"/ar/partners/{pending.pk}/" in mailoutbox[0].body
    assert "غاما للرعاية" in mailoutbox[0].subject


def test_rejecting_ends_the_registrants_membership_so_they_can_register_again(
    pending, coordinator, registrant, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        organisation_reject(organisation=pending, by=coordinator, reason="Not a health actor.")
    pending.refresh_from_db()
    assert pending.status == OrganisationStatus.REJECTED
    assert pending.status_reason == "Not a health actor."
    membership = Membership.objects.get(user=registrant)
    assert membership.status == MembershipStatus.REMOVED
    assert membership.ended_at is not None
    # Nothing is deleted: the organisation and the membership stay for the record.
    assert pending.memberships.count() == 1
    assert len(mailoutbox) == 1
    assert "Not a health actor." in mailoutbox[0].body


def test_it_rejects_a_rejection_without_a_reason(pending, coordinator, mailoutbox):
    with pytest.raises(ValidationError, match="reason"):
        organisation_reject(organisation=pending, by=coordinator, reason="   ")
    pending.refresh_from_db()
    assert pending.status == OrganisationStatus.PENDING
    assert Membership.objects.get(organisation=pending).status == MembershipStatus.ACTIVE


def test_a_coordinator_cannot_approve_an_organisation_they_registered(pending, registrant):
    registrant.is_coordinator = True
    registrant.save()
    with pytest.raises(ValidationError, match="belong to or registered yourself"):
        organisation_approve(organisation=pending, by=registrant)
    pending.refresh_from_db()
    assert pending.status == OrganisationStatus.PENDING


def test_a_coordinator_cannot_reject_an_organisation_they_belong_to(pending):
    member = MembershipFactory(
        organisation=pending, user__is_coordinator=True, status=MembershipStatus.ACTIVE
    ).user
    with pytest.raises(ValidationError, match="belong to or registered yourself"):
        organisation_reject(organisation=pending, by=member, reason="Conflict")
    pending.refresh_from_db()
    assert pending.status == OrganisationStatus.PENDING


@pytest.mark.parametrize(
    ("status", "action", "message"),
    [
        (OrganisationStatus.APPROVED, "approve", "Only an organisation waiting"),
        (OrganisationStatus.REJECTED, "approve", "Only an organisation waiting"),
        (OrganisationStatus.APPROVED, "reject", "Only an organisation waiting"),
        (OrganisationStatus.PENDING, "suspend", "Only an approved organisation"),
        (OrganisationStatus.SUSPENDED, "suspend", "Only an approved organisation"),
        (OrganisationStatus.APPROVED, "reinstate", "Only a suspended organisation"),
        (OrganisationStatus.PENDING, "reinstate", "Only a suspended organisation"),
    ],
)
def test_it_refuses_a_transition_from_the_wrong_status(status, action, message, coordinator):
    organisation = OrganisationFactory(status=status)
    services = {
        "approve": lambda: organisation_approve(organisation=organisation, by=coordinator),
        "reject": lambda: organisation_reject(
            organisation=organisation, by=coordinator, reason="x"
        ),
        "suspend": lambda: organisation_suspend(
            organisation=organisation, by=coordinator, reason="x"
        ),
        "reinstate": lambda: organisation_reinstate(organisation=organisation, by=coordinator),
    }
    with pytest.raises(ValidationError, match=message):
        services[action]()
    organisation.refresh_from_db()
    assert organisation.status == status


def test_suspending_needs_a_reason_and_reinstating_restores_approval(
    coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory()
    focal = MembershipFactory(organisation=organisation, role=MemberRole.FOCAL_POINT).user
    with pytest.raises(ValidationError, match="reason"):
        organisation_suspend(organisation=organisation, by=coordinator, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        organisation_suspend(organisation=organisation, by=coordinator, reason="Reports missing.")
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.SUSPENDED
    assert organisation.status_reason == "Reports missing."
    with django_capture_on_commit_callbacks(execute=True):
        organisation_reinstate(organisation=organisation, by=coordinator)
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.APPROVED
    assert [mail.to for mail in mailoutbox] == [[focal.email], [focal.email]]
    assert "suspended" in mailoutbox[0].subject
    assert "reinstated" in mailoutbox[1].subject


def test_partner_staff_cannot_use_the_review_services(pending):
    staff = UserFactory()
    with pytest.raises(PermissionDenied):
        organisation_approve(organisation=pending, by=staff)


def test_no_email_is_sent_when_a_decision_fails(pending, coordinator, mailoutbox):
    with pytest.raises(ValidationError):
        organisation_suspend(organisation=pending, by=coordinator, reason="x")
    assert mailoutbox == []


# Pages --------------------------------------------------------------------------------------


def test_the_queue_shows_pending_organisations_oldest_first_with_what_they_submitted(
    client, coordinator, pending, country
):
    area = AdminAreaFactory(pcode="QQ01", name_en="Lakeside", parent=country)
    pending.areas.add(area)
    newer = OrganisationFactory(name_en="Delta Aid", status=OrganisationStatus.PENDING)
    OrganisationFactory(name_en="Already Approved")
    client.force_login(coordinator)
    response = client.get(reverse("partners:review_queue"))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("Gamma Care") < page.index("Delta Aid")
    assert newer.contact_email in page
    assert "reg@example.org" in page
    assert "Lakeside" in page
    assert "Already Approved" not in page


def test_the_queue_makes_a_constant_number_of_queries(
    client, coordinator, country, django_assert_max_num_queries
):
    for index in range(4):
        organisation = OrganisationFactory(
            status=OrganisationStatus.PENDING, registered_by=UserFactory()
        )
        MembershipFactory(organisation=organisation, role=MemberRole.FOCAL_POINT)
        for step in range(3):
            organisation.areas.add(AdminAreaFactory(pcode=f"QA{index}{step}", parent=country))
    client.force_login(coordinator)
    # Session, user, count, page, areas, focal points, the coordinator's own organisations.
    with django_assert_max_num_queries(8):
        response = client.get(reverse("partners:review_queue"))
    assert response.content.decode().count("<article") == 4


def test_a_coordinator_approves_from_the_queue(client, coordinator, pending):
    client.force_login(coordinator)
    response = client.post(reverse("partners:review_approve", args=[pending.pk]), follow=True)
    assert f"{pending} is approved and now listed in the directory." in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == OrganisationStatus.APPROVED


def _consequences(response) -> list[str]:
    tree = tinyhtml5.parse(response.content.decode(), namespace_html_elements=False)
    found = tree.find(".//ul[@id='consequences']")
    return [" ".join("".join(item.itertext()).split()) for item in found.iter("li")]


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_the_queue_links_to_a_confirmation_that_changes_nothing(client, coordinator, pending):
    client.force_login(coordinator)
    queue = client.get(reverse("partners:review_queue")).content.decode()
    confirm = reverse("partners:review_approve", args=[pending.pk])
    assert f'href="{confirm}?next=%2Fen%2Fpartners%2Freview%2F"' in queue
    response = client.get(f"{confirm}?next=/en/partners/review/")
    assert response.status_code == 200
    assert _consequences(response) == [
        "Gamma Care is listed in the public directory, with its type and the areas where it works.",
        "Its members can report for it, people can ask to join it, and its validated figures "
        "count in the cluster's figures.",
        "Emailed: Rami <reg@example.org>.",
    ]
    pending.refresh_from_db()
    assert pending.status == OrganisationStatus.PENDING


def test_confirming_the_approval_approves_and_says_who_is_told(
    client, coordinator, pending, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("partners:review_approve", args=[pending.pk]) + "?next=/en/partners/review/",
            follow=True,
        )
    assert response.redirect_chain == [("/en/partners/review/", 302)]
    assert _messages(response) == [
        f"{pending} is approved and now listed in the directory. 1 person is told by email."
    ]
    assert [message.to for message in mailoutbox] == [["reg@example.org"]]


def test_a_decision_nobody_can_be_told_of_says_so_before_and_after(client, coordinator, pending):
    pending.registered_by.__class__.objects.filter(pk=pending.registered_by.pk).update(
        is_active=False
    )
    client.force_login(coordinator)
    url = reverse("partners:review_reject", args=[pending.pk])
    assert _consequences(client.get(url))[-1] == (
        "Nobody at the organisation can be emailed (no focal point or registrant with an "
        "address the portal can use): tell them yourself."
    )
    response = client.post(url, {"reason": "Not a health actor."}, follow=True)
    assert _messages(response) == [
        f"The registration of {pending} is rejected. Nobody could be emailed: tell them yourself."
    ]


def test_the_rejection_and_suspension_ask_their_reason_on_the_confirmation(
    client, coordinator, pending
):
    approved = OrganisationFactory(name_en="Delta Aid")
    client.force_login(coordinator)
    for name, organisation in (("reject", pending), ("suspend", approved)):
        page = client.get(reverse(f"partners:review_{name}", args=[organisation.pk]))
        html = page.content.decode()
        assert 'name="reason"' in html
        assert "Reason, sent to the organisation" in html
        assert 'class="btn btn-danger"' in html
    suspend = _consequences(client.get(reverse("partners:review_suspend", args=[approved.pk])))
    assert suspend[:3] == [
        "Delta Aid leaves the public directory.",
        "Its members can still read member pages but cannot submit anything, and it cannot "
        "take new members, until a coordinator reinstates it.",
        "Its validated figures stay in the cluster's figures.",
    ]


def test_a_confirmation_of_a_decision_that_cannot_be_taken_says_why(client, coordinator):
    approved = OrganisationFactory()
    client.force_login(coordinator)
    response = client.get(reverse("partners:review_approve", args=[approved.pk]), follow=True)
    assert _messages(response) == ["Only an organisation waiting for approval can be approved."]
    assert response.redirect_chain[-1][0] == reverse("partners:review_queue")


def test_rejecting_without_a_reason_shows_the_error_next_to_the_field(client, coordinator, pending):
    client.force_login(coordinator)
    response = client.post(reverse("partners:review_reject", args=[pending.pk]), {"reason": ""})
    assert response.status_code == 400
    assert "Give the reason: the organisation will read it." in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == OrganisationStatus.PENDING


def test_the_queue_says_when_the_coordinator_registered_the_organisation(
    client, pending, registrant
):
    registrant.is_coordinator = True
    registrant.save()
    client.force_login(registrant)
    page = client.get(reverse("partners:review_queue")).content.decode()
    assert "Ask another coordinator to review it." in page
    assert reverse("partners:review_approve", args=[pending.pk]) not in page


def test_approving_your_own_organisation_over_http_shows_a_clear_error(client, pending, registrant):
    registrant.is_coordinator = True
    registrant.save()
    client.force_login(registrant)
    response = client.post(reverse("partners:review_approve", args=[pending.pk]), follow=True)
    assert "You cannot decide on an organisation you belong to" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == OrganisationStatus.PENDING


def test_the_list_of_all_organisations_filters_by_status(client, coordinator):
    OrganisationFactory(name_en="Shown Suspended", status=OrganisationStatus.SUSPENDED)
    OrganisationFactory(name_en="Hidden Approved")
    client.force_login(coordinator)
    page = client.get(reverse("partners:review_organisations"), {"status": "suspended"})
    text = page.content.decode()
    assert "Shown Suspended" in text
    assert "Hidden Approved" not in text
    assert (
        reverse(
            "partners:review_reinstate",
            args=[OrganisationFactory._meta.model.objects.get(name_en="Shown Suspended").pk],
        )
        in text
    )


def test_the_list_of_all_organisations_makes_a_constant_number_of_queries(
    client, coordinator, django_assert_max_num_queries
):
    for status in (OrganisationStatus.APPROVED, OrganisationStatus.SUSPENDED) * 2:
        OrganisationFactory(status=status, status_changed_by=UserFactory(), status_reason="r")
    client.force_login(coordinator)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("partners:review_organisations"))
    assert response.status_code == 200


def test_suspending_from_the_list_returns_to_the_filtered_list(client, coordinator):
    organisation = OrganisationFactory(name_en="Epsilon Health")
    client.force_login(coordinator)
    back = reverse("partners:review_organisations") + "?status=approved"
    response = client.post(
        reverse("partners:review_suspend", args=[organisation.pk]),
        {"reason": "Two reports missing.", "next": back},
    )
    assert response.status_code == 302
    assert response["Location"] == back
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.SUSPENDED


def test_suspending_ignores_a_next_address_on_another_site(client, coordinator):
    organisation = OrganisationFactory()
    client.force_login(coordinator)
    response = client.post(
        reverse("partners:review_suspend", args=[organisation.pk]),
        {"reason": "Why", "next": "https://evil.example.com/"},
    )
    assert response["Location"] == reverse("partners:review_organisations")


@pytest.mark.parametrize("target", ["=1+2", "1_000", "%", "reviews"])
def test_suspending_with_a_next_that_is_not_a_path_returns_to_the_list(client, coordinator, target):
    """Found by the fuzz (tests/fuzz/): a ``next`` without "/" or "." was looked up as the
    name of a URL, and was a 500 (NoReverseMatch) after the organisation was suspended."""
    organisation = OrganisationFactory()
    client.force_login(coordinator)
    response = client.post(
        reverse("partners:review_suspend", args=[organisation.pk]),
        {"reason": "Why", "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("partners:review_organisations")


def test_suspending_without_a_reason_changes_nothing(client, coordinator):
    organisation = OrganisationFactory()
    client.force_login(coordinator)
    response = client.post(reverse("partners:review_suspend", args=[organisation.pk]), {})
    assert response.status_code == 400
    assert "Give the reason" in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.APPROVED


def test_reinstating_a_suspended_organisation_over_http(client, coordinator):
    organisation = OrganisationFactory(status=OrganisationStatus.SUSPENDED)
    client.force_login(coordinator)
    client.post(reverse("partners:review_reinstate", args=[organisation.pk]), {"reason": ""})
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.APPROVED


# Coordinator role ---------------------------------------------------------------------------


def test_a_coordinator_grants_the_role_by_email_and_history_records_it(coordinator):
    person = UserFactory(email="new.coordinator@example.org")
    coordinator_grant(email="New.Coordinator@example.org ", by=coordinator)
    person.refresh_from_db()
    assert person.is_coordinator
    assert person.history.first().history_user == coordinator


def test_granting_the_role_to_an_unknown_address_is_a_clear_error(coordinator):
    with pytest.raises(ValidationError, match="No active account uses this email address"):
        coordinator_grant(email="nobody@example.org", by=coordinator)


def test_a_coordinator_cannot_revoke_their_own_role(coordinator):
    with pytest.raises(ValidationError, match="your own coordinator role"):
        coordinator_revoke(user=coordinator, by=coordinator)
    coordinator.refresh_from_db()
    assert coordinator.is_coordinator


def test_a_coordinator_revokes_another_coordinator(coordinator):
    other = UserFactory(is_coordinator=True)
    coordinator_revoke(user=other, by=coordinator)
    other.refresh_from_db()
    assert not other.is_coordinator


def test_partner_staff_cannot_grant_the_role():
    staff = UserFactory()
    with pytest.raises(PermissionDenied):
        coordinator_grant(email=staff.email, by=staff)


def test_the_coordinators_page_grants_the_role_and_lists_it(client, coordinator):
    UserFactory(email="nadia@example.org")
    client.force_login(coordinator)
    response = client.post(
        reverse("partners:coordinators"), {"email": "nadia@example.org"}, follow=True
    )
    text = response.content.decode()
    assert "nadia@example.org is now a coordinator." in text
    assert "Revoke the coordinator role of nadia@example.org" in text


def test_the_coordinators_page_shows_an_unknown_address_next_to_the_field(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("partners:coordinators"), {"email": "ghost@example.org"})
    assert response.status_code == 400
    assert "No active account uses this email address" in response.content.decode()


def test_revoking_your_own_role_over_http_shows_an_error(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("partners:coordinator_revoke", args=[coordinator.pk]), follow=True
    )
    assert "You cannot revoke your own coordinator role" in response.content.decode()
    coordinator.refresh_from_db()
    assert coordinator.is_coordinator


def test_the_coordinators_page_makes_a_constant_number_of_queries(
    client, coordinator, django_assert_max_num_queries
):
    UserFactory.create_batch(3, is_coordinator=True)
    UserFactory(is_superuser=True)
    client.force_login(coordinator)
    with django_assert_max_num_queries(4):
        response = client.get(reverse("partners:coordinators"))
    assert response.content.decode().count("Revoke the coordinator role of") == 3
