"""The subscription journey in a real browser, in Arabic: every page passes axe-core
(WCAG 2.2 AA) and the portal's CSP."""

import pytest

from subscribers.models import Subscriber
from tests.browser.axe import assert_accessible
from tests.subscribers.conftest import link_to, path_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_subscribe_confirm_and_unsubscribe_in_arabic_are_accessible(axe_page, mailoutbox):
    page = axe_page
    page.goto("/ar/subscribe/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert_accessible(page, "subscribe")

    page.fill("#id_email", "not-an-address")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".alert-danger").is_visible()
    assert_accessible(page, "subscribe with errors")
    assert not Subscriber.objects.exists()

    page.fill("#id_email", "reader@example.net")
    page.check("input[name=language][value=ar]")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/ar/subscribe/requested/")
    assert_accessible(page, "requested")

    (message,) = mailoutbox
    page.goto(path_of(link_to(message, "/confirm/")))
    assert_accessible(page, "confirm")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("h1").count() == 1
    assert_accessible(page, "confirmed")
    assert Subscriber.objects.get().is_confirmed

    page.goto(path_of(link_to(message, "/unsubscribe/")))
    assert_accessible(page, "unsubscribe")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert_accessible(page, "unsubscribed")
    assert not Subscriber.objects.exists()

    response = page.goto("/ar/subscribe/unsubscribe/forged/")
    assert response.status == 400
    assert_accessible(page, "invalid link")


def test_the_subscribe_page_runs_under_the_csp(page):
    """The ``page`` fixture fails the test on anything the CSP blocked."""
    response = page.goto("/en/subscribe/")
    assert response.status == 200
    assert page.get_by_label("Your email address").is_visible()
