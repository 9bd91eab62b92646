"""The Atom feed of the bulletins, parsed back: entries, titles, links, dates, the PDF as an
enclosure; drafts absent, withdrawn bulletins updated as such; Arabic at /ar/."""

import xml.etree.ElementTree as ET

import pytest

from bulletins import services
from tests.bulletins.factories import BulletinFactory
from tests.bulletins.test_publication import published_bulletin, ready_bulletin

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def _feed(client, path: str = "/en/bulletins/feed/") -> ET.Element:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)  # noqa: S314 - the portal's own feed


def _entries(feed: ET.Element) -> list[ET.Element]:
    return feed.findall(f"{ATOM}entry")


def _link(element: ET.Element, rel: str) -> ET.Element | None:
    for link in element.findall(f"{ATOM}link"):
        if link.get("rel", "alternate") == rel:
            return link
    return None


def test_the_feed_has_the_published_bulletins_with_links_dates_and_the_pdf(client):
    BulletinFactory(number=1, title="A draft")
    ready_bulletin(number=2, title="Ready only")
    first = published_bulletin(number=3, title="First bulletin")
    published_bulletin(number=4, title="Second bulletin")

    feed = _feed(client)

    assert feed.findtext(f"{ATOM}title") == "Health cluster bulletins"
    assert _link(feed, "alternate").get("href") == "http://testserver/en/bulletins/"
    assert _link(feed, "self").get("href") == "http://testserver/en/bulletins/feed/"
    entries = _entries(feed)
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert titles == ["Bulletin 4: Second bulletin", "Bulletin 3: First bulletin"]

    entry = entries[1]
    assert _link(entry, "alternate").get("href") == "http://testserver/en/bulletins/3/"
    assert entry.findtext(f"{ATOM}published").startswith(first.published_at.strftime("%Y-%m-%d"))
    assert entry.findtext(f"{ATOM}updated")
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert "<li>Consultations rose in the north.</li>" in summary.text
    enclosure = _link(entry, "enclosure")
    assert enclosure.get("href") == "http://testserver/en/bulletins/3/pdf/"
    assert enclosure.get("type") == "application/pdf"
    assert int(enclosure.get("length")) == first.pdf.size
    # The enclosure is downloadable by anyone.
    assert client.get("/en/bulletins/3/pdf/").status_code == 200


def test_a_withdrawn_bulletin_stays_in_the_feed_retitled_without_its_pdf(client):
    bulletin = published_bulletin(number=5, title="Withdrawn one")
    services.bulletin_withdraw(bulletin=bulletin, by=None, reason="Counted twice.")

    (entry,) = _entries(_feed(client))

    assert entry.findtext(f"{ATOM}title") == "Withdrawn: Bulletin 5: Withdrawn one"
    assert "Counted twice." in entry.find(f"{ATOM}summary").text
    assert _link(entry, "enclosure") is None
    bulletin.refresh_from_db()
    assert entry.findtext(f"{ATOM}updated").startswith(bulletin.withdrawn_at.strftime("%Y-%m-%d"))


def test_the_arabic_feed_links_to_the_arabic_pages(client):
    published_bulletin(number=6, language="ar", title="النشرة السادسة")

    feed = _feed(client, "/ar/bulletins/feed/")

    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "ar"
    (entry,) = _entries(feed)
    assert "النشرة السادسة" in entry.findtext(f"{ATOM}title")
    assert _link(entry, "alternate").get("href") == "http://testserver/ar/bulletins/6/"
    assert _link(entry, "enclosure").get("href") == "http://testserver/ar/bulletins/6/pdf/"


def test_an_empty_feed_is_valid(client):
    feed = _feed(client)

    assert _entries(feed) == []
    assert feed.findtext(f"{ATOM}updated")


def test_the_highlights_are_escaped_in_the_summary(client):
    published_bulletin(number=7, highlights="<script>alert(1)</script> & more")

    (entry,) = _entries(_feed(client))

    summary = entry.find(f"{ATOM}summary").text
    assert "<script>" not in summary
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in summary
