"""The dashboard pages: one selector call per table, the filters shared through the query string.

Everyone sees the overview, the areas (admin1; admin2 for members), the people reached, the
health facilities, the attacks, the funding (the total and admin1 areas for the public) and
the coverage against targets (admin1 for the public);
members of approved organisations and coordinators also see the figures by organisation, the
funding by type of organisation and objective, and the presence matrix; coordinators the gaps
and the overlaps.
"""

from collections.abc import Callable
from urllib.parse import parse_qsl

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from analysis import bars, coverage, facilities, maps, public, selectors, tables
from analysis.coordination import GapRules, gaps, overlap_places, presence
from analysis.forms import GapRulesForm
from analysis.fragments import kept_content
from analysis.tables import TABLES, Access
from analysis.views.common import (
    Dashboard,
    members_required,
    read_filters,
    tabs,
)
from core.decorators import coordinator_required
from core.inputs import query_int
from core.numbers import grouped
from partners.disclosure import sees_facilities
from strategy.models import latest_max_age

CHARTS = ("months", "indicators", "areas", "sex-age")


def _render(
    request: HttpRequest,
    template: str,
    dashboard: Dashboard,
    current: str,
    build: Callable[[], dict],
    vary: tuple = (),
) -> HttpResponse:
    """The tab, its content as kept (``analysis.fragments``) or written from ``build()``."""
    kept = kept_content(request, template, dashboard, vary)
    if kept is not None and kept.html is not None:
        return render(request, template, {"kept": kept})
    context = build()
    context.update(
        {
            "kept": kept,
            "dashboard": dashboard,
            "form": dashboard.form,
            "tabs": tabs(dashboard, current),
            "csv": {
                slug.replace("-", "_"): dashboard.url("analysis:csv", slug)
                for slug, table in TABLES.items()
                if dashboard.access >= table.access
            },
            "charts": {
                name.replace("-", "_"): dashboard.url("analysis:chart", name) for name in CHARTS
            },
            "filters": dashboard.filters,
            # Some public figure is not shown: the page says why (``partners.disclosure``).
            "withheld": dashboard.access == Access.PUBLIC and public.withheld_in(*context.values()),
        }
    )
    return render(request, template, context)


@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    """Key figures, indicators reached against target and people reached by month."""
    dashboard = read_filters(request)
    return _render(
        request,
        "analysis/overview.html",
        dashboard,
        "analysis:overview",
        lambda: overview_context(dashboard),
    )


def overview_context(dashboard: Dashboard) -> dict:
    filters = dashboard.filters
    cycle = selectors.cycle_for(filters.last_month)
    return {
        "key": tables.key_figures(filters),
        "headline": tables.headline(filters, cycle),
        "assessments": selectors.assessments_in_range(filters).count(),
        "cycle": cycle,
        "indicators": tables.indicator_rows(filters, cycle),
        "months": tables.month_rows(filters),
    }


@require_safe
def areas(request: HttpRequest) -> HttpResponse:
    """By area: people reached, partners, activities; assessments and their highest severity."""
    dashboard = read_filters(request)
    return _render(
        request,
        "analysis/areas.html",
        dashboard,
        "analysis:areas",
        lambda: areas_context(dashboard),
    )


def areas_context(dashboard: Dashboard) -> dict:
    filters = dashboard.filters
    rows, severity = tables.area_rows(filters), tables.severity_rows(filters)
    population = maps.populations(2 if filters.detailed else 1, filters.last_month.year)
    return {
        "areas": rows,
        "severity": severity,
        "population": population,
        "maps": maps.area_maps(filters, rows, severity, _gap_areas(dashboard), population),
    }


def _gap_areas(dashboard: Dashboard) -> set[int] | None:
    """The areas hatched as gaps on the severity map: for coordinators by admin2, for the
    public by admin1 as a bulletin prints them; none on a member's admin2 map, which would
    need the restricted assessments coordinators see."""
    filters = dashboard.filters
    if dashboard.is_coordinator:
        found = gaps(GapRules.default(), area=filters.area)
    elif not filters.detailed:
        found = gaps(GapRules.default(), public=True, area=filters.area)
    else:
        return None
    level = 2 if filters.detailed else 1
    return maps.gap_area_ids(found, maps.basemap(level, filters.area.path if filters.area else ""))


@require_safe
def people(request: HttpRequest) -> HttpResponse:
    """By sex and age for everyone; by organisation for members and coordinators."""
    dashboard = read_filters(request)
    return _render(
        request,
        "analysis/people.html",
        dashboard,
        "analysis:people",
        lambda: people_context(dashboard),
    )


def people_context(dashboard: Dashboard) -> dict:
    return {
        "sex_and_age": tables.sex_and_age(dashboard.filters),
        "months_by_indicator": tables.months_by_indicator(dashboard.filters),
        "organisations": (
            selectors.by_organisation(dashboard.filters)
            if dashboard.access >= Access.MEMBERS
            else None
        ),
    }


@members_required
@require_safe
def presence_page(request: HttpRequest) -> HttpResponse:
    """Who works where: organisations by areas, printable."""
    dashboard = read_filters(request)
    return _render(
        request,
        "analysis/presence.html",
        dashboard,
        "analysis:presence",
        lambda: {"matrix": presence(dashboard.filters)},
    )


@coordinator_required
@require_safe
def gaps_page(request: HttpRequest) -> HttpResponse:
    """Severe needs without a recent response, most people in need first; and the areas
    furthest from their target of people (``analysis.coverage.coverage_gaps``)."""
    dashboard = read_filters(request)
    return _render(
        request,
        "analysis/gaps.html",
        dashboard,
        "analysis:gaps",
        lambda: gaps_context(dashboard, GapRulesForm(request.GET)),
    )


def gaps_context(dashboard: Dashboard, rules_form: GapRulesForm) -> dict:
    rules = rules_form.rules()
    found = gaps(rules, area=dashboard.filters.area)
    severity = tables.severity_rows(dashboard.filters)
    return {
        "maps": maps.gaps_map(dashboard.filters, severity, found),
        "coverage_gaps": coverage.coverage_gaps(
            coverage.coverage(dashboard.filters, with_funding=False)
        ),
        "coverage_threshold": coverage.GAP_THRESHOLD,
        "rules_form": rules_form,
        "rules": rules,
        "groups": tables.gap_groups(found[: tables.GAPS_SHOWN]),
        "count": len(found),
        "shown": tables.GAPS_SHOWN,
        # The dashboard's filters ride along in the gap form, so the other tabs keep them.
        "carried": parse_qsl(dashboard.query),
        "gaps_csv": reverse("analysis:csv", args=["gaps"])
        + "?"
        + urlencode(
            [
                *parse_qsl(dashboard.query),
                ("severity", rules.severity),
                ("recent_months", rules.months),
            ]
        ),
    }


@coordinator_required
@require_safe
def overlaps_page(request: HttpRequest) -> HttpResponse:
    """The same activity, area and month from two or more implementing organisations."""
    dashboard = read_filters(request)
    number = query_int(request.GET, "page", minimum=1)
    return _render(
        request,
        "analysis/overlaps.html",
        dashboard,
        "analysis:overlaps",
        lambda: overlaps_context(dashboard, number),
    )


def overlaps_context(dashboard: Dashboard, number: int | None) -> dict:
    count, page = tables.overlap_page(dashboard.filters, number)
    _count, places = overlap_places(dashboard.filters)
    return {
        "count": count,
        "page_obj": page,
        "places": page.object_list,
        "maps": maps.overlaps_map(dashboard.filters, places) if count else [],
    }


@require_safe
def facilities_page(request: HttpRequest) -> HttpResponse:
    """Health facilities functioning by type, area and month; one by one for members (and
    for the public where the deployment publishes facilities' locations)."""
    dashboard = read_filters(request)
    one_by_one = sees_facilities(request.user)
    return _render(
        request,
        "analysis/facilities.html",
        dashboard,
        "analysis:facilities",
        lambda: facilities_context(dashboard, one_by_one),
        vary=(one_by_one,),
    )


def facilities_context(dashboard: Dashboard, one_by_one: bool = False) -> dict:
    filters = dashboard.filters
    figures = facilities.facility_figures(filters.first_month, filters.last_month, filters.area)
    columns = [figures.by_type_month[row.key.pk] for row in figures.by_type]
    return {
        "figures": figures,
        "one_by_one": one_by_one,
        "statuses": facilities.status_labels(),
        "maps": maps.facility_maps(filters, figures, one_by_one, facilities.status_labels()),
        "unsupported": facilities.unsupported(figures, one_by_one),
        "months": list(zip(figures.by_month, figures.hospitals_by_month, strict=True)),
        # Each month, and each type's facilities then, in the columns' order (``by_type``).
        "type_months": [
            (month.key, [column[index] for column in columns])
            for index, month in enumerate(figures.by_month)
        ],
        "max_age": latest_max_age(),
        "points_drawn": facilities.POINTS_DRAWN,
        "too_many_points": len(figures.current) > facilities.POINTS_DRAWN,
        # Facilities have no objective, indicator, activity or implementing organisation.
        "filter_fields": ("first_month", "last_month", "area"),
    }


@require_safe
def attacks_page(request: HttpRequest) -> HttpResponse:
    """Verified attacks on health care by month, type and admin1 area, for everyone: the
    cluster's own verified record, never a description or a source."""
    dashboard = read_filters(request)
    return _render(
        request,
        "analysis/attacks.html",
        dashboard,
        "analysis:attacks",
        lambda: attacks_context(dashboard),
    )


def attacks_context(dashboard: Dashboard) -> dict:
    filters = dashboard.filters
    counts = facilities.attack_counts(filters.first_month, filters.last_month, filters.area)
    return {
        "counts": counts,
        "totals": counts.totals(),
        "by_month": counts.by_month(),
        "by_type": [(kind, counts.by_type()[kind.code]) for kind in counts.types],
        "by_admin1": counts.by_admin1(),
        "maps": maps.attacks_map(filters, counts),
        "month_chart": bars.month_columns(
            [(month, totals["incidents"]) for month, totals in counts.by_month().items()]
        ),
        "type_chart": bars.bar_list(
            [
                bars.Bar(escape(str(kind.name)), count, grouped(count))
                for kind in counts.types
                if (count := counts.by_type()[kind.code])
            ]
        ),
        "filter_fields": ("first_month", "last_month", "area"),
    }


@require_safe
def funding_page(request: HttpRequest) -> HttpResponse:
    """Funding required against received: for the public the cluster's total and the admin1
    areas (``analysis.public.funding``); for members also by type of organisation and by
    strategic objective."""
    dashboard = read_filters(request)
    return _render(
        request,
        "analysis/funding.html",
        dashboard,
        "analysis:funding",
        lambda: funding_context(dashboard),
    )


def funding_context(dashboard: Dashboard) -> dict:
    found = tables.funding_tables(dashboard.filters)
    return {
        "funding": found,
        "maps": maps.funding_map(found.by_admin1),
        # Projects have a start and an end, not the other filters of the 4W figures.
        "filter_fields": ("first_month", "last_month"),
    }


@require_safe
def coverage_page(request: HttpRequest) -> HttpResponse:
    """People in need, targeted and reached, coverage and funding per area
    (``analysis.coverage``): admin1 for everyone, admin2 too for members."""
    dashboard = read_filters(request)
    return _render(
        request,
        "analysis/coverage.html",
        dashboard,
        "analysis:coverage",
        lambda: coverage_context(dashboard),
    )


def coverage_context(dashboard: Dashboard) -> dict:
    found = coverage.coverage(dashboard.filters)
    maps_shown = []
    if found is not None and found.has_targets:
        maps_shown = maps.coverage_map(found.admin1)
        if found.admin2 and any(row.has_target for row in found.admin2):
            maps_shown += maps.coverage_map(found.admin2, level=2)
    return {
        "coverage": found,
        "maps": maps_shown,
        # Caseloads count all people: the other filters of the 4W figures do not apply.
        "filter_fields": ("first_month", "last_month"),
    }
