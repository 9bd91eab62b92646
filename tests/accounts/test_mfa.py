"""Two-factor authentication with an authenticator app, over HTTP: setting it up, signing in
with password then code, the requirement for coordinators and site administrators, and the
Django admin reached only through the portal's login.

The codes are computed here with the same RFC 6238 arithmetic an authenticator app uses
(allauth's ``hotp_value``), from the secret the setup page shows.
"""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"
ACTIVATE = "/en/accounts/2fa/totp/activate/"
AUTHENTICATE = "/en/accounts/2fa/authenticate/"
REAUTHENTICATE = "/en/accounts/reauthenticate/"
REQUIRED_MESSAGE = "must be protected by two-factor authentication"


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now; waits out the last second of a period so
    the code is still valid when the server checks it."""
    remaining = 30 - time.time() % 30
    if remaining < 1.5:
        time.sleep(remaining + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def signed_in_user_id(client) -> str | None:
    return client.session.get(SESSION_KEY)


def password_login(client, email: str, next_url: str = ""):
    url = LOGIN + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"login": email, "password": PASSWORD})


def open_setup_page(client):
    """The setup page, after confirming the password as allauth asks before any change to
    the second factor."""
    page = client.get(ACTIVATE)
    if page.status_code == 302 and page["Location"].startswith(REAUTHENTICATE):
        confirmed = client.post(page["Location"], {"password": PASSWORD})
        assert confirmed["Location"] == ACTIVATE, confirmed
        page = client.get(ACTIVATE)
    return page


def activate_totp(client) -> str:
    """Set up the authenticator app on the setup page; returns the shared secret."""
    page = open_setup_page(client)
    assert page.status_code == 200
    secret = page.context["form"].secret
    assert secret in page.content.decode()  # shown for apps that cannot scan the QR code
    response = client.post(ACTIVATE, {"code": totp_code(secret)})
    assert response.status_code == 302, response.content.decode()
    return secret


@pytest.fixture
def alice_with_totp(world, client):
    """Alice, focal point of organisation A, with an authenticator app set up."""
    alice = world.user("focal")
    password_login(client, alice.email)
    secret = activate_totp(client)
    client.logout()
    cache.clear()  # forget the codes already used
    return alice, secret


def test_a_member_sets_up_an_authenticator_app_from_their_profile(world, client):
    alice = world.user("focal")
    password_login(client, alice.email)

    profile = client.get("/en/accounts/profile/").content.decode()
    assert "Set up two-factor authentication" in profile
    assert 'href="/en/accounts/2fa/"' in profile

    page = open_setup_page(client)
    secret = page.context["form"].secret
    wrong = client.post(ACTIVATE, {"code": "000000" if totp_code(secret) != "000000" else "1"})
    assert wrong.status_code == 200
    assert "Incorrect code." in wrong.content.decode()
    assert not Authenticator.objects.filter(user=alice).exists()

    response = client.post(ACTIVATE, {"code": totp_code(secret)})

    assert response["Location"] == "/en/accounts/2fa/recovery-codes/"
    assert set(Authenticator.objects.filter(user=alice).values_list("type", flat=True)) == {
        Authenticator.Type.TOTP,
        Authenticator.Type.RECOVERY_CODES,
    }
    codes = client.get(response["Location"]).content.decode()
    assert "Recovery Codes" in codes
    assert (
        "Manage two-factor authentication" in client.get("/en/accounts/profile/").content.decode()
    )


def test_with_an_authenticator_the_password_alone_does_not_sign_in(alice_with_totp, client):
    alice, secret = alice_with_totp

    response = password_login(client, alice.email)

    assert response["Location"] == AUTHENTICATE
    assert signed_in_user_id(client) is None
    assert client.get("/en/tasks/")["Location"].startswith(LOGIN)

    wrong = client.post(AUTHENTICATE, {"code": "12345"})
    assert "Incorrect code." in wrong.content.decode()
    assert signed_in_user_id(client) is None

    code = totp_code(secret)
    response = client.post(AUTHENTICATE, {"code": code})

    assert response["Location"] == "/en/tasks/"
    assert signed_in_user_id(client) == str(alice.pk)
    assert client.get("/en/tasks/").status_code == 200

    # The same code cannot be used twice, even within its 30 seconds.
    client.logout()
    password_login(client, alice.email)
    replay = client.post(AUTHENTICATE, {"code": code})
    assert "Incorrect code." in replay.content.decode()
    assert signed_in_user_id(client) is None


def test_a_recovery_code_signs_in_once(alice_with_totp, client):
    alice, _secret = alice_with_totp
    recovery = Authenticator.objects.get(user=alice, type=Authenticator.Type.RECOVERY_CODES)
    code = recovery.wrap().get_unused_codes()[0]

    password_login(client, alice.email)
    client.post(AUTHENTICATE, {"code": code})
    assert signed_in_user_id(client) == str(alice.pk)

    client.logout()
    password_login(client, alice.email)
    client.post(AUTHENTICATE, {"code": code})
    assert signed_in_user_id(client) is None


@pytest.fixture
def require_mfa(settings):
    settings.REQUIRE_MFA = True


@pytest.mark.usefixtures("require_mfa")
@pytest.mark.parametrize("role", ["coordinator", "site_admin"])
def test_a_coordinator_or_administrator_without_an_app_can_only_set_one_up(role, world, client):
    user = world.user(role)

    response = password_login(client, user.email)
    assert signed_in_user_id(client) == str(user.pk)
    landing = client.get(response["Location"])

    assert landing.status_code == 302
    assert landing["Location"] == ACTIVATE
    # allauth asks for the password again before a second factor is added; the message says why.
    setup_page = client.get(ACTIVATE, follow=True)
    assert setup_page.redirect_chain[-1][0].startswith(REAUTHENTICATE)
    assert REQUIRED_MESSAGE in setup_page.content.decode()
    for blocked in ["/en/tasks/", "/en/partners/review/", "/en/admin/", "/en/accounts/profile/"]:
        assert client.get(blocked)["Location"] == ACTIVATE, blocked
    # Arabic pages too, and POSTs.
    assert client.get("/ar/tasks/")["Location"] == "/ar/accounts/2fa/totp/activate/"
    assert client.post("/en/accounts/profile/", {"full_name": "X"})["Location"] == ACTIVATE
    # What stays open: the setup itself, the privacy notice, the health check, signing out.
    assert client.get("/en/accounts/2fa/").status_code == 200
    assert client.get("/en/privacy/").status_code == 200
    assert client.get("/healthz").status_code == 200

    activate_totp(client)

    assert client.get("/en/tasks/").status_code == 200
    assert client.post("/en/accounts/logout/")["Location"] == "/"
    assert signed_in_user_id(client) is None


@pytest.mark.usefixtures("require_mfa")
def test_members_of_organisations_are_not_required_to_set_one_up(world, login):
    client = login(world.user("staff"))
    assert client.get("/en/accounts/profile/").status_code == 200
    assert "Your role requires" not in client.get("/en/accounts/profile/").content.decode()


def test_without_the_requirement_a_coordinator_works_without_an_app(world, settings, login):
    settings.REQUIRE_MFA = False
    assert login(world.user("coordinator")).get("/en/tasks/").status_code == 200


@pytest.mark.usefixtures("require_mfa")
def test_a_coordinator_cannot_switch_the_required_app_off(world, client):
    cora = world.user("coordinator")
    password_login(client, cora.email)
    activate_totp(client)

    page = client.get("/en/accounts/2fa/totp/deactivate/")
    response = client.post("/en/accounts/2fa/totp/deactivate/")

    assert "cannot be switched off" in page.content.decode()
    assert response.status_code == 200
    assert Authenticator.objects.filter(user=cora, type=Authenticator.Type.TOTP).exists()


def test_a_member_may_switch_their_app_off(alice_with_totp, client):
    alice, secret = alice_with_totp
    password_login(client, alice.email)
    client.post(AUTHENTICATE, {"code": totp_code(secret)})

    confirm = client.post("/en/accounts/2fa/totp/deactivate/")
    assert confirm["Location"].startswith(REAUTHENTICATE)
    assert Authenticator.objects.filter(user=alice, type=Authenticator.Type.TOTP).exists()

    # Once the password is confirmed, allauth carries out the request it held back.
    response = client.post(confirm["Location"], {"password": PASSWORD})

    assert response["Location"] == "/en/accounts/2fa/"
    assert not Authenticator.objects.filter(user=alice, type=Authenticator.Type.TOTP).exists()


@pytest.mark.usefixtures("require_mfa")
def test_the_admin_is_reached_through_the_portal_login_and_its_second_step(world, client):
    ada = world.user("site_admin")
    password_login(client, ada.email)
    secret = activate_totp(client)
    client.logout()
    cache.clear()

    to_admin_login = client.get("/en/admin/")
    assert to_admin_login["Location"] == "/en/admin/login/?next=/en/admin/"
    to_portal_login = client.get(to_admin_login["Location"])
    assert to_portal_login["Location"] == "/en/accounts/login/?next=/en/admin/"

    response = password_login(client, ada.email, next_url="/en/admin/")
    assert response["Location"] == AUTHENTICATE
    assert client.get("/en/admin/")["Location"].startswith("/en/admin/login/")

    response = client.post(AUTHENTICATE, {"code": totp_code(secret)})

    assert response["Location"] == "/en/admin/"
    assert client.get("/en/admin/").status_code == 200


def test_the_admin_login_takes_no_password(world, client):
    ada = world.user("site_admin")

    response = client.post(
        "/en/admin/login/?next=/en/admin/", {"username": ada.email, "password": PASSWORD}
    )

    assert response["Location"] == "/en/accounts/login/?next=/en/admin/"
    assert signed_in_user_id(client) is None
    assert client.get("/en/admin/").status_code == 302


def test_the_admin_login_refuses_a_next_address_on_another_site(client):
    response = client.get("/en/admin/login/?next=https://evil.example/")
    assert response["Location"] == "/en/accounts/login/?next=/en/admin/"


def test_the_admin_login_sends_an_administrator_to_the_admin_for_a_next_that_is_not_a_path(
    world, client
):
    """Found by the fuzz (tests/fuzz/): ``?next=9223372036854775808`` was a 500, a
    NoReverseMatch, for a signed-in administrator."""
    client.force_login(world.user("site_admin"))
    response = client.get("/en/admin/login/?next=9223372036854775808")
    assert response.status_code == 302
    assert response["Location"] == "/en/admin/"


def test_failed_logins_are_rate_limited_for_the_administrator_too(world, client):
    ada = world.user("site_admin")
    for _attempt in range(5):
        client.post(LOGIN + "?next=/en/admin/", {"login": ada.email, "password": "wrong"})

    response = client.post(LOGIN + "?next=/en/admin/", {"login": ada.email, "password": PASSWORD})

    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert signed_in_user_id(client) is None


def test_an_administrator_resets_a_lost_app_without_seeing_its_secret(
    alice_with_totp, world, login
):
    alice, secret = alice_with_totp
    totp = Authenticator.objects.get(user=alice, type=Authenticator.Type.TOTP)
    client = login(world.user("site_admin"))

    listing = client.get("/en/admin/mfa/authenticator/").content.decode()
    detail = client.get(f"/en/admin/mfa/authenticator/{totp.pk}/change/").content.decode()
    assert "alice@example.org" in listing or str(alice) in listing
    assert secret not in listing
    assert secret not in detail
    assert totp.data["secret"] not in detail

    client.post(f"/en/admin/mfa/authenticator/{totp.pk}/delete/", {"post": "yes"})

    assert not Authenticator.objects.filter(pk=totp.pk).exists()
