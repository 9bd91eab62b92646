"""Issue 21: an edition whose narrative is hostile Markdown still makes a PDF, and the PDF
shows what was typed as text: markup typed as characters is printed, never obeyed.

The narrative is stored as it is, past the editor's limits (as a text saved before them),
and the PDF built by WeasyPrint is read back with pdftotext (poppler-utils).
"""

import subprocess

import pytest

from bulletins import rendering
from tests.bulletins.factories import EditionFactory

pytestmark = pytest.mark.django_db

NESTED = "\n".join("    " * level + "- deep" for level in range(40))
HOSTILE = {
    # Plain text, not Markdown: every character printed as typed.
    "highlights": "Highlight: 1 < 2 & 3 > 2 <marquee>as typed</marquee>",
    "situation_overview": "[" * 20_000 + "opened",
    "public_health_concerns": NESTED,  # deeper than the editor allows: printed as typed
    "health_response": (
        "Response: 1 < 2 & 3 > 2, &lt;b&gt;typed&lt;/b&gt;, <marquee>moving</marquee>"
        "<script>alert('x')</script><b onclick=\"steal()\">bold</b> \u202eevil"
    ),
    "coordination": "[click](javascript:alert(1)) ![picture](file:///etc/passwd) " + "![" * 3000,
}


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "bulletin.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return result.stdout.decode()


def test_a_hostile_narrative_builds_and_its_pdf_shows_the_text_as_text(profile, figures, tmp_path):
    edition = EditionFactory(**HOSTILE)

    pdf = rendering.render_pdf(rendering.render_html(edition, figures, profile))

    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path)
    assert "Highlight: 1 < 2 & 3 > 2 <marquee>as typed</marquee>" in text
    assert "Response: 1 < 2 & 3 > 2, <b>typed</b>, moving" in text  # entities print as text
    assert "<marquee>moving" not in text  # a tag typed in Markdown is removed, its text kept
    assert "bold" in text
    assert "alert" not in text
    assert "steal" not in text
    assert "[[[[[[[[" in text
    assert "opened" in text
    assert text.count("- deep") == 40  # the list marks as typed, not 40 nested lists
    assert "click" in text
    assert "javascript" not in text
    assert "/etc/passwd" not in text
    assert "![![![![" in text
