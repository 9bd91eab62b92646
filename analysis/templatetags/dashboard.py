"""Template helpers of the dashboard pages."""

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from analysis.tables import pick
from assessments.templatetags.severity import severity_badge
from core.bilingual import wants_arabic
from core.numbers import grouped
from core.templatetags.portal import bi_fields
from partners.templatetags.disclosure import figure

register = template.Library()


@register.filter(name="pick")
def pick_filter(row, prefix: str):
    """``{% bi row|pick:"admin1__name" %}``: a row's name in the active language."""
    if not isinstance(row, dict):
        row = vars(row)
    return pick(row, prefix)


# The long tables' rows, written in Python: a tab prints up to 320 areas, or 150
# organisations by 20 areas, and a template per cell cost more than the figures' queries.
# Each writes the markup its template wrote.


@register.filter
def area_table_rows(rows, detailed: bool) -> SafeString:
    """The rows of the areas tab's table of people reached, partners and activities."""
    country = escape(_("The whole country"))
    whole_area = format_html("<em>{}</em>", _("The whole admin1 area"))
    parts, arabic = [], wants_arabic()
    for row in rows:
        admin1 = _name(row.admin1, arabic) if row.admin1 else country
        if detailed:
            admin2 = _name(row.admin2, arabic) if row.admin2 else whole_area
            parts.append(f'<tr><td>{admin1}</td><th scope="row" class="fw-normal">{admin2}</th>')
        else:
            parts.append(f'<tr><th scope="row" class="fw-normal">{admin1}</th>')
        parts.append(
            f'<td><span dir="ltr">{escape(row.pcode)}</span></td>'
            f'<td class="text-end">{figure(row.people)}</td>'
            f'<td class="text-end">{figure(row.partners)}</td>'
            f'<td class="text-end">{figure(row.activities)}</td></tr>'
        )
    return mark_safe("".join(parts))


@register.filter
def severity_table_rows(rows, detailed: bool) -> SafeString:
    """The rows of the areas tab's table of assessments and the highest severity found."""
    parts, arabic = [], wants_arabic()
    for row in rows:
        area = row["area"]
        if detailed:
            parent = _name(area.parent, arabic) if area.parent else ""
            parts.append(f"<tr><td>{parent}</td>")
        else:
            parts.append("<tr>")
        parts.append(
            f'<th scope="row" class="fw-normal">{_name(area, arabic)}</th>'
            f'<td><span dir="ltr">{escape(area.pcode)}</span></td>'
            f"<td>{severity_badge(row['severity'])}</td>"
            f'<td class="text-end">{grouped(row["assessments"])}</td></tr>'
        )
    return mark_safe("".join(parts))


@register.filter
def presence_cells(cells) -> SafeString:
    """An organisation's row of the presence matrix: its figure in each area, marked where
    it has one."""
    return mark_safe(
        "".join(
            f'<td class="text-center presence-on fw-semibold">{grouped(cell)}</td>'
            if cell
            else f'<td class="text-center text-body-secondary">{grouped(cell)}</td>'
            for cell in cells
        )
    )


def _name(area, arabic: bool) -> str:
    return bi_fields(area.name_en, area.name_ar, arabic)


BARS_SHOWN = 12


@register.filter
def area_bars(rows, detailed: bool) -> SafeString:
    """The areas with the most people reached as bars named in the page's language, each
    with its figure: HTML, so that Arabic names are shaped and read like the text around
    them. Bars are SVG rectangles sized by attribute (the CSP allows no inline style)."""
    shown = sorted(
        (row for row in rows if isinstance(row.people, int) and row.people > 0),
        key=lambda row: -row.people,
    )[:BARS_SHOWN]
    if not shown:
        return mark_safe("")
    largest, arabic = shown[0].people, wants_arabic()
    items = []
    for row in shown:
        share = 100 * row.people / largest
        items.append(
            f'<li><span class="bar-label">{_bar_name(row, detailed, arabic)}</span>'
            '<svg class="bar" viewBox="0 0 100 1" preserveAspectRatio="none" aria-hidden="true"'
            f' focusable="false"><rect width="{share:.1f}" height="1"></rect></svg>'
            f'<span class="bar-value">{grouped(row.people)}</span></li>'
        )
    return mark_safe(f'<ol class="bar-list">{"".join(items)}</ol>')


def _bar_name(row, detailed: bool, arabic: bool) -> str:
    if not detailed:
        return _name(row.admin1, arabic) if row.admin1 else escape(_("The whole country"))
    if row.admin2:
        return _name(row.admin2, arabic)
    whole = _name(row.admin1, arabic) if row.admin1 else escape(_("The whole country"))
    return format_html('{} <span class="small">({})</span>', mark_safe(whole), _("whole area"))
