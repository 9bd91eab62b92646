"""Charts written as HTML, for the dashboard and the bulletin.

Names are HTML text in the page's language, so Arabic is shaped and read like the text around
it, and every bar carries its figure beside it. Bars and columns are SVG rectangles sized by
attribute: the CSP allows no inline style, and WeasyPrint draws them the same in the PDF. Two
series are told apart by colours of the Okabe-Ito palette that colour-blind readers tell
apart, each at least 3:1 against white, and a legend; a figure the public may not see draws
no bar. Colours are the stylesheets' (``dashboard.css``, ``bulletin-print.css``).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.numbers import grouped

NO_FIGURE = "\u2013"  # an en dash where a figure is not shown; the table beside says why
BAR_FILL = "#0b3d75"  # the portal's blue; the pages' stylesheet puts the cluster's colour
# The Okabe-Ito colours of the two series, each at least 3:1 against white: vermilion (3.9:1)
# and blue (5.1:1). Written as the rectangles' fill as well as in the stylesheets, because
# WeasyPrint applies no stylesheet inside an SVG.
SERIES_FILL = {"female": "#d55e00", "male": "#0072b2"}


@dataclass(frozen=True)
class Bar:
    label: str  # HTML, escaped by the caller
    value: float | None  # None: not shown, no bar
    figure: str  # the figure as written beside the bar (HTML)
    series: str = ""  # the colour's class, for charts of more than one series


def bar_list(
    bars: Sequence[Bar], *, scale: float | None = None, fill: str = BAR_FILL
) -> SafeString:
    """Horizontal bars, each with its name and figure; ``scale`` is the value of a full bar
    (the largest value unless given, 100 for a percentage); ``fill`` the colour of a bar of
    no series."""
    values = [bar.value for bar in bars if bar.value is not None]
    full = scale or max(values, default=0)
    if not bars or not full:
        return mark_safe("")
    items = [
        f'<li><span class="bar-label">{bar.label}</span>{_bar(bar, full, fill)}'
        f'<span class="bar-value">{bar.figure}</span></li>'
        for bar in bars
    ]
    return mark_safe(f'<ol class="bar-list">{"".join(items)}</ol>')


def _bar(bar: Bar, full: float, fill: str) -> str:
    if bar.value is None:
        return '<span class="bar bar-none"></span>'
    share = max(0.0, min(100 * bar.value / full, 100))
    paint = f'class="series-{bar.series}" fill="{SERIES_FILL[bar.series]}"' if bar.series else ""
    paint = paint or f'fill="{escape(fill)}"'
    return (
        '<svg class="bar" viewBox="0 0 100 1" preserveAspectRatio="none" aria-hidden="true"'
        f' focusable="false"><rect {paint} width="{share:.1f}" height="1"></rect></svg>'
    )


def legend(entries: Sequence[tuple[str, str]]) -> SafeString:
    """The series of a chart: (series, name) pairs, names already escaped."""
    items = [
        '<li><svg class="legend-key" viewBox="0 0 1 1" aria-hidden="true" focusable="false">'
        f'<rect class="series-{series}" fill="{SERIES_FILL[series]}" width="1" height="1">'
        f"</rect></svg>{name}</li>"
        for series, name in entries
    ]
    return mark_safe(f'<ul class="chart-legend">{"".join(items)}</ul>')


@dataclass(frozen=True)
class Column:
    label: str  # plain text, escaped here
    value: float | None
    figure: str = ""  # HTML written above the column, or nothing
    note: str = ""  # plain text under the label (the year at each January)


def column_chart(
    columns: Sequence[Column], *, label_every: int = 1, fill: str = BAR_FILL
) -> SafeString:
    """Vertical columns side by side across the width, figures above and names under each
    (every ``label_every``-th). One SVG holds the columns, each in an equal slot, and a row of
    equal cells above and below holds the words, so that the page and WeasyPrint lay them out
    alike. The table beside the chart holds the same figures: it is hidden from screen readers."""
    full = max((column.value for column in columns if column.value is not None), default=0)
    if not columns or not full:
        return mark_safe("")
    rects = "".join(
        f'<rect x="{index * 10 + 2}" y="{100 - share:.1f}" width="6" height="{share:.1f}"></rect>'
        for index, column in enumerate(columns)
        if column.value is not None
        for share in [max(0.0, min(100 * column.value / full, 100))]
    )
    svg = (
        f'<svg class="columns" viewBox="0 0 {len(columns) * 10} 100" preserveAspectRatio="none"'
        f' focusable="false"><g fill="{escape(fill)}">{rects}</g></svg>'
    )
    figures = "".join(f"<td>{column.figure}</td>" for column in columns)
    labels = "".join(
        f"<td>{_column_label(column) if index % label_every == 0 else ''}</td>"
        for index, column in enumerate(columns)
    )
    return mark_safe(
        '<div class="column-chart" aria-hidden="true">'
        f'<table class="column-figures" role="presentation"><tr>{figures}</tr></table>{svg}'
        f'<table class="column-labels" role="presentation"><tr>{labels}</tr></table></div>'
    )


MONTHS_WITH_FIGURES = 12  # a figure above each column up to a year of months


def month_columns(months: Sequence[tuple], *, fill: str = BAR_FILL) -> SafeString:
    """(month, people or None) pairs as columns named by month in the active language, the
    year under the first month and each January; figures above them up to a year of months,
    a dash where a figure is not shown; beyond, every n-th month named."""
    step = -(-len(months) // MONTHS_WITH_FIGURES)  # rounded up
    columns = [
        Column(
            label=date_format(month, "M"),
            value=people,
            figure=(grouped(people) if people is not None else NO_FIGURE) if step == 1 else "",
            note=str(month.year) if index == 0 or month.month == 1 else "",
        )
        for index, (month, people) in enumerate(months)
    ]
    return column_chart(columns, label_every=step, fill=fill)


def _column_label(column: Column) -> str:
    note = f'<span class="column-note">{escape(column.note)}</span>' if column.note else ""
    return f"{escape(column.label)}{note}"
