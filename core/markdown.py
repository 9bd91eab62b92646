"""Markdown written by coordinators, turned into HTML that is safe to show to everybody.

python-markdown makes the HTML; nh3 then keeps only an explicit allowlist of tags and
attributes. Raw HTML typed into the Markdown goes through the same cleaning, so no script,
style, event handler or ``javascript:`` link survives. The page's own ``<h1>`` is its title,
so Markdown headings start at ``<h2>``.
"""

import re
from urllib.parse import urlsplit

import markdown as python_markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

TAGS = {
    "h2", "h3", "h4", "p", "ul", "ol", "li", "a", "strong", "em", "code", "pre",
    "blockquote", "table", "thead", "tbody", "tr", "th", "td", "img", "br", "hr",
}  # fmt: skip
ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt"}}
LINK_SCHEMES = {"http", "https", "mailto"}
# Markdown's "#" would make a second <h1>; "#####" and "######" have no place below <h4>.
HEADING_SHIFT = {"1": "2", "5": "4", "6": "4"}
_HEADING = re.compile(r"<(/?)h([156])(\s[^>]*)?>")


def _is_relative(url: str) -> bool:
    """A path on this site. Browsers read a backslash as a slash, so "/\\host" is refused."""
    if "\\" in url or any(ord(char) < 32 for char in url):
        return False
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and not url.startswith("//")


def _keep_attribute(element: str, attribute: str, value: str) -> str | None:
    """Links may go to the web, to an address or within the site; images only within it."""
    value = value.strip()
    if element == "a" and attribute == "href":
        scheme = urlsplit(value).scheme.lower()
        return value if (scheme in LINK_SCHEMES or _is_relative(value)) else None
    if element == "img" and attribute == "src":
        return value if _is_relative(value) else None
    return value


def _shift_headings(html: str) -> str:
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{HEADING_SHIFT[m.group(2)]}>", html)


def render_markdown(text: str | None) -> SafeString:
    """Markdown (with tables and sane lists) as sanitised HTML, ready for a template."""
    if not text:
        return mark_safe("")
    html = python_markdown.markdown(text, extensions=["tables", "sane_lists"])
    cleaned = nh3.clean(
        _shift_headings(html),
        tags=TAGS,
        clean_content_tags={"script", "style"},
        attributes=ATTRIBUTES,
        attribute_filter=_keep_attribute,
        url_schemes=LINK_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return mark_safe(cleaned)  # cleaned by nh3 with the allowlist above
