"""Issue 21's Markdown over HTTP: 2 KB of nested list markers made a page, the public meetings
calendar and the bulletin preview raise RecursionError, and 20,000 "[" made a public page take
46 s. Texts stored before the limits now show; every editor refuses such a text with the limit
named; and a page's text is rendered once, not on every request.

How long rendering takes is kept out of the tests: tests/core/test_markdown_limits.py counts
the renderer's work instead."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import number_format
from django.utils.html import escape
from icalendar import Calendar

from bulletins.models import TEXT_FIELDS
from core import markdown
from core.markdown import MAX_DEPTH, MAX_LENGTH, TOO_DEEP, TOO_LONG
from pages.models import Page
from tests.bulletins.factories import EditionFactory
from tests.meetings.conftest import MeetingFactory
from tests.pages.conftest import PageFactory

pytestmark = pytest.mark.django_db

NESTED_LIST = "- " * 1000 + "a"
BRACKETS = "[" * 20_000
TOO_DEEP_EN = str(TOO_DEEP) % {"limit": MAX_DEPTH}


@pytest.fixture
def coordinator(world, login):
    return login(world.user("coordinator"))


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """The texts rendered afresh (the others come from the cache)."""
    rendered = []
    render = markdown.markdown_to_html

    def counting(text: str) -> str:
        rendered.append(text)
        return render(text)

    monkeypatch.setattr(markdown, "markdown_to_html", counting)
    return rendered


def _page_form(**changes) -> dict:
    values = {
        "title_en": "Nested",
        "title_ar": "متداخل",
        "slug": "nested",
        "summary_en": "",
        "summary_ar": "",
        "body_en": "Text",
        "body_ar": "",
        "order": 1,
        "is_published": "on",
    }
    values.update(changes)
    return values


def _meeting_form(**changes) -> dict:
    values = {
        "title_en": "Monthly coordination meeting",
        "title_ar": "",
        "kind": "general",
        "starts_at": "2031-03-04T10:00",
        "ends_at": "2031-03-04T12:00",
        "place_en": "Cluster office",
        "place_ar": "",
        "online_url": "",
        "agenda_en": "1. Situation",
        "agenda_ar": "",
    }
    values.update(changes)
    return values


def _edition_url(name: str, edition) -> str:
    return reverse(
        f"bulletins:edition_{name}",
        kwargs={"pk": edition.bulletin_id, "language": edition.language},
    )


# Texts saved before the limits -------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_page_of_nested_list_markers_shows_its_text(client, language):
    PageFactory(slug="nested", body_en=NESTED_LIST, body_ar=NESTED_LIST)

    response = client.get(f"/{language}/pages/nested/")

    assert response.status_code == 200
    assert "- - - - a" in response.content.decode()


def test_the_calendar_feed_with_a_nested_agenda_carries_it_as_text(client):
    MeetingFactory(agenda_en=NESTED_LIST)

    response = client.get("/en/meetings/calendar.ics")

    assert response.status_code == 200
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["description"]).endswith("- - a")


def test_the_preview_of_an_edition_with_a_nested_narrative_shows(coordinator):
    edition = EditionFactory(situation_overview=NESTED_LIST)

    response = coordinator.get(_edition_url("preview", edition))

    assert response.status_code == 200
    assert "- - - - a" in response.content.decode()


def test_a_public_page_of_twenty_thousand_brackets_is_rendered_once(client, renders):
    PageFactory(slug="brackets", body_en=BRACKETS)

    first = client.get("/en/pages/brackets/")
    second = client.get("/en/pages/brackets/")

    assert first.status_code == second.status_code == 200
    assert first.content.decode().count("[") >= 20_000
    assert renders.count(BRACKETS) == 1


# The editors refuse them -------------------------------------------------------------------


def test_the_page_editor_refuses_nested_list_markers_with_the_limit(coordinator):
    response = coordinator.post(reverse("pages:create"), _page_form(body_en=NESTED_LIST))

    assert response.status_code == 400
    assert escape(TOO_DEEP_EN) in response.content.decode()
    assert not Page.objects.exists()


def test_the_page_editor_takes_twenty_thousand_brackets_the_most_it_takes(coordinator, client):
    assert len(BRACKETS) == MAX_LENGTH

    response = coordinator.post(reverse("pages:create"), _page_form(body_en=BRACKETS))

    assert response.status_code == 302
    assert client.get("/en/pages/nested/").status_code == 200


def test_the_page_editor_refuses_a_text_too_long_in_arabic(coordinator):
    response = coordinator.post(
        reverse("pages:create").replace("/en/", "/ar/"), _page_form(body_ar="ن" * (MAX_LENGTH + 1))
    )

    assert response.status_code == 400
    with translation.override("ar"):
        length = number_format(MAX_LENGTH + 1, force_grouping=True)
        limit = number_format(MAX_LENGTH, force_grouping=True)
        expected = str(TOO_LONG) % {"length": length, "limit": limit}
    assert length != f"{MAX_LENGTH + 1:,}", "grouped as in Arabic"
    assert escape(expected) in response.content.decode()


def test_the_meeting_form_refuses_a_nested_agenda_with_the_limit(coordinator):
    response = coordinator.post(reverse("meetings:create"), _meeting_form(agenda_en=NESTED_LIST))

    assert response.status_code == 400
    assert escape(TOO_DEEP_EN) in response.content.decode()


def test_the_edition_editor_and_its_autosave_refuse_a_nested_narrative(coordinator):
    edition = EditionFactory()
    values = {name: getattr(edition, name) for name in TEXT_FIELDS}
    values["situation_overview"] = NESTED_LIST

    saved = coordinator.post(_edition_url("edit", edition), values)
    autosaved = coordinator.post(_edition_url("autosave", edition), values)

    assert saved.status_code == 400
    assert escape(TOO_DEEP_EN) in saved.content.decode()
    assert autosaved.status_code == 400
    assert autosaved.json()["errors"] == {"situation_overview": [TOO_DEEP_EN]}
    edition.refresh_from_db()
    assert edition.situation_overview != NESTED_LIST
