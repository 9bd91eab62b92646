"""Keyboard users: the first Tab reaches the skip link, which takes them to the content."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("path", ["/en/", "/ar/", "/en/accounts/login/"])
def test_the_first_tab_reaches_the_skip_link_and_it_moves_focus_to_main(page, path):
    page.goto(path)
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "({href: document.activeElement.getAttribute('href'),"
        " visible: document.activeElement.getBoundingClientRect().width > 0})"
    )
    assert focused == {"href": "#main", "visible": True}

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_the_login_form_can_be_filled_and_sent_from_the_keyboard(page):
    page.goto("/en/accounts/login/")
    page.locator("#id_login").focus()
    page.keyboard.type("nobody@example.org")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_password"
    page.keyboard.type("not-the-password")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    error = page.locator("main .alert-danger[role=alert]")
    assert error.is_visible()
    assert "not correct" in error.inner_text()
