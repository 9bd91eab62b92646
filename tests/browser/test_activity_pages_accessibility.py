"""axe-core on the 4W pages partners and coordinators work with, in English and Arabic."""

import pytest

from activities.models import ReportStatus
from tests.activities.factories import ReportRowFactory
from tests.activities.test_reports_helpers import make_setup
from tests.browser.axe import assert_accessible
from tests.browser_fixtures import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setup(world):
    setup = make_setup(world)
    for area in (setup.district, setup.other_district, setup.district):
        ReportRowFactory(report=setup.report, activity=setup.activity, area=area)
    setup.report.status = ReportStatus.SUBMITTED
    setup.report.save()
    return setup


PAGES = {
    "focal": [
        "/{lang}/activities/reports/{report}/",
        "/{lang}/activities/history/",
        "/{lang}/activities/reports/",
        "/{lang}/activities/exports/",
    ],
    "coordinator": [
        "/{lang}/activities/reports/{report}/",
        "/{lang}/activities/periods/",
        "/{lang}/activities/periods/{period}/",
        "/{lang}/activities/completeness/",
    ],
    "anonymous": ["/{lang}/activities/catalogue/", "/{lang}/activities/exports/"],
}
CASES = [
    (role, path, lang) for role, paths in PAGES.items() for path in paths for lang in ("en", "ar")
]


@pytest.mark.parametrize(("role", "path", "lang"), CASES, ids=str)
def test_the_page_has_no_accessibility_violations(axe_page, setup, role, path, lang):
    user = setup.world.user(role)
    if user is not None:
        log_in(axe_page, user.email)
    url = path.format(lang=lang, report=setup.report.pk, period=setup.open_period.pk)
    response = axe_page.goto(url)
    assert response.status == 200, url
    assert_accessible(axe_page, f"{url} as {role}")


def test_the_report_entry_form_has_no_accessibility_violations(axe_page, world):
    setup = make_setup(world)
    log_in(axe_page, world.user("focal").email)
    url = f"/en/activities/reports/{setup.report.pk}/edit/"
    assert axe_page.goto(url).status == 200
    assert_accessible(axe_page, url)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_long_report_is_edited_a_page_at_a_time(axe_page, world, lang):
    """Page 1 of a 30-row report: its rows, the pages' buttons, no axe violation; going to the
    second page saves the first."""
    setup = make_setup(world)
    rows = [
        ReportRowFactory(
            report=setup.report, activity=setup.total_only, area=setup.district, order=number
        )
        for number in range(1, 31)
    ]
    log_in(axe_page, world.user("focal").email)
    url = f"/{lang}/activities/reports/{setup.report.pk}/edit/"
    assert axe_page.goto(url).status == 200
    assert axe_page.locator("[data-report-row]").count() == 25
    assert_accessible(axe_page, f"{url}, page 1 of 2")
    axe_page.locator("#id_form-0-donor").fill("Pooled fund")
    axe_page.locator("nav[aria-labelledby=row-pages-title] button").click()
    axe_page.wait_for_url(f"**{url}?page=2")
    assert axe_page.locator("[data-report-row]").count() == 5 + 3  # its rows and blank ones
    assert axe_page.locator("#id_form-0-id").input_value() == str(rows[25].pk)
    assert_accessible(axe_page, f"{url}, page 2 of 2")
    rows[0].refresh_from_db()
    assert rows[0].donor == "Pooled fund"
