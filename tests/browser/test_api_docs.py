"""The API documentation in Chromium: Swagger UI, served from the portal's static files,
draws every endpoint of the schema under the portal's CSP (the ``page`` fixture fails on any
violation), loads nothing from another host, and the page has no accessibility violation."""

import pytest

from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ENDPOINTS = [
    "/api/v1/organisations/",
    "/api/v1/organisations/{public_id}/",
    "/api/v1/areas/",
    "/api/v1/strategy/",
    "/api/v1/meetings/",
    "/api/v1/bulletins/",
    "/api/v1/assessments/",
    "/api/v1/figures/",
    "/api/v1/hdx/",
    "/api/v1/hdx/presence/",
    # The token's scope, documented to everyone.
    "/api/v1/reports/",
    "/api/v1/reports/{id}/",
    "/api/v1/rows/",
    "/api/v1/rows/export/",
    "/api/v1/facilities/",
    "/api/v1/projects/",
    "/api/v1/incidents/",
    "/api/v1/incidents/counts/",
]


def test_the_reference_draws_every_endpoint_under_the_csp(page, live_site):
    hosts = set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    page.goto("/api/v1/docs/")
    page.locator(".opblock-summary-path").first.wait_for()
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert sorted(path.replace("\u200b", "").strip() for path in paths) == sorted(ENDPOINTS)
    assert hosts == {live_site.url.split("/")[2]}


def test_the_documentation_page_has_no_accessibility_violations(axe_page):
    axe_page.goto("/api/v1/docs/")
    axe_page.locator(".opblock-summary-path").first.wait_for()
    # Swagger UI's own widget is checked only for what it draws in the page's flow.
    assert_accessible(axe_page, "API documentation")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_documentation_fits_a_phone_in_both_languages(page, live_site, language):
    # Outside /en/ and /ar/, the page speaks the language of Django's cookie, else the
    # browser's (this context's is en-GB).
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_site.url}])
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto("/api/v1/docs/")
    page.locator(".opblock-summary-path").first.wait_for()
    assert page.evaluate("document.documentElement.dir") == ("rtl" if language == "ar" else "ltr")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
