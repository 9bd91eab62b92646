"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

Loaded for the whole suite from tests/conftest.py, so that every browser test (journeys in
tests/browser/, widgets in an app's folder) shares one Chromium. Playwright's sync API runs an
event loop in the test's thread, which makes Django refuse ORM calls there; the tests only
prepare data through the ORM while no page is loading, so the guard is lifted once a browser
starts.
"""

import os
from pathlib import Path

import pytest

from tests.clock_shim import real_clock_environment

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (make apt-test).")
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=real_clock_environment()
        )
        yield chromium
        chromium.close()


class CspWatcher:
    """Collects the console's reports of anything the Content-Security-Policy blocked."""

    def __init__(self) -> None:
        self.violations: list[str] = []

    def __call__(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.violations.append(message.text)


@pytest.fixture
def live_site(live_server, settings):
    """The live server, with the emails' links on it: ``SITE_URL`` is where readers go."""
    settings.SITE_URL = live_server.url
    return live_server


@pytest.fixture
def page(browser, live_site):
    """A page in a fresh context that enforces the portal's CSP, as a visitor's browser does."""
    context = browser.new_context(base_url=live_site.url, locale="en-GB")
    page = context.new_page()
    watcher = CspWatcher()
    page.on("console", watcher)
    yield page
    context.close()
    assert not watcher.violations, "The CSP blocked:\n" + "\n".join(watcher.violations)


@pytest.fixture
def axe_page(browser, live_site):
    """A page whose context bypasses the CSP, only so that axe-core can be injected into it.

    The portal's policy rightly refuses a script the page did not ask for; the CSP itself is
    checked by the ``page`` fixture and by tests/platform/test_security_headers.py.
    """
    context = browser.new_context(base_url=live_site.url, bypass_csp=True, locale="en-GB")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def open_context(browser, live_site):
    """Open a fresh browser profile per person in a journey, each enforcing the CSP
    unless ``bypass_csp`` is asked for, only so that axe-core can be injected."""
    contexts = []
    watcher = CspWatcher()

    def _open(*, bypass_csp: bool = False):
        context = browser.new_context(base_url=live_site.url, locale="en-GB", bypass_csp=bypass_csp)
        contexts.append(context)
        page = context.new_page()
        if not bypass_csp:
            page.on("console", watcher)
        return page

    yield _open
    for context in contexts:
        context.close()
    assert not watcher.violations, "The CSP blocked:\n" + "\n".join(watcher.violations)


def log_in(page, email: str, password: str | None = None) -> None:
    """Sign in through the login form, as a person would, and wait for the landing page."""
    from tests.factories import PASSWORD

    page.goto("/en/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", password or PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    assert "/accounts/login/" not in page.url, f"{email} could not sign in"
