"""Issue 25's "done when", as its people would try it in a browser: a partner reports that a
hospital it supports is partially functioning for lack of utilities (fuel), a coordinator
validates it, and the public dashboard, the home page and the next bulletin show the new
share; an attack a partner reports and a coordinator verifies appears in the public monthly
counts without its description."""

import datetime
import re

import pytest

from facilities.defaults import load_lists
from facilities.models import (
    AttackType,
    Facility,
    FacilityStatus,
    FacilitySupport,
    FacilityType,
    ReviewState,
)
from partners.models import MemberRole
from tests.browser_fixtures import log_in
from tests.factories import (
    AdminAreaFactory,
    CountryFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESCRIPTION = "Armed men searched the wards and took the generator's fuel."


TODAY = datetime.date(2026, 6, 15)


@pytest.fixture
def world(time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 15, 10, 0, tzinfo=datetime.UTC), tick=True)
    load_lists(AttackType, FacilityType)
    country = CountryFactory()
    north = AdminAreaFactory(pcode="VV1", name_en="North", parent=country)
    partner = OrganisationFactory(name_en="Alpha Health", acronym="ALPHA")
    focal = MembershipFactory(
        organisation=partner, role=MemberRole.FOCAL_POINT, user__email="focal@example.org"
    ).user
    coordinator = UserFactory(email="coordinator@example.org", is_coordinator=True)
    hospital = FacilityType.objects.get(code="hospital")
    month_ago = TODAY - datetime.timedelta(days=30)
    for code in ("NH-1", "NH-2"):
        facility = Facility.objects.create(
            code=code,
            name_en=f"North Hospital {code[-1]}",
            type=hospital,
            ownership="public",
            area=north,
        )
        FacilitySupport.objects.create(
            facility=facility, organisation=partner, kind="staff", start=month_ago
        )
        FacilityStatus.objects.create(
            facility=facility,
            as_of=month_ago,
            functionality="fully",
            building="intact",
            accessibility="fully",
            causes=[],
            source="HeRAMS",
            state=ReviewState.VALIDATED,
        )
    return {"focal": focal, "coordinator": coordinator}


def hospitals_line(page) -> str:
    page.goto("/en/")
    return page.locator("#figure-hospitals").locator("xpath=..").inner_text()


def test_a_partner_s_status_and_attack_reach_the_public_once_a_coordinator_confirms(page, world):
    assert "2 fully and 0 partially" in hospitals_line(page)

    log_in(page, world["focal"].email)
    page.goto("/en/facilities/statuses/new/")
    option = page.locator("select[name=facility] option", has_text="North Hospital 1")
    page.select_option("select[name=facility]", option.get_attribute("value"))
    page.check("input[name=functionality][value=partially]")
    page.check("input[name=causes][value=utilities]")
    page.check("input[name=building][value=intact]")
    page.check("input[name=accessibility][value=fully]")
    page.fill("input[name=source]", "Our field team, fuel ran out")
    with page.expect_navigation():
        page.get_by_role("button", name="Record the status").click()
    page.context.clear_cookies()
    assert "2 fully and 0 partially" in hospitals_line(page)  # not validated yet

    log_in(page, world["coordinator"].email)
    page.goto("/en/facilities/statuses/review/")
    with page.expect_navigation():
        page.get_by_role("link", name="Validate").click()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    page.context.clear_cookies()

    assert "1 fully and 1 partially" in hospitals_line(page)
    page.goto("/en/dashboard/facilities/")
    assert re.search(r"Hospitals functioning", page.locator("main").inner_text())
    types = page.locator("#facility-types-table tbody tr").first.inner_text().split()
    assert types[1:5] == ["1", "1", "0", "0"]  # fully, partially, not, no recent data

    log_in(page, world["focal"].email)
    page.goto("/en/attacks/new/")
    page.fill("input[name=date]", TODAY.isoformat())
    page.fill("input[name=facility]", "NH-1")
    page.locator("input[name=attack_types]").nth(9).check()  # armed or violent search
    page.check("input[name=resources][value=supplies]")
    page.select_option("select[name=certainty]", "confirmed")
    page.fill("input[name=source]", "Alpha Health's hospital director")
    page.fill("textarea[name=description]", DESCRIPTION)
    with page.expect_navigation():
        page.get_by_role("button", name="Report the attack").click()
    assert "/attacks/new/" not in page.url, page.locator("main").inner_text()[:500]
    page.context.clear_cookies()
    log_in(page, world["coordinator"].email)
    page.goto("/en/attacks/verify/")
    with page.expect_navigation():
        page.locator("main table tbody a").first.click()
    assert DESCRIPTION in page.content()  # the coordinator reads what happened
    with page.expect_navigation():
        page.get_by_role("link", name="Verify").click()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    page.context.clear_cookies()

    page.goto("/en/dashboard/attacks/")
    assert page.locator("#figure-attacks").inner_text() == "1"
    row = page.locator("#attack-months-table tbody tr", has_text="June 2026").inner_text().split()
    assert row[2] == "1"  # the month's incidents, after its name
    assert DESCRIPTION not in page.content()

    # The next bulletin's figures, as its build takes them.
    from analysis.snapshot import public_figures

    june = datetime.date(2026, 6, 1)
    snapshot = public_figures(first_month=june, last_month=june)
    assert snapshot["facilities"]["hospitals"] == {"fully": 1, "partially": 1, "not": 0, "none": 0}
    assert snapshot["attacks"]["incidents"] == 1
    assert DESCRIPTION not in str(snapshot)
