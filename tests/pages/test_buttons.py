"""A page about the cluster offers an action exactly when doing it works.

For a published and an unpublished page, seen by every role of the permission matrix, each
button or link (on the page itself and on the coordinators' list of pages) is there if and
only if its POST changes the page (``tests/buttons.py``). The pages ask ``pages.policy`` and
the services enforce it: this checks that the two agree.
"""

import pytest
from django.urls import reverse

from pages.models import Page
from tests.buttons import Action, mismatches
from tests.conftest import ROLES
from tests.pages.conftest import PageFactory

pytestmark = pytest.mark.django_db


def _manage(page: Page) -> str:
    return reverse("pages:manage")


def _edit_data(page: Page) -> dict:
    data = {
        "slug": page.slug,
        "title_en": "Checked title",
        "title_ar": page.title_ar,
        "summary_en": page.summary_en,
        "summary_ar": page.summary_ar,
        "body_en": page.body_en,
        "body_ar": page.body_ar,
        "order": page.order,
    }
    if page.is_published:
        data["is_published"] = "on"
    return data


def _becomes_published(published: bool):
    return lambda before, after: (
        (before.is_published, after.is_published)
        == (
            not published,
            published,
        )
    )


ACTIONS = [
    Action(
        "edit",
        lambda page: page.get_absolute_url(),
        lambda page: reverse("pages:edit", kwargs={"pk": page.pk}),
        lambda before, after: after.title_en == "Checked title",
        _edit_data,
    ),
    Action(
        "publish",
        _manage,
        lambda page: reverse("pages:publish", kwargs={"pk": page.pk}),
        _becomes_published(True),
    ),
    Action(
        "unpublish",
        _manage,
        lambda page: reverse("pages:unpublish", kwargs={"pk": page.pk}),
        _becomes_published(False),
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("published", [True, False], ids=["published", "unpublished"])
def test_the_pages_show_a_button_exactly_when_its_action_works(published, role, world, login):
    page = PageFactory(is_published=published)
    client = login(world.user(role))

    def reload(record: Page) -> Page:
        return Page.objects.get(pk=record.pk)

    assert mismatches(client, page, ACTIONS, reload) == []
