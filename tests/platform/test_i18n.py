"""English and Arabic: language prefixes, the switch between them, direction and number formats."""

import datetime
import re

import pytest
from django.template import engines
from django.utils import timezone, translation

pytestmark = pytest.mark.django_db


def switch_link(html: str, language: str) -> str:
    """The href of the navbar's link to the other language."""
    match = re.search(rf'<a class="nav-link" href="([^"]*)" lang="{language}"', html)
    assert match, f"no link to {language} in the navbar"
    return match.group(1).replace("&amp;", "&")


@pytest.mark.parametrize(
    ("accept_language", "location"),
    [("ar", "/ar/"), ("ar-PS,ar;q=0.9,en;q=0.5", "/ar/"), ("en-GB,en;q=0.8", "/en/")],
)
def test_the_root_redirects_to_the_browsers_language(client, accept_language, location):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 302
    assert response["Location"] == location


def test_the_root_falls_back_to_english_for_a_language_the_portal_lacks(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response["Location"] == "/en/"


def test_the_language_switch_keeps_the_page_and_its_query_string(client):
    html = client.get("/en/accounts/login/?next=/en/tasks/&x=1").content.decode()
    assert switch_link(html, "ar") == "/ar/accounts/login/?next=/en/tasks/&x=1"

    html = client.get("/ar/accounts/login/?next=/en/tasks/&x=1").content.decode()
    assert switch_link(html, "en") == "/en/accounts/login/?next=/en/tasks/&x=1"


def test_the_language_switch_on_the_home_page_goes_to_the_other_home_page(client):
    assert switch_link(client.get("/en/").content.decode(), "ar") == "/ar/"
    assert switch_link(client.get("/ar/").content.decode(), "en") == "/en/"


def language_links(html: str, language: str) -> set[str]:
    """The hrefs of every link to the other language: the head's alternate, navbar, footer."""
    tags = re.findall(rf'<(?:a|link)\b[^>]*\bhreflang="{language}"[^>]*>', html)
    assert len(tags) == 3, tags
    return {re.search(r'href="([^"]*)"', tag).group(1).replace("&amp;", "&") for tag in tags}


@pytest.mark.parametrize(
    ("path", "accept_language", "link"),
    [
        ("//evil.example/login", "en", "/ar/"),
        ("//evil.example/login", "ar", "/en/"),
        # translate_url() kept the host of a path whose own path part resolved.
        ("//evil.example/en/", "en", "/ar/"),
        ("/en/no-such-page/", "en", "/ar/"),
        ("/ar/no-such-page/?next=//evil.example", "ar", "/en/"),
    ],
)
def test_the_404_page_links_to_the_other_languages_home_page_not_to_its_path(
    client, settings, path, accept_language, link
):
    settings.DEBUG = False
    # The test client would read //evil.example as a host: the server gets it as the path.
    raw_path, _, query = path.partition("?")
    response = client.get(
        "/", PATH_INFO=raw_path, QUERY_STRING=query, HTTP_ACCEPT_LANGUAGE=accept_language
    )

    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>" in html  # the portal's own 404 page, in the request's language
    assert language_links(html, link.strip("/")) == {link}
    assert "evil.example" not in html


def test_the_switch_keeps_a_page_with_arguments_and_its_query_string(client, settings, world):
    settings.DEBUG = False
    page = f"/en/partners/{world.org_a.pk}/"

    html = client.get(page + "?tab=reports&q=north+clinic").content.decode()

    assert language_links(html, "ar") == {
        f"/ar/partners/{world.org_a.pk}/?tab=reports&q=north%20clinic"
    }


def test_the_query_string_comes_back_encoded_and_cannot_leave_the_page(client, settings):
    settings.DEBUG = False

    html = client.get('/en/partners/?q="><script>x</script>&next=//evil.example').content.decode()

    (link,) = language_links(html, "ar")
    assert link == "/ar/partners/?q=%22%3E%3Cscript%3Ex%3C/script%3E&next=//evil.example"
    assert "<script>x" not in html


def test_each_page_names_its_alternate_language_version(client):
    html = client.get("/en/accounts/signup/").content.decode()
    assert '<link rel="alternate" hreflang="ar" href="/ar/accounts/signup/">' in html


def test_the_arabic_page_is_right_to_left_with_the_rtl_bootstrap(client):
    html = client.get("/ar/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "bootstrap.rtl.min.css" in html
    assert "bootstrap.min.css" not in html


def test_the_english_page_is_left_to_right_with_the_ltr_bootstrap(client):
    html = client.get("/en/").content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "bootstrap.min.css" in html
    assert "bootstrap.rtl.min.css" not in html


def test_the_account_pages_follow_the_language_of_their_prefix(client):
    html = client.get("/ar/accounts/login/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html


NUMBERS = "{% load humanize %}{{ people|intcomma }}|{{ ratio }}"


def render_numbers(language: str) -> tuple[str, str]:
    template = engines["django"].from_string(NUMBERS)
    with translation.override(language):
        people, ratio = template.render({"people": 1234567, "ratio": 1234.5}).split("|")
    return people, ratio


def test_numbers_are_grouped_by_thousands_in_english():
    assert render_numbers("en") == ("1,234,567", "1,234.5")


def test_decimals_use_the_arabic_decimal_separator_in_arabic():
    _people, ratio = render_numbers("ar")
    assert ratio == "1\u066c234\u066b5"


def test_large_numbers_are_grouped_by_thousands_in_arabic():
    people, _ratio = render_numbers("ar")
    assert people == "1\u066c234\u066c567"


# One format per kind of date per language: day, month in words, year; a 24-hour clock.
MOMENT = datetime.datetime(2026, 12, 4, 23, 59, tzinfo=datetime.UTC)
DATES = "{{ day }}|{{ day|date:'SHORT_DATE_FORMAT' }}|{{ moment }}|{{ moment|time }}"


def render_dates(language: str) -> list[str]:
    template = engines["django"].from_string(DATES)
    moment = MOMENT
    with translation.override(language), timezone.override(datetime.UTC):
        return template.render({"day": moment.date(), "moment": moment}).split("|")


def test_dates_are_written_day_month_year_with_a_24_hour_clock_in_english():
    assert render_dates("en") == [
        "4 December 2026",
        "4 Dec 2026",
        "4 December 2026, 23:59",
        "23:59",
    ]


def test_dates_take_the_arabic_month_and_comma_in_arabic():
    day, short, moment, time = render_dates("ar")
    assert day == short == "4 ديسمبر 2026"
    assert moment == "4 ديسمبر 2026\u060c 23:59"
    assert time == "23:59"


def test_a_sentence_ending_with_a_time_ends_with_one_full_stop():
    template = engines["django"].from_string("It closes at {{ moment }}.")
    with translation.override("en"), timezone.override(datetime.UTC):
        text = template.render({"moment": MOMENT})
    assert text == "It closes at 4 December 2026, 23:59."
