"""The registry in a browser: no WCAG 2.2 AA violation, and the filters work without JavaScript."""

import datetime

import pytest

from locations.models import AdminLevel
from tests.assessments.factories import AssessmentFactory, FindingFactory, HealthDomainFactory
from tests.browser.axe import assert_accessible
from tests.factories import AdminAreaFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def registry(world):
    district = AdminAreaFactory(
        pcode="ZZ0101", level=AdminLevel.ADMIN2, parent=world.area, name_en="Riverside"
    )
    domains = [HealthDomainFactory(code=f"browser-{n}", name_en=f"Domain {n}") for n in range(5)]
    flood = AssessmentFactory(
        title_en="Flood needs",
        title_ar="",
        lead_organisation=world.org_a,
        participating_organisations=[OrganisationFactory(name_en="Gamma Care")],
        areas=[world.area, district],
        key_findings_en="Clinics are cut off.",
    )
    for severity, domain in enumerate(domains, start=1):
        FindingFactory(
            assessment=flood, area=district, domain=domain, severity=severity, people_in_need=100
        )
    AssessmentFactory(
        title_en="Older survey",
        lead_organisation=world.org_b,
        type="mira",
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2024, 1, 9),
    )
    return flood


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_registry_pages_have_no_accessibility_violations(axe_page, registry, language):
    response = axe_page.goto(f"/{language}/assessments/")
    assert response.status == 200
    assert_accessible(axe_page, f"registry ({language})")
    response = axe_page.goto(f"/{language}/assessments/{registry.pk}/")
    assert response.status == 200
    assert_accessible(axe_page, f"assessment page ({language})")


def test_a_visitor_filters_the_registry_without_javascript(browser, live_server, registry):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/en/assessments/")
        assert page.get_by_role("link", name="Older survey").is_visible()
        page.get_by_label("Type of assessment").select_option("rapid")
        page.get_by_label("Minimum severity").select_option("5")
        page.get_by_role("button", name="Show assessments").click()
        page.wait_for_load_state()
        assert "type=rapid" in page.url
        assert page.get_by_role("link", name="Flood needs").is_visible()
        assert page.get_by_role("link", name="Older survey").count() == 0
        page.get_by_role("link", name="Flood needs").click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", level=1, name="Flood needs").is_visible()
        # Once in the summary by area, once in the findings table.
        assert page.get_by_role("cell", name="5 \N{EN DASH} Catastrophic").count() == 2
        assert page.get_by_role("table", name="Severity of needs").count() == 1
    finally:
        context.close()
