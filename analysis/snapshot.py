"""A period's figures in public scope, as plain data a bulletin stores and prints.

Everything here goes through the public queries: validated rows only, admin1 areas, no
organisation's row-level figures, no restricted assessment; and through the disclosure policy
(``analysis.public``, ``partners.disclosure``): a figure the public may not see is stored as
None, with the reason ("small" or "withheld") under its name in the row's ``withheld``
(an indicator's under ``withheld`` itself). The result is JSON-serialisable so that a
published bulletin keeps exactly the figures it printed.
"""

import datetime

from analysis import coverage, facilities, funding, maps, measures, public, selectors
from analysis.coordination import GapRules, gaps
from partners.disclosure import Withheld, shown_or_none
from strategy.models import StrategyCycle
from strategy.progress import Measure

# 2: indicators carry their kind, value, status and notes; people reached is the headline's.
# 3: figures the public may not see are None, and ``withheld`` says why.
# 4: the admin1 areas as drawn (``map``) and their highest severity, for the maps.
# 5: the health facilities functioning (``facilities``), counted by type and admin1 area, and
#    the verified attacks on health care (``attacks``).
# 6: the funding of the projects running in the months (``funding``), received as of the
#    last month's last day, for the cluster and by admin1 area; and the coverage against
#    targets by admin1 area (``coverage``: in need and targeted of the cycle, reached in the
#    months).
VERSION = 6


def _disclosed(figures: dict) -> dict:
    """Figures as JSON keeps them: None for one not shown, and the reasons under
    ``withheld`` (left out when every figure is shown)."""
    reasons = {name: value.reason for name, value in figures.items() if isinstance(value, Withheld)}
    result = {name: shown_or_none(value) for name, value in figures.items()}
    if reasons:
        result["withheld"] = reasons
    return result


def _number(value):
    """A figure as JSON keeps it exactly: whole numbers as integers, rates as text."""
    if value is None:
        return None
    if value == int(value):
        return int(value)
    return str(value)


def _indicator(item: Measure) -> dict:
    indicator = item.indicator
    return {
        "code": indicator.code,
        "name_en": indicator.name_en,
        "name_ar": indicator.name_ar,
        "unit_en": indicator.unit_label_en or str(indicator.get_unit_display()),
        "unit_ar": indicator.unit_label_ar,
        "kind": indicator.kind,
        "value": _number(item.value) if item.kind != "rate" else _text(item.value),
        "measured": item.measured,
        "numerator": item.numerator,
        "denominator": item.denominator,
        "left_out": item.left_out,
        "as_of": item.as_of.isoformat() if item.as_of else None,
        "earliest": item.earliest.isoformat() if item.earliest else None,
        "baseline": _number(indicator.baseline),
        "target": _number(indicator.target),
        "direction": indicator.direction,
        "percent": item.percent,
        "status": item.status,
        "withheld": item.withheld,
    }


def _text(value) -> str | None:
    return None if value is None else str(value)


def _indicators(filters: selectors.Filters, cycle: StrategyCycle | None) -> list[dict]:
    if cycle is None:
        return []
    progress = measures.indicator_progress(filters, selectors.cycle_indicators(cycle))
    return [_indicator(item) for item in public.indicator_rows(filters, progress)]


def public_figures(*, first_month: datetime.date, last_month: datetime.date) -> dict:
    """The figures of the months from ``first_month`` to ``last_month`` (inclusive)."""
    filters = selectors.Filters(first_month=first_month, last_month=last_month)
    key = public.key_figures(filters)
    cycle = selectors.cycle_for(last_month)
    headline = public.headline(filters, cycle)
    sex_and_age = public.sex_and_age(filters)
    return {
        "version": VERSION,
        "first_month": first_month.isoformat(),
        "last_month": last_month.isoformat(),
        "key_figures": _disclosed(
            {
                "partners_reporting": key.partners_reporting,
                "people_reached": headline.people,
                "people_targeted": headline.people_targeted,
                "headline_code": headline.indicator.code if headline.indicator else None,
                "assessments": selectors.assessments_in_range(filters).count(),
                "areas_covered": key.areas_covered,
            }
        ),
        "indicators": _indicators(filters, cycle),
        "by_month": [
            _disclosed({"month": row["month"].isoformat(), "people": row["people"]})
            for row in public.month_rows(filters)
        ],
        "by_admin1": [
            _disclosed(
                {
                    "pcode": row["admin1__pcode"],
                    "name_en": row["admin1__name_en"],
                    "name_ar": row["admin1__name_ar"],
                    **{
                        name: value
                        for name, value in public.area_row_figures(filters, row).items()
                        if name in ("people", "partners")
                    },
                }
            )
            for row in selectors.by_area(filters)
            if row["admin1"] is not None
        ],
        "by_sex_age": _disclosed({name: sex_and_age[name] for name in selectors.SEX_AND_AGE}),
        "gaps": [
            {
                "pcode": row["area"].pcode,
                "name_en": row["area"].name_en,
                "name_ar": row["area"].name_ar,
                "domain_en": row["domain__name_en"],
                "domain_ar": row["domain__name_ar"],
                "severity": row["severity"],
                "people_in_need": row["people_in_need"],
            }
            for row in gaps(GapRules.default(), public=True, today=last_month)
        ],
        "severity_by_admin1": [
            {"pcode": row["area"].pcode, "severity": row["severity"]}
            for row in selectors.severity_by_area(filters)
        ],
        "map": maps.frozen_basemap(),
        "facilities": _facilities(first_month, last_month),
        "attacks": _attacks(first_month, last_month),
        "funding": _funding(first_month, last_month),
        "coverage": _coverage(filters),
        "partners": [
            {
                "name_en": row["organisation__name_en"],
                "name_ar": row["organisation__name_ar"],
                "acronym": row["organisation__acronym"],
            }
            for row in selectors.reporting_partners(filters)
        ],
    }


def _status_counts(row) -> dict:
    return {str(getattr(status, "value", status)): row.count(status) for status in facilities.ORDER}


def _facilities(first_month: datetime.date, last_month: datetime.date) -> dict | None:
    """The facilities functioning at the end of the months, counted (the public's view:
    no facility by name); None when the cluster registers none, or when none has a recent
    validated status then: a bulletin would otherwise print "0 of N hospitals functioning"
    for months nobody reported on."""
    figures = facilities.facility_figures(first_month, last_month)
    if figures.total.count(facilities.NO_RECENT_DATA) == figures.total.total:
        return None
    return {
        "day": figures.day.isoformat(),
        "total": _status_counts(figures.total),
        "hospitals": _status_counts(figures.hospitals),
        "unsupported": len(figures.unsupported),
        "by_type": [
            {"name_en": row.key.name_en, "name_ar": row.key.name_ar, **_status_counts(row)}
            for row in figures.by_type
        ],
        "by_admin1": [
            {
                "pcode": row.key.pcode,
                "name_en": row.key.name_en,
                "name_ar": row.key.name_ar,
                **_status_counts(row),
            }
            for row in figures.by_admin1
        ],
    }


def _attacks(first_month: datetime.date, last_month: datetime.date) -> dict | None:
    """The verified attacks on health care of the months, counted; None when there are none."""
    counts = facilities.attack_counts(first_month, last_month)
    if not counts.incidents:
        return None
    by_type = counts.by_type()
    return {
        **counts.totals(),
        "by_type": [
            {"name_en": kind.name_en, "name_ar": kind.name_ar, "incidents": by_type[kind.code]}
            for kind in counts.types
            if by_type[kind.code]
        ],
        "by_admin1": [
            {"pcode": area.pcode, "name_en": area.name_en, "name_ar": area.name_ar, **totals}
            for area, totals in counts.by_admin1()
        ],
    }


_FUNDING_FIGURES = ("required", "received", "gap", "percent", "projects")


def _funding_figures(row) -> dict:
    return _disclosed({name: getattr(row, name) for name in _FUNDING_FIGURES})


def _funding(first_month: datetime.date, last_month: datetime.date) -> dict | None:
    """The funding of the projects running in the months, as the public sees it (the total
    and the admin1 areas, with the part not broken down by area: a part from too few
    organisations stored as None, the reason under ``withheld``); None without projects."""
    figures = funding.funding_figures(first_month, last_month)
    if not figures.total.projects:
        return None
    total, areas = public.funding(figures)
    return {
        "as_of": figures.as_of.isoformat(),
        **_funding_figures(total),
        "by_admin1": [
            {
                "pcode": row.key.pcode if row.key else "",
                "name_en": row.key.name_en if row.key else "",
                "name_ar": row.key.name_ar if row.key else "",
                **_funding_figures(row),
            }
            for row in areas
        ],
    }


def _coverage(filters: selectors.Filters) -> dict | None:
    """People in need, targeted and reached, and the coverage, by admin1 area as the public
    sees them (``analysis.coverage``); None while no area has a target or the cycle no
    headline indicator."""
    found = coverage.coverage(filters, with_funding=False)
    if found is None or not found.measured or not found.has_targets:
        return None
    return {
        "cycle_en": found.cycle.title_en,
        "cycle_ar": found.cycle.title_ar,
        "by_admin1": [
            {
                "pcode": row.area.pcode,
                "name_en": row.area.name_en,
                "name_ar": row.area.name_ar,
                **_disclosed(
                    {
                        "in_need": row.in_need,
                        "targeted": row.targeted,
                        "reached": row.reached,
                        "percent": row.percent,
                    }
                ),
            }
            for row in found.admin1
        ],
    }
