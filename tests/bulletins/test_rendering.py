"""The print template fed with a figures dict of public_figures' shape: long tables capped,
headers that repeat, names in the bulletin's language (English marked when Arabic is
missing), numbers in the bulletin's locale, and the print CSS a static file."""

import re
import subprocess
from pathlib import Path

import pytest
from django.test import override_settings

from bulletins import rendering
from tests.bulletins.conftest import sample_figures
from tests.bulletins.factories import BulletinFactory
from tests.text import has_phrase

pytestmark = pytest.mark.django_db


@override_settings(BULLETIN_TABLE_MAX_ROWS=10)
def test_a_long_area_table_stops_after_the_cap_and_says_how_many_more(profile):
    bulletin = BulletinFactory()

    html = rendering.render_html(bulletin, sample_figures(areas=40), profile)

    areas = html[
        html.index('<table class="data areas">') : html.index(
            "</table>", html.index('<table class="data areas">')
        )
    ]
    assert areas.count("<tr>") == 1 + 10  # the header row and ten areas
    assert "<thead>" in areas
    assert "Governorate 0" in areas
    assert "Governorate 9" in areas
    assert "Governorate 10<" not in areas
    assert "And 30 more areas, with fewer people reached." in html


def test_an_arabic_bulletin_is_right_to_left_with_english_names_marked(profile, figures):
    bulletin = BulletinFactory(language="ar", title="النشرة")

    html = rendering.render_html(bulletin, figures, profile)

    assert '<html lang="ar" dir="rtl">' in html
    assert "المحافظة 1" in html
    assert '<th scope="row" lang="en">Governorate 0</th>' in html
    assert '<li lang="en">Beta Care (BC)</li>' in html
    assert "مجموعة الصحة في زدلاند" in html  # the cluster's Arabic name
    assert has_phrase(html, "123\u066c456")  # Arabic thousands separator
    assert "css/bulletin-print.css" not in html, "WeasyPrint gets the CSS as a stylesheet"


def test_an_english_bulletin_has_a_cover_contents_and_contacts(profile, figures):
    bulletin = BulletinFactory(number=14)

    html = rendering.render_html(bulletin, figures, profile)

    assert has_phrase(html, "Bulletin no. 14")
    assert "January \u2013 February 2026" in html
    assert "World Health Organization" in html
    assert "Ministry of Health" in html
    for anchor in ["highlights", "key-figures", "situation", "people-by-area", "contacts"]:
        assert f'<a href="#{anchor}">' in html
        assert f'id="{anchor}"' in html
    assert "mailto:coordinator@example.org" in html
    assert "<strong>displaced</strong>" in html  # the narrative's Markdown
    assert has_phrase(html, "123,456")
    assert "of 500,000 targeted (25%)" in html


def test_the_narrative_is_sanitised(profile, figures):
    bulletin = BulletinFactory(
        situation_overview='<script>alert(1)</script><img src="file:///etc/passwd"> **ok**'
    )

    html = rendering.render_html(bulletin, figures, profile)

    assert "<script>alert" not in html
    assert "file:///etc/passwd" not in html
    assert "<strong>ok</strong>" in html


def test_the_print_css_sets_a4_running_headers_page_numbers_and_the_arabic_font():
    css = Path(rendering.print_css_path()).read_text()

    assert "size: A4" in css
    assert "string-set: bulletin-title content()" in css
    assert "counter(page)" in css
    assert "counter(pages)" in css
    assert "target-counter(attr(href), page)" in css
    assert '"Noto Naskh Arabic"' in css
    assert "display: table-header-group" in css


def test_an_arabic_pdf_has_extractable_arabic_text_and_page_numbers(profile, figures, tmp_path):
    bulletin = BulletinFactory(language="ar", title="نشرة الصحة", highlights="رسالة أولى")
    pdf = tmp_path / "b.pdf"
    pdf.write_bytes(rendering.render_pdf(rendering.render_html(bulletin, figures, profile)))

    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    text = re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text)

    assert "نشرة الصحة" in text
    assert "رسالة أولى" in text
    assert "التغذية" in text
    pages = text.count("\f")
    # "2 / 5" laid out right to left: pdftotext reads it as the eye sees it, "5/2".
    assert re.search(rf"\b{pages} ?/ ?2\b", text), "the second page's number"


def test_a_bulletin_published_before_indicator_kinds_prints_its_counts_as_it_did(profile, figures):
    # A version 1 snapshot: each indicator's "reached", target and percentage, no kind.
    assert figures["version"] == 1
    assert "kind" not in figures["indicators"][0]
    bulletin = BulletinFactory()

    html = rendering.render_html(bulletin, figures, profile)

    row = html[html.index('data-figure="1.1">') + len('data-figure="1.1">') :]
    row = " ".join(re.sub(r"<[^>]+>", " ", row[: row.index("</tr>")]).split())
    assert row == "9,000 Count 10,000 90%"
    assert "people reached once" not in html  # the rule of later snapshots' headline
