"""The strategy in Chromium: a coordinator edits an objective and an indicator target in the
portal; a visitor reads them in English and in Arabic and cannot open the members' contacts.
"""

import re
from decimal import Decimal

import pytest

from strategy.models import (
    HealthDomain,
    Indicator,
    StrategicObjective,
    StrategicPriority,
    StrategyCycle,
)
from tests.browser.axe import assert_accessible
from tests.browser_fixtures import CspWatcher, log_in
from tests.factories import UserFactory
from tests.text import has_phrase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def strategy():
    # Transactional tests start from an empty database: the domains' data migration is gone.
    domain, _created = HealthDomain.objects.get_or_create(
        code="child-health", defaults={"name_en": "Child health", "name_ar": "صحة الطفل"}
    )
    cycle = StrategyCycle.objects.create(
        title_en="Health Cluster Strategy",
        title_ar="استراتيجية مجموعة الصحة",
        start_year=2026,
        end_year=2027,
        summary_en="Keep **essential** services running.",
        summary_ar="الحفاظ على الخدمات **الأساسية**.",
        is_current=True,
    )
    priority = StrategicPriority.objects.create(
        cycle=cycle, order=1, title_en="Protect children", title_ar="حماية الأطفال"
    )
    objective = StrategicObjective.objects.create(
        cycle=cycle,
        code="SO1",
        order=1,
        title_en="Children are vaccinated",
        title_ar="تطعيم الأطفال",
        priority=priority,
    )
    indicator = Indicator.objects.create(
        objective=objective,
        code="1.1",
        name_en="Children vaccinated against measles",
        name_ar="الأطفال الملقحون ضد الحصبة",
        baseline=Decimal(1000),
        target=Decimal(5000),
    )
    indicator.domains.add(domain)
    return objective


def test_a_coordinator_edits_the_strategy_and_a_visitor_reads_it_in_both_languages(
    browser, live_server, strategy, axe_page
):
    UserFactory(email="cora@example.org", full_name="Cora Coordinator", is_coordinator=True)
    watcher = CspWatcher()
    coordinator = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    coordinator.on("console", watcher)
    log_in(coordinator, "cora@example.org")

    # Cora raises the indicator's target.
    coordinator.goto("/en/strategy/manage/")
    coordinator.get_by_role("link", name="Health Cluster Strategy").click()
    coordinator.get_by_role("link", name="Edit indicator 1.1").click()
    coordinator.get_by_label("Target").fill("100")
    coordinator.get_by_role("button", name="Save").click()
    # Below the baseline for an indicator that should increase: refused, and told why.
    assert coordinator.get_by_text("Nothing was saved").is_visible()
    assert coordinator.get_by_text(
        "The target must be above the baseline when the indicator should increase."
    ).first.is_visible()
    coordinator.get_by_label("Target").fill("8000")
    coordinator.get_by_role("button", name="Save").click()
    coordinator.wait_for_url(re.compile(r"/en/strategy/manage/cycles/\d+/$"))
    assert coordinator.get_by_text("The indicator is saved.").is_visible()

    # Cora renames the objective in English and in Arabic, side by side.
    coordinator.get_by_role("link", name="Edit objective SO1").click()
    arabic = coordinator.locator("#id_title_ar")
    assert arabic.get_attribute("dir") == "rtl"
    assert arabic.get_attribute("lang") == "ar"
    coordinator.fill("#id_title_en", "Every child is vaccinated on time")
    arabic.fill("يُطعَّم كل طفل في موعده")
    coordinator.get_by_role("button", name="Save").click()
    coordinator.wait_for_url(re.compile(r"/en/strategy/manage/cycles/\d+/$"))
    coordinator.context.close()

    # A visitor reads the English strategy, then the Arabic one, right to left.
    visitor = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    visitor.on("console", watcher)
    visitor.goto("/en/strategy/")
    objective = visitor.get_by_role("heading", name=re.compile("SO1"))
    assert "Every child is vaccinated on time" in objective.inner_text()
    row = visitor.get_by_role("row", name=re.compile("1.1"))
    assert has_phrase(row.inner_text(), "8,000")
    visitor.goto("/ar/strategy/")
    assert visitor.locator("html").get_attribute("dir") == "rtl"
    assert (
        "يُطعَّم كل طفل في موعده"
        in visitor.get_by_role("heading", name=re.compile("SO1")).inner_text()
    )
    assert visitor.evaluate("getComputedStyle(document.querySelector('main')).direction") == "rtl"

    # The members' contact list is not for visitors: they are asked to log in.
    visitor.goto("/en/partners/contacts/")
    assert "/en/accounts/login/" in visitor.url
    assert "cora@example.org" not in visitor.content()
    visitor.context.close()
    assert not watcher.violations, "The CSP blocked:\n" + "\n".join(watcher.violations)

    # The public pages and an editing page meet WCAG 2.2 AA, in both languages.
    for url in ("/en/strategy/", "/ar/strategy/"):
        axe_page.goto(url)
        assert_accessible(axe_page, url)
    log_in(axe_page, "cora@example.org")
    axe_page.goto(f"/en/strategy/manage/objectives/{strategy.pk}/edit/")
    assert_accessible(axe_page, "the objective's edit page")
    axe_page.goto(f"/ar/strategy/manage/indicators/{strategy.indicators.get().pk}/edit/")
    assert_accessible(axe_page, "the Arabic indicator edit page")
