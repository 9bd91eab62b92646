"""The profile page: the user's name and the language of their emails."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.services import user_update_profile


def test_the_profile_page_shows_the_current_name_and_language(world, login):
    user = world.user("staff")
    user.full_name = "Sam Staff"
    user.save()

    page = login(user).get(reverse("accounts:profile")).content.decode()

    assert 'value="Sam Staff"' in page
    assert 'value="en" class="form-check-input" id="id_language_0" required checked' in page
    assert "Language of your emails" in page


def test_a_user_changes_their_name_and_language(world, login):
    client = login(world.user("staff"))

    response = client.post(
        reverse("accounts:profile"), {"full_name": "  Sam   Staff ", "language": "ar"}
    )

    assert response["Location"] == reverse("accounts:profile")
    assert "Your profile is saved." in client.get(response["Location"]).content.decode()
    user = world.user("staff")
    user.refresh_from_db()
    assert (user.full_name, user.language) == ("Sam Staff", "ar")


def test_an_empty_name_is_refused_and_nothing_changes(world, login):
    user = world.user("staff")
    before = user.full_name

    response = login(user).post(reverse("accounts:profile"), {"full_name": " ", "language": "ar"})

    assert response.status_code == 200
    assert "Enter your full name." in response.content.decode()
    user.refresh_from_db()
    assert (user.full_name, user.language) == (before, "en")


def test_an_unknown_language_is_refused(world, login):
    response = login(world.user("staff")).post(
        reverse("accounts:profile"), {"full_name": "Sam", "language": "fr"}
    )

    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert world.user("staff").language == "en"


def test_the_service_refuses_an_unknown_language(world):
    with pytest.raises(ValidationError) as caught:
        user_update_profile(user=world.user("staff"), full_name="Sam", language="fr")

    assert caught.value.message_dict["language"] == ["Choose English or Arabic."]


def test_the_profile_change_is_audited(world, login):
    user = world.user("staff")

    login(user).post(reverse("accounts:profile"), {"full_name": "Sam Staff", "language": "ar"})

    latest = user.history.latest()
    assert (latest.full_name, latest.language, latest.history_user) == ("Sam Staff", "ar", user)
