"""The public archive and a bulletin's public page: only published bulletins (withdrawn ones
marked, with the reason), filters by year and language, pages of twenty, key figures as
captioned tables from the frozen snapshot, the PDF through a view that checks publication,
and the sitemap."""

import datetime
import re

import pytest
from django.urls import reverse

from bulletins import services
from bulletins.models import Bulletin
from tests.bulletins.factories import BulletinFactory
from tests.bulletins.test_publication import published_bulletin, ready_bulletin
from tests.text import has_phrase

pytestmark = pytest.mark.django_db


def _titles(page: str) -> list[str]:
    return re.findall(r'<span lang="(?:en|ar)" dir="auto">([^<]+)</span></a>', page)


def test_the_archive_lists_published_bulletins_newest_first_and_no_drafts(client):
    BulletinFactory(number=1, title="A draft")
    ready_bulletin(number=2, title="Ready, not published")
    published_bulletin(number=3, title="First published")
    published_bulletin(number=4, title="Second published", language="ar")

    page = client.get("/en/bulletins/").content.decode()

    assert _titles(page) == ["Second published", "First published"]
    assert has_phrase(page, "2 bulletins")
    assert "A draft" not in page
    assert "Ready, not published" not in page
    assert 'href="/en/bulletins/3/pdf/"' in page
    assert 'href="/en/subscribe/"' in page


def test_a_withdrawn_bulletin_stays_in_the_archive_marked_with_its_reason(client):
    bulletin = published_bulletin(number=5, title="Withdrawn one")
    services.bulletin_withdraw(bulletin=bulletin, by=None, reason="Counted twice in the north.")

    page = client.get("/en/bulletins/").content.decode()

    assert "Withdrawn one" in page
    assert "Withdrawn</span>" in page
    assert "Counted twice in the north." in page


def test_the_archive_filters_by_year_covered_and_language(client):
    published_bulletin(
        number=10,
        title="Winter bulletin",
        first_month=datetime.date(2025, 12, 1),
        last_month=datetime.date(2026, 1, 1),
    )
    published_bulletin(
        number=11,
        title="Spring 2025",
        first_month=datetime.date(2025, 3, 1),
        last_month=datetime.date(2025, 5, 1),
    )
    published_bulletin(
        number=12,
        title="Arabic spring 2026",
        language="ar",
        first_month=datetime.date(2026, 3, 1),
        last_month=datetime.date(2026, 5, 1),
    )

    in_2025 = client.get("/en/bulletins/", {"year": "2025"}).content.decode()
    in_2026 = client.get("/en/bulletins/", {"year": "2026"}).content.decode()
    arabic = client.get("/en/bulletins/", {"language": "ar"}).content.decode()
    arabic_2025 = client.get("/en/bulletins/", {"language": "ar", "year": "2025"}).content

    assert sorted(_titles(in_2025)) == ["Spring 2025", "Winter bulletin"]
    assert sorted(_titles(in_2026)) == ["Arabic spring 2026", "Winter bulletin"]
    assert _titles(arabic) == ["Arabic spring 2026"]
    assert "No bulletin matches these filters." in arabic_2025.decode()
    # The year filter offers the years covered, the latest first.
    years = re.findall(r'<option value="(\d{4})"', in_2025)
    assert years == ["2026", "2025"]
    assert "Clear the filters" in in_2025


def test_an_unknown_year_is_an_error_on_the_form_not_a_crash(client):
    published_bulletin(number=13)

    response = client.get("/en/bulletins/", {"year": "1999"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_the_archive_is_paginated_by_twenty(client):
    for number in range(1, 23):
        published_bulletin(number=number, title=f"Bulletin number {number}")

    first = client.get("/en/bulletins/").content.decode()
    second = client.get("/en/bulletins/", {"page": 2}).content.decode()

    assert len(_titles(first)) == 20
    assert len(_titles(second)) == 2
    assert has_phrase(first, "Page 1 of 2")
    assert has_phrase(first, "22 bulletins")


def test_the_archive_makes_the_same_queries_for_three_or_thirty_bulletins(
    client, django_assert_max_num_queries
):
    for number in range(1, 4):
        published_bulletin(number=number)
    with django_assert_max_num_queries(8) as captured:
        client.get("/en/bulletins/")
    few = len(captured)
    for number in range(4, 31):
        published_bulletin(number=number)
    with django_assert_max_num_queries(few):
        page = client.get("/en/bulletins/").content.decode()
    assert len(_titles(page)) == 20


def test_an_empty_archive_says_so(client):
    assert "No bulletin has been published yet." in client.get("/en/bulletins/").content.decode()


# A bulletin's public page -----------------------------------------------------------------


def test_the_public_page_has_the_key_figures_as_captioned_tables(client):
    published_bulletin(number=14, title="March bulletin")

    page = client.get("/en/bulletins/14/").content.decode()

    assert "March bulletin" in page
    assert "January \u2013 February 2026" in page
    # The key figures in a description list, the breakdowns in captioned tables.
    assert re.search(r"<dt[^>]*>People reached</dt>\s*<dd[^>]*>123,456 of 500,000 targeted", page)
    assert re.search(r"<dt[^>]*>Partners reporting</dt>\s*<dd[^>]*>7</dd>", page)
    for caption in [
        "People reached by month",
        "People reached by sex and age",
        "People reached and partners present by first-level area, most people first",
        "Indicators: reached against target",
    ]:
        assert f"<caption>{caption}</caption>" in page
    assert '<th scope="row">Women</th><td class="text-end">40,000</td>' in page
    assert "Outpatient consultations" in page
    # The highlights and the narrative (Markdown, sanitised).
    assert "Consultations rose in the north." in page
    assert "Heavy rains <strong>displaced</strong> families" in page
    assert 'href="/en/bulletins/14/pdf/"' in page
    assert 'href="/en/subscribe/"' in page
    assert "<img" not in page.split('class="bulletin-document"')[1], "no chart images"


def test_the_figures_come_from_the_frozen_snapshot_not_todays_data(client, validated_rows):
    bulletin = published_bulletin(number=15)

    page = client.get("/en/bulletins/15/").content.decode()

    assert has_phrase(page, "123,456")  # the snapshot's figure, not the 358 validated today
    bulletin.refresh_from_db()
    assert bulletin.snapshot["key_figures"]["people_reached"] == 123456


def test_an_arabic_bulletin_is_marked_arabic_and_right_to_left_on_an_english_page(client):
    published_bulletin(number=16, language="ar", title="النشرة", highlights="رسالة")

    page = client.get("/en/bulletins/16/").content.decode()

    assert '<html lang="en" dir="ltr">' in page
    assert '<article lang="ar" dir="rtl"' in page
    assert has_phrase(page, "123\u066c456")  # the bulletin's figures in its own locale
    assert "<li>رسالة</li>" in page
    # An area without an Arabic name is marked as English inside the Arabic bulletin.
    assert '<th scope="row" lang="en">Governorate 0</th>' in page


def test_a_withdrawn_bulletin_page_says_so_with_the_reason(client):
    bulletin = published_bulletin(number=17)
    services.bulletin_withdraw(bulletin=bulletin, by=None, reason="Counted twice in the north.")

    page = client.get("/en/bulletins/17/").content.decode()

    assert "This bulletin was withdrawn" in page
    assert "Counted twice in the north." in page
    assert "Download the withdrawn PDF" in page


@pytest.mark.parametrize("status", ["draft", "ready", "failed", "building"])
def test_a_bulletin_never_published_is_a_404_for_everyone(client, world, login, status):
    bulletin = ready_bulletin(number=18)
    Bulletin.objects.filter(pk=bulletin.pk).update(status=status)

    for user in [None, world.user("coordinator")]:
        client = login(user)
        assert client.get("/en/bulletins/18/").status_code == 404
        assert client.get("/en/bulletins/18/pdf/").status_code == 404
    assert client.get("/en/bulletins/999/").status_code == 404


def test_a_published_bulletin_being_rebuilt_stays_public(client):
    bulletin = published_bulletin(number=19)
    Bulletin.objects.filter(pk=bulletin.pk).update(status="building")

    assert client.get("/en/bulletins/19/").status_code == 200
    assert client.get("/en/bulletins/19/pdf/").status_code == 200


def test_the_public_pdf_is_the_stored_file_as_an_attachment(client):
    bulletin = published_bulletin(number=20, language="ar")

    response = client.get("/ar/bulletins/20/pdf/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bulletin-20-ar.pdf"'
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-")
    assert body == bulletin.pdf.open("rb").read()


def test_a_missing_file_is_a_404_not_an_error(client):
    bulletin = published_bulletin(number=21)
    bulletin.pdf.storage.delete(bulletin.pdf.name)

    assert client.get("/en/bulletins/21/pdf/").status_code == 404
    assert client.get("/en/bulletins/21/").status_code == 200


def test_the_sitemap_lists_published_bulletins_and_the_archive(client):
    published_bulletin(number=22)
    withdrawn = published_bulletin(number=23)
    services.bulletin_withdraw(bulletin=withdrawn, by=None, reason="Wrong.")
    ready_bulletin(number=24)

    sitemap = client.get(reverse("sitemap")).content.decode()

    assert "/en/bulletins/22/" in sitemap
    assert "/ar/bulletins/22/" in sitemap
    assert "/en/bulletins/</loc>" in sitemap
    assert "/bulletins/23/" not in sitemap
    assert "/bulletins/24/" not in sitemap
    assert "Disallow: /en/bulletins/manage/" in client.get("/robots.txt").content.decode()
