"""A completeness row's cells, rendered in Python: the page has one cell per organisation and
period (1,800 at 150 organisations), and a template with a ``{% url %}`` per cell spent most
of the page's 220 ms reversing the same URL."""

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from activities.selectors import STATE_LABELS, StateCell

register = template.Library()

# A report number no report has: reversed once per row, then replaced by each cell's.
_PLACEHOLDER = 2_147_483_647


@register.filter
def state_cells(cells: list[StateCell]) -> SafeString:
    """One ``<td>`` per cell: the state's symbol (hidden from screen readers) and its label,
    a link to the report when there is one. Each label is escaped once, not once per cell."""
    url = escape(reverse("activities:report", args=[_PLACEHOLDER]))
    shown = {
        state: (f'<span aria-hidden="true">{escape(symbol)}</span> ', escape(str(label)))
        for state, (symbol, label) in STATE_LABELS.items()
    }
    return mark_safe("".join(_cell(cell, shown, url) for cell in cells))


def _cell(cell: StateCell, shown: dict[str, tuple[str, str]], url: str) -> str:
    symbol, label = shown[cell.state]
    if cell.report_id is None:
        return f"<td>{symbol}{label}</td>"
    href = url.replace(str(_PLACEHOLDER), str(int(cell.report_id)))
    return f'<td>{symbol}<a href="{href}">{label}</a></td>'
