"""A caseloads row's cells, rendered in Python: at admin2 the page has 300 districts by five
groups, 3,000 inputs, and the template spent half a second on their bound fields' tags."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def caseload_cells(area, cells, *, can_edit: bool, show_errors: bool, suggestion) -> SafeString:
    """Each group's in-need and targeted cells: inputs for those who edit the plan, the
    figures for the others. The first in-need input carries the assessments' suggestion."""
    if not can_edit:
        return mark_safe(
            "".join(f"<td>{_figure(pin)}</td><td>{_figure(tgt)}</td>" for _g, pin, tgt in cells)
        )
    hint = ""
    if suggestion:
        text = gettext("Suggested: %(figure)s") % {"figure": intcomma(suggestion)}
        hint = f'<span class="small text-body-secondary">{escape(text)}</span>'
    html = []
    for n, (group, pin, tgt) in enumerate(cells):
        html.append(_input(pin, area, group, "pin", show_errors, hint if n == 0 else ""))
        html.append(_input(tgt, area, group, "tgt", show_errors, ""))
    return mark_safe("".join(html))


def _figure(bound) -> str:
    value = bound.value()
    return "" if value is None else escape(intcomma(value))


def _input(bound, area, group: str, column: str, show_errors: bool, hint: str) -> str:
    value = bound.value()
    errors = bound.errors if show_errors else []
    invalid = " is-invalid" if errors else ""
    feedback = "".join(f'<div class="invalid-feedback">{escape(error)}</div>' for error in errors)
    return (
        f'<td><input type="text" inputmode="numeric" class="form-control form-control-sm'
        f'{invalid}" name="{escape(bound.html_name)}" id="{escape(bound.auto_id)}" '
        f'value="{"" if value is None else escape(value)}" aria-labelledby="area-{area.pk} '
        f'grp-{escape(group)} {column}-{escape(group)}">{hint}{feedback}</td>'
    )
