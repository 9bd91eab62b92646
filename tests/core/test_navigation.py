"""The navigation bar and the footer's links: the menus are written once per language and kept
in the process (``core.templatetags.portal.fixed_include``); each reader still gets the menus
of their role, in the page's language, with their own account."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

COORDINATION = "Organisations to approve"
MEMBERS = "Our facility statuses"


def _privacy(language: str = "en") -> str:
    with translation.override(language):
        return reverse("privacy")


def _labels(client, language: str = "en") -> list[str]:
    page = client.get(_privacy(language)).content.decode()
    header = page[page.index("<header") : page.index("</header>")]
    return [label.strip() for label in re.findall(r"<a [^>]*>([^<]+)</a>", header)]


def _translated(text: str, language: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


@pytest.mark.parametrize(
    ("role", "coordination", "members"),
    [("coordinator", True, True), ("staff", False, True), ("anonymous", False, False)],
)
def test_each_role_has_its_menus_whoever_came_first(world, login, role, coordination, members):
    # Every role reads a page first, so that the menus are kept before the one asserted.
    for other in ("coordinator", "staff", "anonymous"):
        _labels(login(world.user(other)))
    labels = _labels(login(world.user(role)))
    assert (COORDINATION in labels) is coordination
    assert (MEMBERS in labels) is members
    assert ("Sign in" in labels) is not members
    assert "Strategy" in labels


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_menus_are_in_the_pages_language_whichever_was_read_first(world, login, language):
    client = login(world.user("coordinator"))
    other = "ar" if language == "en" else "en"
    _labels(client, other)
    labels = _labels(client, language)
    for text in ("Strategy", "My tasks", COORDINATION, MEMBERS):
        assert _translated(text, language) in labels
    assert _translated(COORDINATION, other) not in labels


def test_each_reader_has_their_own_account_menu(world, login):
    _labels(login(world.user("focal")))
    page = login(world.user("staff")).get(_privacy()).content.decode()
    header = page[page.index("<header") : page.index("</header>")]
    assert "sam@example.org" in header
    assert "alice@example.org" not in header


def test_the_footers_links_are_in_the_pages_language(world, client):
    client.get(_privacy("en"))
    page = client.get(_privacy("ar")).content.decode()
    footer = page[page.index("<footer") :]
    assert _translated("Health domains", "ar") in footer
    assert "Health domains" not in footer
    assert 'href="/ar/privacy/"' in footer
