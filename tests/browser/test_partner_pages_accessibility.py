"""axe-core on the partner and area pages each role works with, in English and Arabic."""

import pytest

from partners.models import MembershipStatus
from tests.browser.axe import assert_accessible
from tests.browser_fixtures import log_in
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(world):
    """The world's personas, plus a pending registration and a join request to act on."""
    pending = OrganisationFactory(name_en="Gamma Care", status="pending")
    pending.areas.add(world.area)
    MembershipFactory(
        organisation=world.org_a,
        status=MembershipStatus.REQUESTED,
        user=UserFactory(email="joiner@example.org", full_name="Jo Iner"),
    )
    UserFactory(email="newcomer@example.org")
    return world


PAGES = {
    "focal": ["/{lang}/tasks/", "/{lang}/partners/mine/", "/{lang}/partners/mine/edit/"],
    "coordinator": [
        "/{lang}/partners/review/",
        "/{lang}/partners/review/organisations/",
        "/{lang}/partners/coordinators/",
        "/{lang}/areas/upload/",
    ],
    "newcomer": ["/{lang}/partners/start/", "/{lang}/partners/register/"],
    "staff": ["/{lang}/accounts/profile/", "/{lang}/partners/{org_a}/"],
    "anonymous": ["/{lang}/partners/", "/{lang}/partners/{org_a}/", "/{lang}/areas/"],
}
CASES = [
    (role, path, lang) for role, paths in PAGES.items() for path in paths for lang in ("en", "ar")
]


@pytest.mark.parametrize(("role", "path", "lang"), CASES, ids=lambda v: str(v))
def test_the_page_has_no_accessibility_violations(axe_page, people, role, path, lang):
    email = {
        "newcomer": "newcomer@example.org",
        "anonymous": None,
    }.get(role) or (people.user(role).email if people.user(role) else None)
    if email:
        log_in(axe_page, email)
    url = path.format(lang=lang, org_a=people.org_a.pk)
    response = axe_page.goto(url)
    assert response.status == 200, url
    assert_accessible(axe_page, f"{url} as {role}")
