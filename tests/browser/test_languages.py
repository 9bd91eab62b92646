"""Arabic reads right to left, and the language switch keeps the visitor on the same page."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_arabic_home_page_is_laid_out_right_to_left(page):
    page.goto("/ar/")
    html = page.locator("html")
    assert html.get_attribute("lang") == "ar"
    assert html.get_attribute("dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert page.evaluate("getComputedStyle(document.querySelector('main')).direction") == "rtl"


def test_the_english_home_page_is_laid_out_left_to_right(page):
    page.goto("/en/")
    assert page.evaluate("getComputedStyle(document.body).direction") == "ltr"


def test_the_language_switch_returns_from_arabic_to_the_same_page_in_english(page, live_server):
    page.goto("/ar/")
    page.locator("nav a[hreflang='en']").click()
    page.wait_for_url(f"{live_server.url}/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("html").get_attribute("dir") == "ltr"


def test_the_language_switch_keeps_a_deeper_page_and_its_query(page, live_server):
    page.goto("/en/accounts/login/?next=/en/tasks/")
    page.locator("nav a[hreflang='ar']").click()
    page.wait_for_url(f"{live_server.url}/ar/accounts/login/?next=/en/tasks/")
    assert page.locator("html").get_attribute("dir") == "rtl"
