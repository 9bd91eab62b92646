"""The Atom feeds of the bulletins, one per language, parsed back: an entry per bulletin with
an edition in the feed's language, read from its latest published version (title,
highlights, the revision's note, the PDF as an enclosure with its size); drafts and
unpublished editions absent; a withdrawn edition retitled, with its reason and without its
PDF; a revision built but not published invisible."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from bulletins import publication
from bulletins.models import Edition
from tests.bulletins.factories import bilingual_bulletin, built, published_edition, ready_edition
from tests.bulletins.test_archive import (
    FIRST_PUBLISHED,
    REVISED,
    V1_PDF,
    V2_PDF,
    _build_revision,
    _bulletin,
    _withdraw,
)
from tests.text import has_phrase

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _feed(client, language: str = "en") -> ET.Element:
    response = client.get(f"/{language}/bulletins/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)  # noqa: S314 - the portal's own feed


def _entries(feed: ET.Element) -> list[ET.Element]:
    return feed.findall(f"{ATOM}entry")


def _titles(feed: ET.Element) -> list[str]:
    return [entry.findtext(f"{ATOM}title") for entry in _entries(feed)]


def _link(element: ET.Element, rel: str) -> ET.Element | None:
    for link in element.findall(f"{ATOM}link"):
        if link.get("rel", "alternate") == rel:
            return link
    return None


def _date(entry: ET.Element, name: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}{name}"))


def _summary(entry: ET.Element) -> str:
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    return summary.text


def _highlights(entry: ET.Element) -> list[str]:
    """The key messages of an entry's summary (HTML escaped in the XML), parsed."""
    summary = ET.fromstring(f"<div>{_summary(entry)}</div>")  # noqa: S314
    return [item.text for item in summary.iter("li")]


def test_the_english_feed_has_the_english_editions_with_links_dates_and_the_pdf(
    client, time_machine, file_store
):
    time_machine.move_to(FIRST_PUBLISHED, tick=False)
    bilingual_bulletin(number=1)  # drafts
    ready_edition(bulletin__number=2, title="Ready only")
    _bulletin(3, titles={"en": "First bulletin", "ar": "النشرة الأولى"})
    _bulletin(4, publish=("en",), build=("ar",), titles={"en": "Second bulletin"})
    _bulletin(5, publish=("ar",), titles={"ar": "بالعربية فقط"})
    first = Edition.objects.prefetch_related("versions").get(bulletin__number=3, language="en")

    feed = _feed(client)

    assert feed.findtext(f"{ATOM}title") == "Health cluster bulletins"
    assert feed.get(XML_LANG) == "en"
    assert _link(feed, "alternate").get("href") == "http://testserver/en/bulletins/"
    assert _link(feed, "self").get("href") == "http://testserver/en/bulletins/feed/"
    assert _titles(feed) == ["Bulletin 4: Second bulletin", "Bulletin 3: First bulletin"]

    entry = _entries(feed)[1]
    assert _link(entry, "alternate").get("href") == "http://testserver/en/bulletins/3/en/"
    assert _date(entry, "published") == FIRST_PUBLISHED
    assert _date(entry, "updated") == FIRST_PUBLISHED
    assert _highlights(entry) == [
        "Consultations rose in the north.",
        "Nutrition screening started in the south.",
    ]
    assert has_phrase(_summary(entry), "January \u2013 February 2026")
    enclosure = _link(entry, "enclosure")
    assert enclosure.get("href") == "http://testserver/en/bulletins/3/en/pdf/"
    assert enclosure.get("type") == "application/pdf"
    assert int(enclosure.get("length")) == first.current_version.pdf.size
    # The enclosure is downloadable by anyone.
    assert client.get("/en/bulletins/3/en/pdf/").status_code == 200


def test_the_arabic_feed_has_the_arabic_editions_at_arabic_addresses(client):
    _bulletin(3, titles={"en": "First bulletin", "ar": "النشرة الأولى"})
    _bulletin(4, publish=("en",), build=("ar",), titles={"ar": "لم تُنشر"})
    _bulletin(5, publish=("ar",), titles={"ar": "بالعربية فقط"})

    feed = _feed(client, "ar")

    assert feed.get(XML_LANG) == "ar"
    with translation.override("ar"):
        assert feed.findtext(f"{ATOM}title") == _("Health cluster bulletins")
        expected = [
            _("Bulletin %(number)s: %(title)s") % {"number": 5, "title": "بالعربية فقط"},
            _("Bulletin %(number)s: %(title)s") % {"number": 3, "title": "النشرة الأولى"},
        ]
    assert expected[0] != "Bulletin 5: بالعربية فقط", "the entry titles are translated"
    assert _titles(feed) == expected
    assert _link(feed, "self").get("href") == "http://testserver/ar/bulletins/feed/"
    entry = _entries(feed)[1]
    assert _link(entry, "alternate").get("href") == "http://testserver/ar/bulletins/3/ar/"
    assert _link(entry, "enclosure").get("href") == "http://testserver/ar/bulletins/3/ar/pdf/"
    assert _highlights(entry) == ["ارتفعت الاستشارات في الشمال."]


def test_a_revision_updates_the_entry_from_its_latest_version(client, time_machine):
    time_machine.move_to(FIRST_PUBLISHED, tick=False)
    _bulletin(6, publish=("en",), titles={"en": "Spring bulletin"}, pdfs={"en": V1_PDF})
    time_machine.move_to(REVISED, tick=False)
    edition = _build_revision(
        Edition.objects.get(bulletin__number=6, language="en"),
        V2_PDF,
        highlights="Cholera cases fell in the south.",
    )
    publication.edition_publish_revision(
        edition=edition, note="Corrected the figures of the north.", by=None
    )

    (entry,) = _entries(_feed(client))

    assert entry.findtext(f"{ATOM}title") == "Bulletin 6: Spring bulletin"
    assert _date(entry, "published") == FIRST_PUBLISHED
    assert _date(entry, "updated") == REVISED
    assert _highlights(entry) == ["Cholera cases fell in the south."]
    assert has_phrase(
        _summary(entry), "Revised on 2 April 2026: Corrected the figures of the north."
    )
    enclosure = _link(entry, "enclosure")
    assert enclosure.get("href") == "http://testserver/en/bulletins/6/en/pdf/"
    assert int(enclosure.get("length")) == len(V2_PDF)
    response = client.get("/en/bulletins/6/en/pdf/")
    assert b"".join(response.streaming_content) == V2_PDF


def test_a_revision_built_but_not_published_leaves_the_entry_as_it_was(client, time_machine):
    time_machine.move_to(FIRST_PUBLISHED, tick=False)
    _bulletin(7, publish=("en",), titles={"en": "Spring bulletin"}, pdfs={"en": V1_PDF})
    before = ET.tostring(_entries(_feed(client))[0])
    time_machine.move_to(REVISED, tick=False)
    edition = _build_revision(
        Edition.objects.get(bulletin__number=7, language="en"),
        V2_PDF,
        title="Another title",
        highlights="Cholera cases fell in the south.",
    )
    assert edition.revision_publishable

    (entry,) = _entries(_feed(client))

    assert ET.tostring(entry) == before
    assert _highlights(entry) == [
        "Consultations rose in the north.",
        "Nutrition screening started in the south.",
    ]
    assert int(_link(entry, "enclosure").get("length")) == len(V1_PDF)
    assert _date(entry, "updated") == FIRST_PUBLISHED


def test_a_withdrawn_edition_stays_in_the_feed_retitled_without_its_pdf(client, time_machine):
    time_machine.move_to(FIRST_PUBLISHED, tick=False)
    bulletin, _english, _arabic = _bulletin(8, titles={"en": "Withdrawn one", "ar": "مسحوبة"})
    withdrawn_at = datetime.datetime(2026, 3, 20, 10, 0, tzinfo=datetime.UTC)
    time_machine.move_to(withdrawn_at, tick=False)
    _withdraw(bulletin, reason="Counted twice.")

    (entry,) = _entries(_feed(client))
    (arabic,) = _entries(_feed(client, "ar"))

    assert entry.findtext(f"{ATOM}title") == "Withdrawn: Bulletin 8: Withdrawn one"
    assert has_phrase(_summary(entry), "This bulletin was withdrawn. Reason:")
    assert has_phrase(_summary(entry), "Counted twice.")
    assert _highlights(entry) == []
    assert _link(entry, "enclosure") is None
    assert _date(entry, "published") == FIRST_PUBLISHED
    assert _date(entry, "updated") == withdrawn_at
    with translation.override("ar"):
        title = _("Bulletin %(number)s: %(title)s") % {"number": 8, "title": "مسحوبة"}
        assert arabic.findtext(f"{ATOM}title") == _("Withdrawn: %(title)s") % {"title": title}
    assert _link(arabic, "enclosure") is None


def test_an_empty_feed_is_valid(client):
    feed = _feed(client)

    assert _entries(feed) == []
    assert feed.findtext(f"{ATOM}updated")


def test_the_highlights_are_escaped_in_the_summary(client):
    published_edition(bulletin__number=9, highlights="<script>alert(1)</script> & more")

    (entry,) = _entries(_feed(client))

    assert _highlights(entry) == ["<script>alert(1)</script> & more"]
    assert "<script>" not in _summary(entry)


def test_an_edition_published_after_the_others_joins_the_feed_of_its_language(client):
    bulletin, _english, arabic = _bulletin(10, publish=("en",), titles={"ar": "النشرة العاشرة"})
    assert _entries(_feed(client, "ar")) == []

    built(Edition.objects.get(pk=arabic.pk))
    publication.bulletin_publish(bulletin=bulletin, languages=["ar"], by=None)

    (entry,) = _entries(_feed(client, "ar"))
    assert _link(entry, "alternate").get("href") == "http://testserver/ar/bulletins/10/ar/"
    assert len(_entries(_feed(client))) == 1
