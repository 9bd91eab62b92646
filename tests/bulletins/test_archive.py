"""The public side of the bulletins, read as a visitor reads it: the archive (each bulletin
once, with its public editions, titled in the page's language; drafts and unpublished
editions absent; withdrawn ones marked with the reason; filters by year and language; pages
of twenty), a bulletin's page (the edition in the page's language, else the first public
one; every public edition at its own address; a published revision with its note and the
earlier versions' PDFs; an unpublished revision changing nothing), the PDFs of every
version, the permanent redirects of old numbers, the home page's latest bulletin and the
sitemap."""

import datetime
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from bulletins import publication
from bulletins.models import BuildStatus, Bulletin, BulletinRedirect, Edition
from tests.bulletins.conftest import sample_figures
from tests.bulletins.factories import (
    PDF,
    bilingual_bulletin,
    built,
    published_edition,
    ready_edition,
    revise,
)
from tests.text import has_phrase

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
FIRST_PUBLISHED = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
REVISED = datetime.datetime(2026, 4, 2, 15, 30, tzinfo=UTC)
V1_PDF = b"%PDF-1.7\n% version one\n"
V2_PDF = b"%PDF-1.7\n% version two, with the corrected figures\n"


# Reading a page --------------------------------------------------------------------------


INLINE = {
    "a",
    "abbr",
    "b",
    "bdi",
    "code",
    "em",
    "i",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "time",
}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class Node:
    """An element of a parsed page: its tag, attributes and children (elements, text)."""

    def __init__(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tag = tag
        self.attrs = {name: value or "" for name, value in attrs}
        self.children: list = []

    def text(self) -> str:
        """Its words as read: an element other than an inline one stands apart."""
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag in INLINE:
                parts.append(child.text())
            else:
                parts.append(f" {child.text()} ")
        return " ".join("".join(parts).split())

    def iter(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, attrs: dict | None = None) -> list["Node"]:
        """Elements below this one with the tag and attributes (a None value: present)."""
        found = []
        for node in self.iter():
            if tag is not None and node.tag != tag:
                continue
            if all(
                name in node.attrs and (value is None or node.attrs[name] == value)
                for name, value in (attrs or {}).items()
            ):
                found.append(node)
        return found

    def find(self, tag: str | None = None, attrs: dict | None = None) -> "Node | None":
        found = self.find_all(tag, attrs)
        return found[0] if found else None

    def hrefs(self) -> list[str]:
        return [link.attrs["href"] for link in self.find_all("a", {"href": None})]


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", [])
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs)
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, attrs))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def _get(client, path: str, data: dict | None = None) -> Node:
    response = client.get(path, data or {})
    assert response.status_code == 200, f"{path}: {response.status_code}"
    return parse(response.content.decode())


def _listed(page: Node) -> list[tuple[int, list[str]]]:
    """The archive's bulletins in order, each with the languages of the editions it lists."""
    return [
        (
            int(item.attrs["data-bulletin"]),
            [
                edition.attrs["data-edition"]
                for edition in item.find_all("li", {"data-edition": None})
            ],
        )
        for item in page.find_all("li", {"data-bulletin": None})
    ]


def _item(page: Node, number: int) -> Node:
    item = page.find("li", {"data-bulletin": str(number)})
    assert item is not None, f"bulletin {number} is not listed"
    return item


def _title(item: Node) -> tuple[str, str]:
    """The language and the words of a listed bulletin's title."""
    span = item.find("h3").find("span", {"dir": "auto"})
    return span.attrs["lang"], span.text()


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


# Making bulletins ------------------------------------------------------------------------


def _bulletin(
    number: int,
    *,
    publish=("en", "ar"),
    build=(),
    titles: dict | None = None,
    pdfs: dict | None = None,
    **fields,
) -> tuple[Bulletin, Edition, Edition]:
    """A bulletin with an English and an Arabic edition: those in ``publish`` built and
    published together, those in ``build`` built only."""
    bulletin, english, arabic = bilingual_bulletin(number=number, **fields)
    for edition in (english, arabic):
        title = (titles or {}).get(edition.language)
        if title:
            Edition.objects.filter(pk=edition.pk).update(title=title)
    for language in ("en", "ar"):
        if language in publish or language in build:
            edition = Edition.objects.get(bulletin=bulletin, language=language)
            built(edition, pdf=(pdfs or {}).get(language, PDF))
    if publish:
        publication.bulletin_publish(bulletin=bulletin, languages=list(publish), by=None)
    editions = Edition.objects.prefetch_related("versions").filter(bulletin=bulletin)
    by_language = {edition.language: edition for edition in editions}
    return bulletin, by_language["en"], by_language["ar"]


def _withdraw(bulletin: Bulletin, reason: str = "Counted twice in the north.") -> None:
    publication.bulletin_withdraw(bulletin=bulletin, by=None, reason=reason)


def _build_revision(edition: Edition, pdf: bytes, figures: dict | None = None, **text) -> Edition:
    """Edit a published edition's text and build it again: a revision, not published."""
    if figures is not None:
        text["refresh_figures"] = True
    revise(edition, **text)
    return built(Edition.objects.get(pk=edition.pk), figures=figures, pdf=pdf)


def _revised_bulletin(number: int, time_machine) -> tuple[Bulletin, Edition]:
    """An English edition published on 10 March 2026 and revised on 2 April 2026, with
    other highlights and today's figures (people reached 234,567 instead of 123,456)."""
    time_machine.move_to(FIRST_PUBLISHED, tick=False)
    bulletin, english, _arabic = _bulletin(
        number, publish=("en",), titles={"en": "Spring bulletin"}, pdfs={"en": V1_PDF}
    )
    time_machine.move_to(REVISED, tick=False)
    figures = sample_figures()
    figures["key_figures"]["people_reached"] = 234567
    edition = _build_revision(
        english,
        V2_PDF,
        figures=figures,
        highlights="Cholera cases fell in the south.",
    )
    publication.edition_publish_revision(
        edition=edition, note="Corrected the figures of the north.", by=None
    )
    return bulletin, Edition.objects.prefetch_related("versions").get(pk=english.pk)


# The archive -----------------------------------------------------------------------------


def test_the_archive_lists_each_bulletin_once_with_its_public_editions(client):
    bilingual_bulletin(number=1)  # drafts, never built
    ready_edition(bulletin__number=2, title="Ready, not published")
    _bulletin(3, titles={"en": "Both editions public"})
    _bulletin(4, publish=("en",), build=("ar",), titles={"en": "English public, Arabic ready"})
    _bulletin(5, publish=("ar",), titles={"ar": "العربية وحدها"})

    page = _get(client, "/en/bulletins/")

    assert _listed(page) == [(5, ["ar"]), (4, ["en"]), (3, ["en", "ar"])]
    assert has_phrase(page.text(), "3 bulletins")
    assert not has_phrase(page.text(), "Ready, not published")
    item = _item(page, 3)
    assert item.find("h3").find("a").attrs["href"] == "/en/bulletins/3/"
    english = item.find("li", {"data-edition": "en"})
    arabic = item.find("li", {"data-edition": "ar"})
    assert english.hrefs() == ["/en/bulletins/3/en/", "/en/bulletins/3/en/pdf/"]
    assert arabic.hrefs() == ["/en/bulletins/3/ar/", "/en/bulletins/3/ar/pdf/"]
    # The Arabic edition of bulletin 4 is built, not published: no link leads to it.
    assert not [href for href in page.hrefs() if href.startswith("/en/bulletins/4/ar/")]
    assert "/en/subscribe/" in page.hrefs()
    assert "/en/bulletins/feed/" in page.hrefs()


def test_the_archive_titles_a_bulletin_by_its_edition_in_the_page_language(client):
    _bulletin(6, titles={"en": "Floods in the north", "ar": "فيضانات في الشمال"})
    _bulletin(7, publish=("ar",), titles={"ar": "نشرة بالعربية فقط"})
    _bulletin(8, publish=("en",), build=("ar",), titles={"en": "English only", "ar": "غير منشورة"})

    english = _get(client, "/en/bulletins/")
    arabic = _get(client, "/ar/bulletins/")

    assert _title(_item(english, 6)) == ("en", "Floods in the north")
    assert _title(_item(arabic, 6)) == ("ar", "فيضانات في الشمال")
    # A bulletin without an edition in the page's language is titled by its public one.
    assert _title(_item(english, 7)) == ("ar", "نشرة بالعربية فقط")
    assert _title(_item(arabic, 8)) == ("en", "English only")
    assert not has_phrase(arabic.text(), "غير منشورة")
    assert _item(arabic, 6).find("h3").find("a").attrs["href"] == "/ar/bulletins/6/"


def test_a_withdrawn_bulletin_stays_in_the_archive_marked_with_its_reason(client):
    withdrawn, _english, _arabic = _bulletin(9, titles={"en": "Withdrawn one"})
    _withdraw(withdrawn, reason="Counted twice in the north.")
    _bulletin(10, titles={"en": "Still standing"})

    page = _get(client, "/en/bulletins/")

    assert _listed(page) == [(10, ["en", "ar"]), (9, ["en", "ar"])]
    item = _item(page, 9)
    assert _title(item) == ("en", "Withdrawn one")
    assert item.find("h3").find("span", {"class": "badge text-bg-warning align-middle"})
    assert has_phrase(item.text(), "Withdrawn. Reason: Counted twice in the north.")
    for edition in item.find_all("li", {"data-edition": None}):
        assert has_phrase(edition.text(), "Withdrawn")
        # Its pages stay linked; its PDFs are no longer offered.
        assert len(edition.hrefs()) == 1
        assert not edition.hrefs()[0].endswith("/pdf/")
    standing = _item(page, 10)
    assert not has_phrase(standing.text(), "Withdrawn")
    assert len(standing.find("li", {"data-edition": "en"}).hrefs()) == 2


def test_the_archive_filters_by_year_covered_and_by_language(client):
    _bulletin(
        11,
        titles={"en": "Winter bulletin"},
        first_month=datetime.date(2025, 12, 1),
        last_month=datetime.date(2026, 1, 1),
    )
    _bulletin(
        12,
        publish=("en",),
        build=("ar",),
        titles={"en": "Spring 2025"},
        first_month=datetime.date(2025, 3, 1),
        last_month=datetime.date(2025, 5, 1),
    )
    _bulletin(
        13,
        publish=("ar",),
        first_month=datetime.date(2026, 3, 1),
        last_month=datetime.date(2026, 5, 1),
    )

    def numbers(data: dict) -> list[int]:
        return [number for number, _languages in _listed(_get(client, "/en/bulletins/", data))]

    assert numbers({"year": "2025"}) == [12, 11]
    assert numbers({"year": "2026"}) == [13, 11]
    # A bulletin is in a language when it has a public edition in it: 12's Arabic edition
    # is built but not published.
    assert numbers({"language": "ar"}) == [13, 11]
    assert numbers({"language": "en"}) == [12, 11]
    assert numbers({"language": "ar", "year": "2025"}) == [11]

    # 11 covers January 2026 and has an English edition; 13 is in Arabic only.
    assert numbers({"language": "en", "year": "2026"}) == [11]
    # The year filter offers the years covered, the latest first.
    page = _get(client, "/en/bulletins/", {"year": "2025"})
    years = page.find("select", {"name": "year"}).find_all("option")
    assert [option.attrs["value"] for option in years] == ["", "2026", "2025"]
    languages = page.find("select", {"name": "language"}).find_all("option")
    assert [option.attrs["value"] for option in languages] == ["", "en", "ar"]
    assert "/en/bulletins/" in [
        link.attrs["href"] for link in page.find_all("a") if link.text() == "Clear the filters"
    ]


def test_filters_that_match_nothing_say_so(client):
    _bulletin(14, publish=("en",), first_month=datetime.date(2025, 3, 1))

    page = _get(client, "/en/bulletins/", {"language": "ar", "year": "2025"})

    assert _listed(page) == []
    assert has_phrase(page.text(), "No bulletin matches these filters.")


def test_an_unknown_year_is_an_error_on_the_form_not_a_crash(client):
    published_edition(bulletin__number=15)

    page = _get(client, "/en/bulletins/", {"year": "1999"})

    assert has_phrase(
        page.text(), "Select a valid choice. 1999 is not one of the available choices."
    )


def test_the_archive_is_paginated_by_twenty(client):
    for number in range(1, 23):
        published_edition(bulletin__number=number, title=f"Bulletin number {number}")

    first = _get(client, "/en/bulletins/")
    second = _get(client, "/en/bulletins/", {"page": 2})

    assert [number for number, _ in _listed(first)] == list(range(22, 2, -1))
    assert [number for number, _ in _listed(second)] == [2, 1]
    assert has_phrase(first.text(), "Page 1 of 2")
    assert has_phrase(second.text(), "Page 2 of 2")
    assert has_phrase(first.text(), "22 bulletins")


def test_the_archive_makes_the_same_queries_for_three_or_thirty_bulletins(
    client, django_assert_max_num_queries
):
    for number in range(1, 4):
        _bulletin(number)
    with django_assert_max_num_queries(10) as captured:
        client.get("/en/bulletins/")
    few = len(captured)
    for number in range(4, 31):
        _bulletin(number, publish=("en",) if number % 2 else ("en", "ar"))
    with django_assert_max_num_queries(few):
        page = parse(client.get("/en/bulletins/").content.decode())
    assert len(_listed(page)) == 20


def test_an_empty_archive_says_so(client):
    page = _get(client, "/en/bulletins/")

    assert _listed(page) == []
    assert has_phrase(page.text(), "No bulletin has been published yet.")


# A bulletin's page -----------------------------------------------------------------------


def _heading(page: Node) -> str:
    return page.find("h1").text()


def _facts(page: Node) -> dict[str, Node]:
    """The page's description of the bulletin (before the bulletin itself): term -> value."""
    facts = page.find("dl")
    terms = [child for child in facts.children if isinstance(child, Node)]
    return {term.text(): value for term, value in zip(terms[::2], terms[1::2], strict=True)}


def _article(page: Node) -> Node:
    return page.find("article", {"class": "bulletin-document"})


def test_the_public_page_has_the_key_figures_as_captioned_tables(client):
    published_edition(bulletin__number=16, title="March bulletin")

    response = client.get("/en/bulletins/16/")
    html = response.content.decode()
    page = parse(html)

    assert _heading(page) == "Bulletin 16: March bulletin"
    assert has_phrase(page.text(), "January \u2013 February 2026")
    article = _article(page)
    # The key figures in a description list, the breakdowns in captioned tables.
    figures = dict(
        zip(
            [term.text() for term in article.find_all("dt")],
            [value.text() for value in article.find_all("dd")],
            strict=True,
        )
    )
    assert figures["People reached"].startswith("123,456 of 500,000 targeted")
    assert figures["Partners reporting"] == "7"
    captions = [caption.text() for caption in article.find_all("caption")]
    for caption in [
        "People reached by month",
        "People reached by sex and age",
        "People reached and partners present by first-level area, most people first",
        "Indicators: reached against target",
    ]:
        assert caption in captions
    assert '<th scope="row">Women</th><td class="text-end">40,000</td>' in html
    assert has_phrase(article.text(), "Outpatient consultations")
    # The highlights and the narrative (Markdown, sanitised).
    assert "Consultations rose in the north." in [item.text() for item in article.find_all("li")]
    assert [strong.text() for strong in article.find_all("strong")].count("displaced") == 1
    assert "/en/bulletins/16/en/pdf/" in page.hrefs()
    assert "/en/subscribe/" in page.hrefs()
    assert article.find_all("img") == [], "no chart images"


def test_the_figures_come_from_the_published_version_not_todays_data(client, validated_rows):
    edition = published_edition(bulletin__number=17)

    page = _get(client, "/en/bulletins/17/")

    # The snapshot's 123,456 people, not the 358 validated today.
    assert has_phrase(_article(page).text(), "123,456")
    assert edition.current_version.snapshot["key_figures"]["people_reached"] == 123456


def test_the_page_shows_the_edition_in_the_page_language(client):
    _bulletin(18, titles={"en": "Floods in the north", "ar": "فيضانات في الشمال"})

    english = client.get("/en/bulletins/18/")
    arabic = client.get("/ar/bulletins/18/")

    assert english.context["edition"].language == "en"
    assert has_phrase(_heading(parse(english.content.decode())), "Floods in the north")
    assert _article(parse(english.content.decode())).attrs["lang"] == "en"
    assert arabic.context["edition"].language == "ar"
    assert has_phrase(_heading(parse(arabic.content.decode())), "فيضانات في الشمال")
    assert _article(parse(arabic.content.decode())).attrs["dir"] == "rtl"


def test_without_an_edition_in_the_page_language_the_page_shows_the_public_one(client):
    _bulletin(19, publish=("ar",), build=("en",), titles={"ar": "النشرة", "en": "Not public"})

    page = _get(client, "/en/bulletins/19/")

    assert has_phrase(_heading(page), "النشرة")
    assert not has_phrase(page.text(), "Not public")
    # No link to the English edition, which is not published.
    assert not [href for href in page.hrefs() if href.startswith("/en/bulletins/19/en/")]


def test_each_public_edition_has_its_page_linking_to_the_others(client):
    _bulletin(20, titles={"en": "Floods in the north", "ar": "فيضانات في الشمال"})

    page = _get(client, "/en/bulletins/20/ar/")
    english = _get(client, "/en/bulletins/20/en/")

    # The Arabic edition on an English page: the page in English, the bulletin in Arabic.
    assert page.find("html").attrs == {"lang": "en", "dir": "ltr"}
    assert has_phrase(_heading(page), "فيضانات في الشمال")
    assert _article(page).attrs["lang"] == "ar"
    edition = _facts(page)["Edition"]
    assert has_phrase(edition.text(), "Arabic")
    (other,) = edition.find_all("a")
    assert other.attrs == {"href": "/en/bulletins/20/en/", "lang": "en", "hreflang": "en"}
    (other,) = _facts(english)["Edition"].find_all("a")
    assert (other.attrs["href"], other.attrs["hreflang"]) == ("/en/bulletins/20/ar/", "ar")
    assert "/en/bulletins/20/ar/pdf/" in page.hrefs()


def test_an_arabic_edition_is_marked_arabic_and_right_to_left_on_an_english_page(client):
    _bulletin(21, publish=("ar",))
    Edition.objects.filter(bulletin__number=21, language="ar").update(highlights="رسالة")
    # The page shows the published version: the highlights it was published with.
    html = client.get("/en/bulletins/21/").content.decode()
    page = parse(html)

    assert page.find("html").attrs == {"lang": "en", "dir": "ltr"}
    article = _article(page)
    assert (article.attrs["lang"], article.attrs["dir"]) == ("ar", "rtl")
    assert has_phrase(article.text(), "123\u066c456")  # the figures in the edition's locale
    assert "ارتفعت الاستشارات في الشمال." in [item.text() for item in article.find_all("li")]
    assert not has_phrase(article.text(), "رسالة")
    # An area without an Arabic name is marked as English inside the Arabic edition.
    assert '<th scope="row" lang="en">Governorate 0</th>' in html


def test_a_withdrawn_edition_page_says_so_with_the_reason(client):
    bulletin, _english, _arabic = _bulletin(22)
    _withdraw(bulletin, reason="Counted twice in the north.")

    for path in ("/en/bulletins/22/", "/en/bulletins/22/ar/"):
        page = _get(client, path)
        notice = page.find("div", {"role": "note", "aria-labelledby": "withdrawn-heading"})
        assert has_phrase(notice.text(), "This bulletin was withdrawn")
        assert notice.find("p", {"data-withdrawal-reason": None}).text() == (
            "Counted twice in the north."
        )
        assert has_phrase(page.text(), "Download the withdrawn PDF")


@pytest.mark.parametrize("status", ["draft", "ready", "failed", "building"])
def test_a_bulletin_never_published_is_a_404_for_everyone(world, login, status):
    _bulletin(23, publish=(), build=("en", "ar"))
    Edition.objects.filter(bulletin__number=23).update(status=status)

    for user in [None, world.user("coordinator")]:
        client = login(user)
        for path in (
            "/en/bulletins/23/",
            "/en/bulletins/23/pdf/",
            "/en/bulletins/23/en/",
            "/en/bulletins/23/en/pdf/",
            "/en/bulletins/23/en/v1/pdf/",
            "/ar/bulletins/23/ar/",
        ):
            assert client.get(path).status_code == 404, path
    assert client.get("/en/bulletins/999/").status_code == 404


def test_an_unpublished_edition_of_a_public_bulletin_is_a_404_for_everyone(world, login):
    _bulletin(24, publish=("en",), build=("ar",))

    for user in [None, world.user("coordinator"), world.user("site_admin")]:
        client = login(user)
        for path in ("/en/bulletins/24/ar/", "/en/bulletins/24/ar/pdf/", "/ar/bulletins/24/ar/"):
            assert client.get(path).status_code == 404, path
        assert client.get("/en/bulletins/24/ar/v1/pdf/").status_code == 404
        # Its bulletin is public, in its English edition.
        assert client.get("/ar/bulletins/24/").context["edition"].language == "en"


def test_a_published_edition_being_rebuilt_stays_public(client):
    edition = published_edition(bulletin__number=25)
    Edition.objects.filter(pk=edition.pk).update(status=BuildStatus.BUILDING)

    assert client.get("/en/bulletins/25/").status_code == 200
    assert _body(client.get("/en/bulletins/25/en/pdf/")) == PDF


# Revisions -------------------------------------------------------------------------------


def test_a_revised_edition_shows_its_latest_version_with_the_note(client, time_machine):
    _revised_bulletin(26, time_machine)

    page = _get(client, "/en/bulletins/26/")

    assert _heading(page) == "Bulletin 26: Spring bulletin"
    article = _article(page)
    highlights = [item.text() for item in article.find_all("li")]
    assert "Cholera cases fell in the south." in highlights
    assert "Consultations rose in the north." not in highlights
    # The revision's figures, taken on its build.
    assert has_phrase(article.text(), "234,567")
    assert not has_phrase(article.text(), "123,456")
    revisions = page.find("div", {"data-revisions": None})
    assert [item.attrs["data-revision"] for item in revisions.find_all("li")] == ["2"]
    assert (
        revisions.find("li").text()
        == "Revised on 2 April 2026: Corrected the figures of the north."
    )
    assert _facts(page)["Published"].text() == "10 March 2026; last revised on 2 April 2026"
    earlier = page.find("ul", {"data-earlier-versions": None})
    assert earlier.hrefs() == ["/en/bulletins/26/en/v1/pdf/"]
    assert earlier.text() == "Version 1, published on 10 March 2026 (PDF)"
    assert "/en/bulletins/26/en/pdf/" in page.hrefs()


def test_every_revision_is_listed_with_its_own_note(client, time_machine):
    _bulletin_27, edition = _revised_bulletin(27, time_machine)
    time_machine.move_to(datetime.datetime(2026, 5, 20, 8, 0, tzinfo=UTC), tick=False)
    edition = _build_revision(edition, b"%PDF-1.7\n% version three\n", coordination="Weekly.")
    publication.edition_publish_revision(edition=edition, note="Added the meetings.", by=None)

    page = _get(client, "/en/bulletins/27/en/")

    items = page.find("div", {"data-revisions": None}).find_all("li")
    assert [(item.attrs["data-revision"], item.text()) for item in items] == [
        ("3", "Revised on 20 May 2026: Added the meetings."),
        ("2", "Revised on 2 April 2026: Corrected the figures of the north."),
    ]
    assert page.find("ul", {"data-earlier-versions": None}).hrefs() == [
        "/en/bulletins/27/en/v2/pdf/",
        "/en/bulletins/27/en/v1/pdf/",
    ]


def test_an_unpublished_revision_changes_nothing_the_public_sees(client, time_machine):
    time_machine.move_to(FIRST_PUBLISHED, tick=False)
    _bulletin(28, publish=("en",), titles={"en": "Spring bulletin"}, pdfs={"en": V1_PDF})
    before = client.get("/en/bulletins/28/")
    time_machine.move_to(REVISED, tick=False)
    figures = sample_figures()
    figures["key_figures"]["people_reached"] = 234567
    edition = _build_revision(
        Edition.objects.get(bulletin__number=28, language="en"),
        V2_PDF,
        figures=figures,
        title="A new title",
        highlights="Cholera cases fell in the south.",
    )
    assert edition.status == BuildStatus.READY
    assert edition.revision_publishable

    after = client.get("/en/bulletins/28/")
    page = parse(after.content.decode())

    assert after.context["document"] == before.context["document"]
    assert _heading(page) == "Bulletin 28: Spring bulletin"
    assert not has_phrase(page.text(), "Cholera cases fell in the south.")
    assert has_phrase(_article(page).text(), "123,456")
    assert page.find("div", {"data-revisions": None}) is None
    assert page.find("ul", {"data-earlier-versions": None}) is None
    assert _body(client.get("/en/bulletins/28/en/pdf/")) == V1_PDF
    assert _body(client.get("/en/bulletins/28/pdf/")) == V1_PDF
    assert client.get("/en/bulletins/28/en/v2/pdf/").status_code == 404
    assert _title(_item(_get(client, "/en/bulletins/"), 28)) == ("en", "Spring bulletin")


# PDFs ------------------------------------------------------------------------------------


def test_each_edition_pdf_is_its_stored_file_as_an_attachment(client, file_store):
    _bulletin(29, pdfs={"en": b"%PDF-1.7\n% English\n", "ar": b"%PDF-1.7\n% Arabic\n"})

    english = client.get("/en/bulletins/29/en/pdf/")
    arabic = client.get("/ar/bulletins/29/ar/pdf/")

    assert english.status_code == 200
    assert english["Content-Type"] == "application/pdf"
    assert english["Content-Disposition"] == 'attachment; filename="bulletin-29-en.pdf"'
    assert _body(english) == b"%PDF-1.7\n% English\n"
    assert arabic["Content-Disposition"] == 'attachment; filename="bulletin-29-ar.pdf"'
    assert _body(arabic) == b"%PDF-1.7\n% Arabic\n"
    # The Arabic edition's PDF is the same file under an English page address.
    assert _body(client.get("/en/bulletins/29/ar/pdf/")) == b"%PDF-1.7\n% Arabic\n"


def test_the_bulletin_pdf_is_the_page_language_edition_s(client):
    _bulletin(30, pdfs={"en": b"%PDF-1.7\n% English\n", "ar": b"%PDF-1.7\n% Arabic\n"})
    _bulletin(31, publish=("en",), build=("ar",), pdfs={"ar": b"%PDF-1.7\n% not public\n"})

    assert _body(client.get("/en/bulletins/30/pdf/")) == b"%PDF-1.7\n% English\n"
    assert _body(client.get("/ar/bulletins/30/pdf/")) == b"%PDF-1.7\n% Arabic\n"
    # Without a public edition in the page's language: the public edition's PDF.
    assert _body(client.get("/ar/bulletins/31/pdf/")) == PDF


def test_a_revision_s_pdf_replaces_the_current_one_and_earlier_versions_stay(client, time_machine):
    time_machine.move_to(FIRST_PUBLISHED, tick=False)
    _bulletin(32, publish=("en",), pdfs={"en": V1_PDF})
    edition = _build_revision(
        Edition.objects.get(bulletin__number=32, language="en"), V2_PDF, highlights="New."
    )

    # Built, not published: the public PDF is still version 1's.
    assert _body(client.get("/en/bulletins/32/en/pdf/")) == V1_PDF
    assert client.get("/en/bulletins/32/en/v2/pdf/").status_code == 404

    time_machine.move_to(REVISED, tick=False)
    publication.edition_publish_revision(edition=edition, note="New highlights.", by=None)

    current = client.get("/en/bulletins/32/en/pdf/")
    assert _body(current) == V2_PDF
    assert current["Content-Disposition"] == 'attachment; filename="bulletin-32-en-v2.pdf"'
    assert _body(client.get("/en/bulletins/32/pdf/")) == V2_PDF
    first = client.get("/en/bulletins/32/en/v1/pdf/")
    assert _body(first) == V1_PDF
    assert first["Content-Disposition"] == 'attachment; filename="bulletin-32-en.pdf"'
    assert _body(client.get("/en/bulletins/32/en/v2/pdf/")) == V2_PDF
    assert client.get("/en/bulletins/32/en/v3/pdf/").status_code == 404


def test_a_missing_file_is_a_404_not_an_error(client):
    edition = published_edition(bulletin__number=33)
    version = edition.current_version
    version.pdf.storage.delete(version.pdf.name)

    assert client.get("/en/bulletins/33/en/pdf/").status_code == 404
    assert client.get("/en/bulletins/33/pdf/").status_code == 404
    assert client.get("/en/bulletins/33/en/v1/pdf/").status_code == 404
    assert client.get("/en/bulletins/33/").status_code == 200


# Old numbers -----------------------------------------------------------------------------


def test_an_old_number_leads_to_its_edition_for_good(client):
    _bulletin_34, _english, arabic = _bulletin(34)
    BulletinRedirect.objects.create(number=134, edition=arabic)

    page = client.get("/en/bulletins/134/")
    pdf = client.get("/en/bulletins/134/pdf/")
    arabic_page = client.get("/ar/bulletins/134/")

    assert (page.status_code, page["Location"]) == (301, "/en/bulletins/34/ar/")
    assert (pdf.status_code, pdf["Location"]) == (301, "/en/bulletins/34/ar/pdf/")
    assert (arabic_page.status_code, arabic_page["Location"]) == (301, "/ar/bulletins/34/ar/")
    assert client.get(page["Location"]).status_code == 200


def test_an_old_number_of_an_unpublished_edition_is_a_404(client):
    _bulletin(35, publish=("en",), build=("ar",))
    BulletinRedirect.objects.create(
        number=135, edition=Edition.objects.get(bulletin__number=35, language="ar")
    )

    assert client.get("/en/bulletins/135/").status_code == 404
    assert client.get("/en/bulletins/135/pdf/").status_code == 404


# The home page and the sitemap -----------------------------------------------------------


def _latest(page: Node) -> Node:
    return page.find("section", {"aria-labelledby": "latest-bulletin"})


def test_the_home_page_shows_the_latest_current_bulletin_once_with_its_editions(client):
    ready_edition(bulletin__number=40, title="A ready one")
    _bulletin(41, titles={"en": "Older bulletin", "ar": "نشرة أقدم"})
    withdrawn, _english, _arabic = _bulletin(42, titles={"en": "Withdrawn bulletin"})
    _withdraw(withdrawn)
    bilingual_bulletin(number=43)

    english = _latest(_get(client, "/en/"))
    arabic = _latest(_get(client, "/ar/"))

    links = [href for href in english.hrefs() if href.startswith("/en/bulletins/4")]
    assert links == [
        "/en/bulletins/41/",
        "/en/bulletins/41/en/",
        "/en/bulletins/41/en/pdf/",
        "/en/bulletins/41/ar/",
        "/en/bulletins/41/ar/pdf/",
    ]
    title = english.find("span", {"dir": "auto"})
    assert (title.attrs["lang"], title.text()) == ("en", "Older bulletin")
    assert [item.attrs["data-edition"] for item in english.find_all("li")] == ["en", "ar"]
    assert not has_phrase(english.text(), "Withdrawn bulletin")
    assert not has_phrase(english.text(), "A ready one")
    title = arabic.find("span", {"dir": "auto"})
    assert (title.attrs["lang"], title.text()) == ("ar", "نشرة أقدم")
    assert "/ar/bulletins/41/ar/pdf/" in arabic.hrefs()


def test_the_home_page_offers_a_public_edition_in_another_language(client):
    _bulletin(44, publish=("ar",), build=("en",), titles={"ar": "النشرة", "en": "Not public"})

    latest = _latest(_get(client, "/en/"))

    title = latest.find("span", {"dir": "auto"})
    assert (title.attrs["lang"], title.text()) == ("ar", "النشرة")
    assert [item.attrs["data-edition"] for item in latest.find_all("li")] == ["ar"]
    assert not has_phrase(latest.text(), "Not public")


def test_the_home_page_without_bulletins_offers_the_subscription(client):
    latest = _latest(_get(client, "/en/"))

    assert has_phrase(latest.text(), "No bulletin has been published yet.")
    assert latest.hrefs() == ["/en/subscribe/"]


def test_the_sitemap_lists_current_bulletins_once_in_each_language(client):
    _bulletin(45)
    withdrawn, _english, _arabic = _bulletin(46)
    _withdraw(withdrawn, reason="Wrong.")
    _bulletin(47, publish=(), build=("en", "ar"))

    response = client.get(reverse("sitemap"))
    sitemap = ET.fromstring(response.content)  # noqa: S314 - the portal's own sitemap
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locations = [loc.text for loc in sitemap.iter(f"{namespace}loc")]

    bulletins = [loc for loc in locations if "/bulletins/" in loc]
    assert sorted(bulletins) == [
        "http://testserver/ar/bulletins/",
        "http://testserver/ar/bulletins/45/",
        "http://testserver/en/bulletins/",
        "http://testserver/en/bulletins/45/",
    ]
    robots = client.get("/robots.txt").content.decode().splitlines()
    assert "Disallow: /en/bulletins/manage/" in robots
