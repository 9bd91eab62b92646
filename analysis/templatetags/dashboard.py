"""Template helpers of the dashboard pages."""

from django import template
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from analysis import bars, funding
from analysis.bars import NO_FIGURE, Bar, Column, bar_list, column_chart, legend
from analysis.maps import per_head, write_rate
from analysis.tables import SEX_AND_AGE_GROUPS, pick
from assessments.templatetags.severity import severity_badge
from core.bilingual import wants_arabic
from core.numbers import grouped
from core.templatetags.portal import bi_fields
from partners.disclosure import Withheld
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


@register.simple_tag
def area_table_rows(rows, detailed: bool, population=None) -> SafeString:
    """The rows of the areas tab's table of people reached, partners and activities, and
    with ``population`` (by area id) the population and people reached per 10,000."""
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
        )
        if population:
            parts.append(_population_cells(row, population))
        parts.append(
            f'<td class="text-end">{figure(row.partners)}</td>'
            f'<td class="text-end">{figure(row.activities)}</td></tr>'
        )
    return mark_safe("".join(parts))


def _population_cells(row, population: dict) -> str:
    # The figures are of the table's level: a whole-admin1 line of an admin2 table has none.
    area = row.admin2 or row.admin1
    known = population.get(area.pk) if area is not None else None
    if known is None:
        return f'<td class="text-end">{NO_FIGURE}</td><td class="text-end">{NO_FIGURE}</td>'
    rate = per_head(row.people, known)
    year = f'<span class="small">({known.year})</span>'
    return (
        f'<td class="text-end">{grouped(known.total)} {year}</td>'
        f'<td class="text-end">{write_rate(rate) if rate is not None else NO_FIGURE}</td>'
    )


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
FEMALE, MALE = "female", "male"
SEX_OF_GROUP = {"girls": FEMALE, "boys": MALE, "women": FEMALE, "men": MALE}


@register.filter
def area_bars(rows, detailed: bool) -> SafeString:
    """The areas with the most people reached as bars named in the page's language, each
    with its figure (``analysis.bars``)."""
    shown = sorted(
        (row for row in rows if isinstance(row.people, int) and row.people > 0),
        key=lambda row: -row.people,
    )[:BARS_SHOWN]
    arabic = wants_arabic()
    return bar_list(
        [Bar(_bar_name(row, detailed, arabic), row.people, grouped(row.people)) for row in shown]
    )


@register.filter
def month_columns(rows) -> SafeString:
    """People reached month by month as columns (``analysis.bars.month_columns``)."""
    return bars.month_columns(
        [(row["month"], row["people"] if isinstance(row["people"], int) else None) for row in rows]
    )


@register.filter
def month_panel(rows) -> SafeString:
    """One indicator's months as small columns, the first and last month named."""
    columns = [
        Column(
            label=date_format(row["month"], "M"),
            value=row["people"] if isinstance(row["people"], int) else None,
            note=str(row["month"].year) if index in (0, len(rows) - 1) else "",
        )
        for index, row in enumerate(rows)
    ]
    return column_chart(columns, label_every=max(len(columns) - 1, 1))


@register.filter
def months_total(rows) -> str:
    """The people reached over the months, or a dash when a month is not shown."""
    people = [row["people"] for row in rows]
    if not all(isinstance(value, int) for value in people):
        return NO_FIGURE
    return grouped(sum(people))


@register.filter
def sex_age_bars(figures) -> SafeString:
    """Girls, boys, women and men as bars coloured by sex, with a legend."""
    names = [name for name, _label in SEX_AND_AGE_GROUPS]
    bars = [
        Bar(
            escape(label),
            people if isinstance(people, int) else None,
            grouped(people) if isinstance(people, int) else NO_FIGURE,
            SEX_OF_GROUP[name],
        )
        for name, (_number, label, people) in zip(names, figures.groups, strict=True)
    ]
    chart = bar_list(bars)
    if not chart:
        return chart
    return legend([(FEMALE, escape(_("Female"))), (MALE, escape(_("Male")))]) + chart


def _bar_name(row, detailed: bool, arabic: bool) -> str:
    if not detailed:
        return _name(row.admin1, arabic) if row.admin1 else escape(_("The whole country"))
    if row.admin2:
        return _name(row.admin2, arabic)
    whole = _name(row.admin1, arabic) if row.admin1 else escape(_("The whole country"))
    return format_html('{} <span class="small">({})</span>', mark_safe(whole), _("whole area"))


@register.simple_tag
def facility_cells(row, statuses: dict) -> SafeString:
    """A row of the facilities tables: its count of each status, in the columns' order."""
    return mark_safe(
        "".join(f'<td class="text-end">{grouped(row.count(key))}</td>' for key in statuses)
    )


@register.filter
def usd_millions(value):
    """``{{ row.required|usd_millions }}``: "US$ 28.2 M", or why the public may not see
    the figure."""
    if isinstance(value, Withheld):
        return figure(value)
    return funding.usd_millions(value)


@register.filter
def millions(value) -> str:
    """``{{ row.received|millions }}``: "15.1", the amount in millions of US dollars."""
    return funding.millions(value)


@register.filter
def funding_bars(rows) -> SafeString:
    """Each group's share funded as a bar (a full bar at 100 %), with the amounts beside it;
    ``rows`` are ``analysis.funding.FundingRow`` whose key the page names."""
    items = []
    for row in rows:
        if row.key is None:
            label = escape(_("Not broken down"))
        elif isinstance(row.key, str):
            label = escape(funding.type_label(row.key))
        else:
            label = format_html('<span dir="ltr">{}</span> {}', row.key.code, row.key.title)
        text = _("%(percent)s%% of %(required)s") % {
            "percent": row.percent if row.percent is not None else 0,
            "required": funding.usd_millions(row.required),
        }
        items.append(bars.Bar(label, min(row.percent or 0, 100), escape(text)))
    return bars.bar_list(items, scale=100)


@register.filter
def organisation_type(code: str) -> str:
    return funding.type_label(code)


class KeptNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context) -> str:
        kept = context.get("kept")
        if kept is not None and kept.html is not None:
            return kept.html
        html = self.nodelist.render(context)
        if kept is not None:
            kept.store(html)
        return html


@register.tag
def kept(parser, token):
    """``{% kept %}…{% endkept %}``: the content a tab found kept (``analysis.fragments``),
    or the content written now, then kept."""
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(nodelist)
