"""The sitemap lists the public pages in both languages; robots.txt keeps crawlers out of
the private ones and points at the sitemap."""

import xml.etree.ElementTree as ET

import pytest

from partners.models import OrganisationStatus
from tests.factories import OrganisationFactory
from tests.meetings.conftest import MeetingFactory
from tests.pages.conftest import PageFactory

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def _sitemap(client) -> ET.Element:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)  # noqa: S314 - the portal's own sitemap


def _locations(root: ET.Element) -> set[str]:
    return {loc.text.removeprefix("http://testserver") for loc in root.findall("s:url/s:loc", NS)}


def test_the_sitemap_lists_public_pages_in_both_languages(client):
    page = PageFactory(slug="networks")
    PageFactory(slug="hidden", is_published=False)
    approved = OrganisationFactory()
    pending = OrganisationFactory(status=OrganisationStatus.PENDING)
    meeting = MeetingFactory()
    private = MeetingFactory(is_members_only=True)

    locations = _locations(_sitemap(client))

    for language in ("en", "ar"):
        assert {
            f"/{language}/",
            f"/{language}/partners/",
            f"/{language}/areas/",
            f"/{language}/meetings/",
            f"/{language}/pages/",
            f"/{language}/pages/{page.slug}/",
            f"/{language}/partners/{approved.pk}/",
            f"/{language}/meetings/{meeting.pk}/",
        } <= locations
        assert f"/{language}/pages/hidden/" not in locations
        assert f"/{language}/partners/{pending.pk}/" not in locations
        assert f"/{language}/meetings/{private.pk}/" not in locations


def test_each_entry_names_its_other_language(client):
    page = PageFactory(slug="contacts")
    root = _sitemap(client)
    entry = next(
        url
        for url in root.findall("s:url", NS)
        if url.find("s:loc", NS).text.endswith(f"/en/pages/{page.slug}/")
    )
    alternates = {link.get("hreflang"): link.get("href") for link in entry.findall("x:link", NS)}
    assert alternates["ar"].endswith(f"/ar/pages/{page.slug}/")
    assert alternates["en"].endswith(f"/en/pages/{page.slug}/")
    assert entry.find("s:lastmod", NS) is not None


def test_robots_txt_keeps_crawlers_out_of_private_pages_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    for path in (
        "/en/accounts/",
        "/ar/accounts/",
        "/en/admin/",
        "/en/pages/manage/",
        "/ar/meetings/manage/",
        "/en/revisions/",
    ):
        assert f"Disallow: {path}" in lines
    assert "Disallow: /" not in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
