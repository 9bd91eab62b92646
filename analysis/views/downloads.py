"""The dashboard's tables as CSV files and its charts as SVG images, with the page's filters.

A chart is served as an image, never inlined, so that the page's strict CSP holds (no inline
style) and Arabic words stay in the HTML around it. The SVG document itself carries
matplotlib's ``style`` attributes, which its own response allows, and nothing else.
"""

from collections.abc import Callable

from csp.decorators import csp_update
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from analysis import public, selectors, tables
from analysis.charts import bars_svg, months_svg
from analysis.forms import GapRulesForm
from analysis.selectors import Filters
from analysis.tables import TABLES, Access, Scope
from analysis.views.common import check_access, read_filters
from core.exports import stream_csv

# The page that shows each table, where a download with filters it cannot use sends the user.
PAGE_OF_TABLE = {
    "indicators": "analysis:overview",
    "months": "analysis:overview",
    "areas": "analysis:areas",
    "severity": "analysis:areas",
    "sex-age": "analysis:people",
    "organisations": "analysis:people",
    "presence": "analysis:presence",
    "gaps": "analysis:gaps",
    "overlaps": "analysis:overlaps",
    "funding-areas": "analysis:funding",
    "funding-types": "analysis:funding",
    "funding-objectives": "analysis:funding",
    "coverage": "analysis:coverage",
}
# Tables whose rows depend on the strategy cycle.
NEEDS_CYCLE = {"indicators"}
CHART_MAX_AGE = 300


@require_safe
def table_csv(request: HttpRequest, table: str) -> HttpResponse:
    """A table of the dashboard as CSV, with the filters in the query string."""
    spec = TABLES.get(table)
    if spec is None:
        raise Http404
    if spec.access > Access.PUBLIC and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    check_access(request, spec.access)
    dashboard = read_filters(request)
    rules_form = GapRulesForm(request.GET)
    invalid_rules = table == "gaps" and rules_form.is_bound and not rules_form.is_valid()
    if (dashboard.form.is_bound and not dashboard.form.is_valid()) or invalid_rules:
        # The page says what is wrong with the filters, rather than a file without them.
        return redirect(f"{dashboard_page(table)}?{request.GET.urlencode()}")
    filters = dashboard.filters
    scope = Scope(
        filters=filters,
        rules=rules_form.rules(),
        cycle=selectors.cycle_for(filters.last_month) if table in NEEDS_CYCLE else None,
    )
    rows, columns = spec.export(scope)
    return stream_csv(rows, columns, filename=csv_filename(table, filters))


def dashboard_page(table: str) -> str:
    return reverse(PAGE_OF_TABLE[table])


def csv_filename(table: str, filters: Filters) -> str:
    if table == "gaps":
        return f"health-cluster-gaps-{timezone.localdate():%Y-%m-%d}.csv"
    scope = "-admin2" if filters.detailed and table in ("areas", "severity") else ""
    months = f"{filters.first_month:%Y-%m}-to-{filters.last_month:%Y-%m}"
    return f"health-cluster-{table}{scope}-{months}.csv"


# --- charts -----------------------------------------------------------------------------------


def _latin(labels: list[str]) -> list[str]:
    """Labels drawn in the SVG: codes in ASCII only; any other is replaced by its number."""
    return [
        label if label and label.isascii() else str(number)
        for number, label in enumerate(labels, start=1)
    ]


# A figure the public may not see has no bar (None); the table beside the chart says why.


def _months_chart(filters: Filters) -> str:
    rows = tables.month_rows(filters)
    return months_svg(
        public.shown(row["people"] for row in rows), months=[row["month"] for row in rows]
    )


def _indicators_chart(filters: Filters) -> str:
    rows = [
        row
        for row in tables.indicator_rows(filters, selectors.cycle_for(filters.last_month))
        if row.uses_share
    ]
    return bars_svg(
        [None if row.withheld else row.shown_percent or 0 for row in rows],
        labels=_latin([row.indicator.code for row in rows]),
        horizontal=True,
        limit=100,
    )


def _areas_chart(filters: Filters) -> str:
    rows = tables.area_rows(filters)
    return bars_svg(
        public.shown(row.people for row in rows),
        labels=_latin([row.pcode for row in rows]),
        horizontal=True,
    )


def _sex_and_age_chart(filters: Filters) -> str:
    figures = tables.sex_and_age(filters)
    return bars_svg(
        public.shown(people for _number, _label, people in figures.groups),
        labels=[str(number) for number, _label, _people in figures.groups],
    )


CHARTS: dict[str, Callable[[Filters], str]] = {
    "months": _months_chart,
    "indicators": _indicators_chart,
    "areas": _areas_chart,
    "sex-age": _sex_and_age_chart,
}


@csp_update({"style-src-attr": ["'unsafe-inline'"]})
@require_safe
def chart(request: HttpRequest, name: str) -> HttpResponse:
    """A chart as an SVG image; filters it cannot use give the chart of the default filters."""
    draw = CHARTS.get(name)
    if draw is None:
        raise Http404
    dashboard = read_filters(request)
    response = HttpResponse(draw(dashboard.filters), content_type="image/svg+xml")
    # The public's charts are the same for every visitor; a member's may show admin2 areas.
    scope = "private" if dashboard.access > Access.PUBLIC else "public"
    response["Cache-Control"] = f"{scope}, max-age={CHART_MAX_AGE}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
