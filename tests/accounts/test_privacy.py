"""Privacy: the public notice, a member's download of their data and the deletion of their
account, which erases the person and keeps their organisation's records."""

import json
import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import SESSION_KEY, get_user_model
from django.test import Client
from django.utils import translation

from accounts.selectors import relations_to_user
from accounts.services import user_erase
from partners.models import Membership
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


def test_the_privacy_notice_is_public_and_linked_from_every_page(client):
    page = client.get("/en/privacy/").content.decode()

    headings = re.findall(r"<h2[^>]*>([^<]*)</h2>", page)
    for heading in ["What the portal holds", "Why", "Who can see it", "How long it is kept"]:
        assert heading in headings
    assert "Your rights" in headings
    assert "Contact" in headings
    assert "deleted after 14 days" in page
    assert "after 2 hours without activity and at most 12 hours" in page
    assert 'href="/en/privacy/"' in client.get("/en/accounts/login/").content.decode()
    assert client.get("/ar/privacy/").status_code == 200


def test_the_notice_names_the_privacy_contact_when_one_is_set(client, settings):
    settings.PRIVACY_CONTACT_EMAIL = "privacy@cluster.example"
    assert "mailto:privacy@cluster.example" in client.get("/en/privacy/").content.decode()


@pytest.fixture
def alice_with_work(world):
    """Alice registered organisation A, changed it (audit history) and has an authenticator."""
    alice = world.user("focal")
    alice.full_name = "Alice Focal"
    alice.save()
    org = world.org_a
    org.registered_by = alice
    org._history_user = alice
    org.save()
    TOTP.activate(alice, generate_totp_secret())
    return alice


def download(client) -> dict:
    response = client.get("/en/accounts/profile/data/")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="health-cluster-personal-data-'
    )
    return json.loads(response.content)


def test_a_member_downloads_what_the_portal_holds_about_them(alice_with_work, world, login):
    alice = alice_with_work
    data = download(login(alice))

    assert data["profile"]["email"] == "alice@example.org"
    assert data["profile"]["full_name"] == "Alice Focal"
    assert data["email_addresses"] == [
        {"email": "alice@example.org", "verified": True, "primary": True}
    ]
    assert [entry["type"] for entry in data["two_factor_authentication"]] == ["totp"]
    membership = Membership.objects.get(user=alice)
    assert {
        "type": "partners.membership",
        "id": membership.pk,
        "organisation": world.org_a.pk,
        "role": "focal",
        "status": "active",
    }.items() <= data["owned_records"][0].items()
    assert {
        "type": "partners.organisation",
        "as": "registered_by",
        "count": 1,
        "ids": [world.org_a.pk],
    } in data["authored_records"]
    assert {"type": "partners.organisation", "changes": 1} in data["audit_history"]


def test_the_download_holds_no_secret_and_nobody_elses_data(alice_with_work, world, login):
    secret = Authenticator.objects.get(user=alice_with_work).data["secret"]

    mine = login(alice_with_work).get("/en/accounts/profile/data/").content.decode()
    olgas = login(world.user("other_member")).get("/en/accounts/profile/data/").content.decode()

    assert secret not in mine
    assert "password" not in json.loads(mine)["profile"]
    assert "alice@example.org" not in olgas
    assert json.loads(olgas)["authored_records"] == []


def test_the_download_costs_the_same_queries_however_much_was_authored(
    world, login, django_assert_max_num_queries
):
    alice = world.user("focal")
    client = login(alice)
    # A query per relation to the user (every app's), and a few for the request itself.
    with django_assert_max_num_queries(len(relations_to_user()) + 8) as few:
        download(client)
    for org in (world.org_a, world.org_b):
        org.registered_by = alice
        org.status_changed_by = alice
        org.save()
    with django_assert_max_num_queries(len(few.captured_queries)):
        data = download(client)
    assert sum(entry["count"] for entry in data["authored_records"]) == 4


def test_deleting_the_account_erases_the_person_and_keeps_the_records(
    alice_with_work, world, client
):
    alice = alice_with_work
    client.force_login(alice)
    other_browser = Client()
    other_browser.force_login(alice)
    assert other_browser.get("/en/accounts/profile/").status_code == 200

    page = client.get("/en/accounts/profile/delete/").content.decode()
    assert "cannot be undone" in page
    response = client.post("/en/accounts/profile/delete/", {"password": PASSWORD})

    assert response["Location"] == "/en/"
    assert "Your account is deleted." in client.get("/en/privacy/").content.decode()
    assert SESSION_KEY not in client.session
    alice.refresh_from_db()
    assert alice.email == f"deleted-{alice.pk}@invalid"
    assert (alice.full_name, alice.is_active, alice.has_usable_password()) == ("", False, False)
    assert alice.is_erased
    assert str(alice) == alice.get_full_name() == "Former member"
    assert not EmailAddress.objects.filter(user=alice).exists()
    assert not Authenticator.objects.filter(user=alice).exists()
    # The other browser's session is gone too.
    assert other_browser.get("/en/accounts/profile/")["Location"].startswith("/en/accounts/login/")
    # The audit history of the account no longer holds the name or the address.
    assert set(User.history.filter(id=alice.pk).values_list("email", flat=True)) == {alice.email}
    assert not User.history.filter(id=alice.pk).exclude(full_name="").exists()
    # The organisation's records stay, attributed to a former member.
    world.org_a.refresh_from_db()
    assert world.org_a.registered_by_id == alice.pk
    assert world.org_a.history.filter(history_user=alice).exists()
    assert Membership.objects.filter(user=alice).exists()
    # Nobody signs in with the old address any more.
    client.post("/en/accounts/login/", {"login": "alice@example.org", "password": PASSWORD})
    assert SESSION_KEY not in client.session


def test_former_member_is_translated():
    user = UserFactory(full_name="Someone")
    user.erased_at = user.date_joined
    with translation.override("ar"):
        # The Arabic catalogue is written later; the name must come through gettext.
        assert str(user) == translation.gettext("Former member")


def test_a_wrong_password_deletes_nothing(world, login):
    sam = world.user("staff")
    response = login(sam).post("/en/accounts/profile/delete/", {"password": "not-it"})

    assert response.status_code == 200
    assert "That is not your password. Nothing was deleted." in response.content.decode()
    sam.refresh_from_db()
    assert sam.is_active
    assert sam.email == "sam@example.org"


def test_password_guesses_on_the_deletion_form_are_limited(world, login):
    client = login(world.user("staff"))
    for _attempt in range(10):
        client.post("/en/accounts/profile/delete/", {"password": "guess"})

    response = client.post("/en/accounts/profile/delete/", {"password": PASSWORD})

    assert "Too many attempts" in response.content.decode()
    assert User.objects.get(pk=world.user("staff").pk).is_active


def test_the_only_site_administrator_cannot_delete_their_account(world):
    with pytest.raises(Exception, match="only site administrator"):
        user_erase(user=world.user("site_admin"))
    UserFactory(email="second@example.org", is_superuser=True, is_staff=True)

    erased = user_erase(user=world.user("site_admin"))

    assert (erased.is_superuser, erased.is_staff, erased.is_active) == (False, False, False)


def test_an_account_is_erased_only_once(world):
    user_erase(user=world.user("staff"))
    with pytest.raises(Exception, match="already been deleted"):
        user_erase(user=world.user("staff"))


def test_a_deleted_account_leaves_its_organisation_and_its_open_requests(world):
    from accounts.services import user_erase
    from partners.models import MembershipStatus
    from tests.factories import MembershipFactory, OrganisationFactory

    sam = world.user("staff")
    user_erase(user=sam)
    membership = Membership.objects.get(user=sam)
    assert membership.status == MembershipStatus.LEFT
    assert membership.ended_at is not None
    assert world.org_a in [m.organisation for m in Membership.objects.filter(user=sam)]

    asking = MembershipFactory(
        organisation=OrganisationFactory(), status=MembershipStatus.REQUESTED
    ).user
    user_erase(user=asking)
    assert not Membership.objects.filter(user=asking).exists()
