"""Passwords are at least twelve characters long, and hashed with Argon2; hashes made
earlier with PBKDF2 still work and are upgraded at the next login. (The suite's conftest
swaps in a fast hasher; these tests put the portal's own list back.)"""

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password

from accounts.models import User
from cluster_portal import settings as portal_settings
from demo.partners import ACCOUNTS as DEMO_ACCOUNTS
from demo.partners import DEMO_PASSWORD
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal_hashers(settings):
    settings.PASSWORD_HASHERS = portal_settings.PASSWORD_HASHERS


def test_argon2_comes_first_and_pbkdf2_still_verifies():
    assert portal_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert any(h.endswith(".PBKDF2PasswordHasher") for h in portal_settings.PASSWORD_HASHERS)


@pytest.mark.usefixtures("portal_hashers")
def test_a_new_password_is_stored_as_argon2(world):
    sam = world.user("staff")
    sam.set_password("a-brand-new-passphrase-7")
    sam.save()
    assert sam.password.startswith("argon2$argon2id$")


@pytest.mark.usefixtures("portal_hashers")
def test_an_old_pbkdf2_hash_signs_in_and_is_upgraded(world, client):
    sam = world.user("staff")
    sam.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    sam.save()

    response = client.post("/en/accounts/login/", {"login": sam.email, "password": PASSWORD})

    assert response.status_code == 302
    sam.refresh_from_db()
    assert sam.password.startswith("argon2$")


# At least twelve characters ------------------------------------------------------------------

ELEVEN = "kq7-vbn-2xr"
TWELVE = "kq7-vbn-2xrw"
TOO_SHORT = "This password is too short. It must contain at least 12 characters."


def test_signing_up_with_eleven_characters_is_refused_with_the_reason(client):
    response = client.post(
        "/en/accounts/signup/",
        {"email": "new@example.org", "password1": ELEVEN, "password2": ELEVEN},
    )

    assert response.status_code == 200
    assert TOO_SHORT in response.content.decode()
    assert not User.objects.filter(email="new@example.org").exists()


def test_signing_up_with_twelve_characters_is_accepted(client):
    response = client.post(
        "/en/accounts/signup/",
        {"email": "new@example.org", "password1": TWELVE, "password2": TWELVE},
    )

    assert response.status_code == 302
    assert User.objects.get(email="new@example.org").check_password(TWELVE)


def test_the_signup_page_says_how_long_a_password_must_be(client):
    page = client.get("/en/accounts/signup/").content.decode()

    assert "Your password must contain at least 12 characters." in page


def test_changing_a_password_to_eleven_characters_is_refused(world, client):
    sam = world.user("staff")
    client.post("/en/accounts/login/", {"login": sam.email, "password": PASSWORD})

    short = client.post(
        "/en/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": ELEVEN, "password2": ELEVEN},
    )
    assert short.status_code == 200
    assert TOO_SHORT in short.content.decode()
    sam.refresh_from_db()
    assert sam.check_password(PASSWORD)

    long_enough = client.post(
        "/en/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": TWELVE, "password2": TWELVE},
    )
    assert long_enough.status_code == 302
    sam.refresh_from_db()
    assert sam.check_password(TWELVE)


def test_the_demo_and_test_passwords_pass_every_validator():
    for email in DEMO_ACCOUNTS:
        validate_password(DEMO_PASSWORD, user=User(email=email))
    validate_password(PASSWORD, user=User(email="sam@example.org"))
