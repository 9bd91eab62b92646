"""Markdown written by coordinators, turned into HTML that is safe to show to everybody.

markdown-it-py (CommonMark, with tables) makes the HTML; nh3 then keeps only an explicit
allowlist of tags and attributes. Raw HTML typed into the Markdown goes through the same
cleaning, so no script, style, event handler or ``javascript:`` link survives. The page's
own ``<h1>`` is its title, so Markdown headings start at ``<h2>``.

No text can be used against the server:

- markdown-it-py's work grows with the length of the text (python-markdown's grew with its
  square on "[", and recursed once per nested list marker), and its nesting is capped;
- a Markdown field is saved only within ``MAX_LENGTH`` characters and ``MAX_DEPTH`` levels of
  lists and quotes inside one another (``check_markdown``, the form field of every
  ``MarkdownTextField``), with a message that names the limit;
- a text stored before those limits that is longer than ``RENDER_MAX_LENGTH`` or nested
  deeper than ``MAX_DEPTH``, or that the parser fails on, is shown as plain paragraphs,
  every word of it, escaped;
- the HTML is cached under a hash of the text and of the renderer (``render_markdown``), so a
  text is rendered once, not on every request; a published bulletin's text, which never
  changes, is rendered once for its page and its PDF;
- the parser runs at the bottom of a thread of its own (``_parse``), where its recursion
  never crosses a block of CPython's frame stack (below).
"""

import hashlib
import logging
import re
import threading
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

import markdown_it
import nh3
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import number_format
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from markdown_it import MarkdownIt
from markdown_it.token import Token

from core.errors import reading_input
from core.inputs import TextField

logger = logging.getLogger(__name__)

TAGS = {
    "h2", "h3", "h4", "p", "ul", "ol", "li", "a", "strong", "em", "code", "pre",
    "blockquote", "table", "thead", "tbody", "tr", "th", "td", "img", "br", "hr",
}  # fmt: skip
ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt"}}
LINK_SCHEMES = {"http", "https", "mailto"}
# Markdown's "#" would make a second <h1>; "#####" and "######" have no place below <h4>.
HEADING_SHIFT = {"1": "2", "5": "4", "6": "4"}
_HEADING = re.compile(r"<(/?)h([156])(\s[^>]*)?>")

MAX_LENGTH = 20_000  # characters of a Markdown text, checked when it is saved
MAX_DEPTH = 10  # lists and quotes inside one another, checked when it is saved
# Texts saved before the limits: longer than this, they are shown as plain paragraphs.
RENDER_MAX_LENGTH = 2 * MAX_LENGTH
# markdown-it counts a level for a list, another for its item, one for a quote: room for
# lists one deeper than MAX_DEPTH, so that such a text is seen to be too deep.
PARSER_MAX_NESTING = 2 * (MAX_DEPTH + 2)
# Part of the cache key: raise it when the HTML made of the same text changes (the allowlist,
# the heading shift, the link rules).
RENDERER_VERSION = 1
CACHE_SECONDS = 7 * 24 * 3600

_LISTS_AND_QUOTES = {"bullet_list", "ordered_list", "blockquote"}

TOO_LONG = _("This text has %(length)s characters; a text may have at most %(limit)s. Shorten it.")
TOO_DEEP = _(
    "Lists and quotes may be put inside one another at most %(limit)s levels deep; this text "
    "goes deeper. Remove some of the indentation or of the “-”, “*”, “1.” and “>” marks at "
    "the start of its lines."
)


class _Parser(MarkdownIt):
    """CommonMark with tables and raw HTML, both cleaned by nh3 afterwards."""

    def __init__(self) -> None:
        super().__init__("commonmark", {"html": True, "maxNesting": PARSER_MAX_NESTING})
        self.enable("table")

    def validateLink(self, url: str) -> bool:
        # Every address is judged by _keep_attribute below: a refused link keeps its text.
        return True


_PARSER = _Parser()


def _parse(text: str) -> list[Token]:
    """The parser's tokens for the text, parsed at the bottom of a new thread's stack.

    CPython 3.11 and 3.12 map and unmap a block of their frame stack whenever a call crosses
    from one block into the next (gh-142183, fixed in later 3.13 and 3.14 releases). Link
    openers ("[" or "![" runs) make the parser recurse a few levels some 25 times per
    character: when a request happened to start it at a block's edge, 20,000 of them took 8
    to 16 s instead of 0.2 s. A new thread's stack starts a block, and the parser's recursion
    (capped by ``PARSER_MAX_NESTING``) stays in it.
    """
    outcome: dict = {}

    def parse() -> None:
        try:
            outcome["tokens"] = _PARSER.parse(text)
        except BaseException as error:  # handed to the caller's thread, raised there
            outcome["error"] = error

    thread = threading.Thread(target=parse, name="markdown-parser")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["tokens"]


def _is_relative(url: str) -> bool:
    """A path on this site. Browsers read a backslash as a slash, so "/\\host" is refused,
    percent-encoded or not."""
    if any(char == "\\" or ord(char) < 32 for char in url + unquote(url)):
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


def _clean(html: str) -> str:
    return nh3.clean(
        _shift_headings(html),
        tags=TAGS,
        clean_content_tags={"script", "style"},
        attributes=ATTRIBUTES,
        attribute_filter=_keep_attribute,
        url_schemes=LINK_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def nesting_depth(tokens: Iterable[Token]) -> int:
    """How many lists and quotes the deepest line of the parsed text is inside."""
    depth = deepest = 0
    for token in tokens:
        kind = token.type.rsplit("_", 1)[0]
        if kind in _LISTS_AND_QUOTES:
            depth += token.nesting
            deepest = max(deepest, depth)
    return deepest


def check_markdown(text: str) -> None:
    """Refuse a text beyond the limits, naming the limit (a form field's validator)."""
    if len(text) > MAX_LENGTH:
        raise ValidationError(
            TOO_LONG,
            code="markdown_too_long",
            params={
                "length": number_format(len(text), force_grouping=True),
                "limit": number_format(MAX_LENGTH, force_grouping=True),
            },
        )
    with reading_input(_("the Markdown text")):
        tokens = _parse(text)
    if nesting_depth(tokens) > MAX_DEPTH:
        raise ValidationError(
            TOO_DEEP, code="markdown_too_deep", params={"limit": number_format(MAX_DEPTH)}
        )


def _plain(text: str) -> str:
    """The text as escaped paragraphs: for texts the limits would refuse today."""
    return linebreaks(text, autoescape=True)


def _markdown(text: str) -> str:
    if len(text) > RENDER_MAX_LENGTH:
        return _plain(text)
    try:
        tokens = _parse(text)
        if nesting_depth(tokens) > MAX_DEPTH:
            return _plain(text)
        # Without the newline after the last block, as python-markdown wrote it.
        return _PARSER.renderer.render(tokens, _PARSER.options, {}).rstrip("\n")
    except Exception:
        # A stored text is not this request's input: its reader sees it unformatted.
        logger.exception("Markdown could not be rendered; the text is shown as plain text.")
        return _plain(text)


def markdown_to_html(text: str) -> str:
    """The sanitised HTML of a text, made afresh (``render_markdown`` caches it)."""
    return _clean(_markdown(text))


def _cache_key(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return f"markdown:{RENDERER_VERSION}:{markdown_it.__version__}:{nh3.__version__}:{digest}"


def render_markdown(text: str | None) -> SafeString:
    """Markdown (with tables) as sanitised HTML, ready for a template; from the cache when
    the same text was rendered before."""
    if not text:
        return mark_safe("")
    key = _cache_key(text)
    html = cache.get(key)
    if html is None:
        html = markdown_to_html(text)
        cache.set(key, html, CACHE_SECONDS)
    return mark_safe(html)  # cleaned by nh3 with the allowlist above


class MarkdownField(TextField):
    """A form's Markdown text, refused beyond the limits."""

    default_validators = [check_markdown]


class MarkdownTextField(models.TextField):
    """A text column holding Markdown: every model form of it checks the limits.

    Migrations record a plain TextField, which the column is, so that none of them depends on
    this module.
    """

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": MarkdownField, **kwargs})

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.TextField", args, kwargs
