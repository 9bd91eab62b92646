"""Passwords are hashed with Argon2; hashes made earlier with PBKDF2 still work and are
upgraded at the next login. (The suite's conftest swaps in a fast hasher; these tests put
the portal's own list back.)"""

import pytest
from django.contrib.auth.hashers import make_password

from cluster_portal import settings as portal_settings
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
