import logging

import pytest
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from core import markdown
from core.errors import UnreadableInput
from pages import selectors as pages_selectors

pytestmark = pytest.mark.django_db


def test_a_missing_page_says_so_in_the_portals_layout(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b'id="main"' in response.content


def test_a_missing_page_in_arabic_is_right_to_left(client):
    response = client.get("/ar/no-such-page/")
    assert response.status_code == 404
    assert b'dir="rtl"' in response.content


def test_the_favicon_is_the_portals_own(client):
    response = client.get("/en/")
    assert b'rel="icon" href="/static/img/favicon.svg"' in response.content


# The 500 page ------------------------------------------------------------------------------


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def request_log():
    records = Records()
    logger = logging.getLogger("django.request")
    logger.addHandler(records)
    yield records.records
    logger.removeHandler(records)


@pytest.fixture
def unreadable_markdown(monkeypatch):
    """The Markdown parser fails on any text, as a parser bug would on one text."""

    def fail(text, env=None):
        raise IndexError("a bug of the parser")

    monkeypatch.setattr(markdown._PARSER, "parse", fail)


def _page_form() -> dict:
    return {
        "title_en": "Joining the cluster",
        "title_ar": "",
        "slug": "joining",
        "summary_en": "",
        "summary_ar": "",
        "body_en": "**Welcome**",
        "body_ar": "",
        "order": 1,
    }


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_text_that_cannot_be_read_is_a_500_that_says_so_in_the_senders_language(
    client, world, language, unreadable_markdown, request_log
):
    client.force_login(world.user("coordinator"))
    client.raise_request_exception = False

    response = client.post(f"/{language}/pages/manage/new/", _page_form())

    assert response.status_code == 500
    html = response.content.decode()
    with translation.override(language):
        said = gettext("Something in the file or text you sent could not be read: %(what)s.")
        expected = said % {"what": gettext("the Markdown text")}
    assert escape(expected) in html
    assert f'<html lang="{language}" dir="{"rtl" if language == "ar" else "ltr"}">' in html
    assert "try again in a few minutes" not in html
    (record,) = request_log
    assert record.levelno == logging.ERROR
    error = record.exc_info[1]
    assert isinstance(error, UnreadableInput)
    assert isinstance(error.__cause__, IndexError), "logged with the parser's own error"


def test_an_error_that_is_not_the_inputs_keeps_the_general_500_page(client, monkeypatch):
    def fail():
        raise RuntimeError("a bug of the portal")

    monkeypatch.setattr(pages_selectors, "published_pages", fail)
    client.raise_request_exception = False

    response = client.get("/ar/pages/")

    assert response.status_code == 500
    assert b"Please try again in a few minutes" in response.content
    assert b"could not be read" not in response.content
