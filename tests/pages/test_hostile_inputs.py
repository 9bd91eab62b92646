"""Issue 21's crashes in the page editor: a NUL in the autosave (a jsonb column) and a page
number that ``str.isdigit`` accepts but ``int`` does not are refused, never a 500."""

import pytest
from django.urls import reverse

from pages.models import PageDraft
from tests.pages.conftest import PageFactory

pytestmark = pytest.mark.django_db

UNSTORABLE = (
    "The text holds an invisible character that cannot be saved (a NUL or a broken "
    "character). Remove it, or type the text again."
)


@pytest.fixture
def coordinator(world, login):
    return login(world.user("coordinator"))


def _draft_url(page) -> str:
    return f"{reverse('pages:draft_save')}?page={page.pk}"


def test_the_autosave_refuses_a_nul_with_the_reason_and_keeps_no_draft(coordinator):
    page = PageFactory()

    response = coordinator.post(
        _draft_url(page),
        {"title_en": "How to join", "body_en": "Half\x00written"},
        HTTP_X_REQUESTED_WITH="fetch",
    )

    assert response.status_code == 400
    assert response.json() == {"message": UNSTORABLE}
    assert not PageDraft.objects.exists()


def test_saving_a_draft_with_a_nul_without_javascript_shows_the_editor_again(coordinator):
    page = PageFactory()

    response = coordinator.post(_draft_url(page), {"title_en": "Half\x00written"})

    assert response.status_code == 400
    page_html = response.content.decode()
    assert UNSTORABLE in page_html
    assert not PageDraft.objects.exists()


@pytest.mark.parametrize("number", ["²", "³", "१", "-1", "99999999999999999999"])
def test_a_draft_for_a_page_number_that_is_none_is_a_404(coordinator, number):
    response = coordinator.post(
        f"{reverse('pages:draft_save')}?page={number}",
        {"title_en": "How to join"},
        HTTP_X_REQUESTED_WITH="fetch",
    )

    assert response.status_code == 404
    assert not PageDraft.objects.exists()
