"""Template helpers shared by every page."""

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.html import escape, format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.bilingual import BilingualText
from core.icons import icon_svg
from core.numbers import grouped

register = template.Library()


@register.simple_tag
def bi(text) -> str:
    """Render bilingual text, marking an English fallback on an Arabic page."""
    if isinstance(text, BilingualText) and text.is_fallback:
        return format_html(FALLBACK, text, _("in English"))
    return format_html("{}", text)


FALLBACK = '<span lang="en" dir="ltr">{}</span> <small class="text-body-secondary">({})</small>'


def bi_fields(english: str, arabic: str, on_arabic_page: bool) -> str:
    """``bi``'s markup for a record's two fields, as escaped HTML, the page's language
    read once by the caller: for tables that print hundreds of names."""
    if not on_arabic_page:
        return escape(english)
    if arabic:
        return escape(arabic)
    return FALLBACK.format(escape(english), escape(_("in English"))) if english else ""


@register.filter(name="markdown")
def markdown_filter(text) -> str:
    """Coordinator-written Markdown as sanitised HTML: ``{{ page.body|markdown }}``."""
    from core.markdown import render_markdown

    return render_markdown(str(text) if text is not None else "")


@register.filter
def get_item(mapping, key):
    """``{{ mapping|get_item:key }}``: a dictionary's value, or None."""
    return mapping.get(key) if mapping else None


@register.filter(name="grouped")
def grouped_filter(value) -> str:
    """``{{ row.people|grouped }}``: ``intcomma``'s text, written fast (``core.numbers``)."""
    return grouped(value)


@register.simple_tag
def icon(name: str):
    """``{% icon "calendar-event" %}``: one of the portal's icons, inline (``core.icons``)."""
    return icon_svg(name)


@register.simple_tag
def form_field(field):
    """A field with its label, help text and errors (``core.fields``)."""
    from core.fields import render_field

    return render_field(field)


# Partials that print only links and their labels, written once per language and URL prefix
# and kept for the life of the process: the navigation's menus and the footer's links, which
# every signed-in page wrote afresh (their URLs and translations never change while it runs).
_fixed: dict[tuple[str, str, str], str] = {}


@register.simple_tag
def fixed_include(name: str) -> str:
    """``{% fixed_include "partials/nav_public.html" %}``: a partial that reads nothing from
    the page's context, as written the first time in this language."""
    key = (name, get_language(), get_script_prefix())
    html = _fixed.get(key)
    if html is None:
        html = _fixed[key] = render_to_string(name)  # safe: a template writes it
    return html


@receiver(setting_changed)
def _forget_fixed(**kwargs) -> None:
    """Tests that change the URLs or the languages read the partials anew."""
    _fixed.clear()
