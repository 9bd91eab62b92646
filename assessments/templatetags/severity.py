"""A severity of needs as people read it, on every page that shows one."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

register = template.Library()

# Bootstrap's text-bg-* classes pair each background with a text colour that meets AA; the
# words say the severity, the colour only repeats it.
BADGES = {
    1: ("badge text-bg-light border border-secondary", _("Minimal")),
    2: ("badge text-bg-info", _("Stressed")),
    3: ("badge text-bg-warning", _("Severe")),
    4: ("badge text-bg-danger", _("Extreme")),
    5: ("badge text-bg-dark", _("Catastrophic")),
}


@register.filter
def severity_badge(severity) -> str:
    """``{{ row.severity|severity_badge }}``: a severity (1 to 5) as a badge in words, or "No
    findings". A filter rather than an included template: the areas tab prints hundreds,
    and the includes were a quarter of its rendering."""
    if severity not in BADGES:
        return format_html('<span class="text-body-secondary">{}</span>', _("No findings"))
    classes, words = BADGES[severity]
    return format_html('<span class="{}">{} \u2013 {}</span>', classes, severity, words)
