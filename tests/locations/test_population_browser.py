"""The population upload in Chromium, as a coordinator uses it: a dry run, the load, a file
with problems, and the areas list with its population column; in English and in Arabic,
under the portal's CSP and with no WCAG 2.2 AA violation."""

import pytest

from locations.models import AdminLevel, AreaPopulation
from tests.browser.axe import assert_accessible
from tests.browser_fixtures import log_in
from tests.factories import AdminAreaFactory, CountryFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GOOD = (
    "ADM1_PCODE,ADM2_PCODE,T_TL,F_TL,M_TL,F_00_04,F_05_09,F_10_14,F_15_19,"
    "M_00_04,M_05_09,M_10_14,M_15_19\n"
    "ZZ01,,10000,5100,4900,600,550,500,450,620,560,490,470\n"
    "ZZ01,ZZ0101,6000,3050,2950,400,300,300,250,400,300,300,250\n"
)
BAD = "ADM1_PCODE,T_TL,F_TL,M_TL\nZZ01,many,,\nZZ09,100,,\n"


@pytest.fixture
def coordinator(db):
    country = CountryFactory()
    north = AdminAreaFactory(pcode="ZZ01", name_en="North", name_ar="الشمال", parent=country)
    AdminAreaFactory(pcode="ZZ0101", name_en="Hills", parent=north, level=AdminLevel.ADMIN2)
    return UserFactory(email="cora@example.org", is_coordinator=True)


def _upload(page, lang: str, content: str, *, dry_run: bool = False) -> None:
    page.goto(f"/{lang}/areas/population/upload/")
    file = {"name": "population.csv", "mimeType": "text/csv", "buffer": content.encode()}
    page.set_input_files("#id_file", file)
    page.fill("#id_year", "2025")
    page.fill("#id_source", "OCHA COD-PS 2025")
    if dry_run:
        page.check("#id_dry_run")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def test_a_coordinator_checks_then_loads_a_table_and_sees_it_on_the_areas_list(page, coordinator):
    log_in(page, coordinator.email)

    _upload(page, "en", GOOD, dry_run=True)
    assert "The file is correct. Nothing was loaded yet." in page.inner_text("main")
    assert "The age band F_15_19 holds both children and adults" in page.inner_text("main")
    assert not AreaPopulation.objects.exists()

    _upload(page, "en", GOOD)
    assert "The population figures were loaded." in page.inner_text("main")
    assert AreaPopulation.objects.count() == 2

    page.goto("/en/areas/")
    row = page.locator("tr", has_text="ZZ01")
    assert "10,000 (2025)" in row.inner_text()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_upload_page_with_a_report_or_problems_is_accessible(axe_page, coordinator, lang):
    log_in(axe_page, coordinator.email)

    _upload(axe_page, lang, GOOD)
    assert axe_page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert_accessible(axe_page, f"population report ({lang})")

    _upload(axe_page, lang, BAD)
    assert axe_page.locator("#problems-heading").is_visible()
    assert_accessible(axe_page, f"population problems ({lang})")

    axe_page.goto(f"/{lang}/areas/")
    assert "(2025)" in axe_page.locator("tr", has_text="ZZ01").inner_text()
    assert_accessible(axe_page, f"areas with population ({lang})")
