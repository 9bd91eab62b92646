"""axe-core finds no WCAG 2.2 AA violation on the public pages and the account pages."""

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC

from tests.browser.axe import assert_accessible
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OPEN_PAGES = [
    "/en/",
    "/ar/",
    "/en/accounts/login/",
    "/ar/accounts/login/",
    "/en/accounts/signup/",
    "/ar/accounts/signup/",
    "/en/accounts/password/reset/",
    "/en/accounts/password/reset/done/",
    "/en/accounts/password/reset/key/0-not-a-key/",
    "/en/accounts/confirm-email/",
    "/en/accounts/confirm-email/unknown-key/",
    "/en/accounts/inactive/",
]


@pytest.mark.parametrize("path", OPEN_PAGES)
def test_an_open_page_has_no_accessibility_violations(axe_page, path):
    response = axe_page.goto(path)
    assert response.status == 200
    assert_accessible(axe_page)


def test_the_signup_form_with_errors_has_no_accessibility_violations(axe_page):
    axe_page.goto("/en/accounts/signup/")
    axe_page.fill("#id_email", "not-an-address")
    axe_page.fill("#id_password1", "short")
    axe_page.fill("#id_password2", "different")
    # The browser's own validation would stop an invalid address; the server's errors are the
    # ones to check.
    axe_page.evaluate("document.querySelector('main form').noValidate = true")
    axe_page.locator("main form button[type=submit]").click()
    axe_page.wait_for_load_state()
    email = axe_page.locator("#id_email")
    assert email.get_attribute("aria-invalid") == "true"
    assert "id_email_error" in email.get_attribute("aria-describedby")
    assert axe_page.locator("#id_email_error").is_visible()
    assert_accessible(axe_page, "signup with errors")


def test_the_email_confirmation_page_has_no_accessibility_violations(axe_page):
    user = UserFactory(email="new@example.org", verified=False)
    address = EmailAddress.objects.get(user=user)
    key = EmailConfirmationHMAC(address).key
    axe_page.goto(f"/en/accounts/confirm-email/{key}/")
    assert axe_page.locator("main form button[type=submit]").is_visible()
    assert_accessible(axe_page, "email confirmation")


@pytest.mark.parametrize(
    "path",
    ["/en/accounts/email/", "/en/accounts/password/change/", "/en/accounts/logout/"],
)
def test_a_members_account_page_has_no_accessibility_violations(axe_page, path):
    UserFactory(email="sam@example.org")
    axe_page.goto("/en/accounts/login/")
    axe_page.fill("#id_login", "sam@example.org")
    axe_page.fill("#id_password", PASSWORD)
    with axe_page.expect_navigation():
        axe_page.locator("main form button[type=submit]").click()
    assert "/accounts/login/" not in axe_page.url
    axe_page.goto(path)
    assert_accessible(axe_page)
