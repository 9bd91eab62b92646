"""A public figure as a page shows it: the number, or why it is not shown."""

from django import template
from django.utils.html import format_html

from core.numbers import grouped
from partners.disclosure import Withheld, rule_text

register = template.Library()


@register.filter
def figure(value):
    """``{{ row.people|figure }}``: the number with its thousands separators, or, for a
    figure the disclosure policy does not let the public see, the reason in its place."""
    if isinstance(value, Withheld):
        return format_html(
            '<span class="figure-withheld" data-withheld="{}">{}</span>', value.reason, value
        )
    return grouped(value)


@register.filter
def withheld(value) -> bool:
    return isinstance(value, Withheld)


@register.filter
def reason(value: str) -> str:
    """A stored reason ("small" or "withheld", as a bulletin's snapshot keeps it) in words."""
    return str(Withheld(value))


@register.simple_tag
def disclosure_rule() -> str:
    """The rule in a sentence, under a table with figures not shown."""
    return rule_text()
