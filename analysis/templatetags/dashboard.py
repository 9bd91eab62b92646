"""Template helpers of the dashboard pages."""

from django import template

from analysis.tables import pick

register = template.Library()


@register.filter(name="pick")
def pick_filter(row, prefix: str):
    """``{% bi row|pick:"admin1__name" %}``: a row's name in the active language."""
    if not isinstance(row, dict):
        row = vars(row)
    return pick(row, prefix)
