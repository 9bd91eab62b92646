"""A period's figures in public scope, as plain data a bulletin stores and prints.

Everything here goes through the public queries: validated rows only, admin1 areas, no
organisation's row-level figures, no restricted assessment. The result is JSON-serialisable
so that a published bulletin keeps exactly the figures it printed.
"""

import datetime

from analysis import selectors
from analysis.coordination import GapRules, gaps
from strategy.models import StrategyCycle

VERSION = 1


def _indicators(filters: selectors.Filters, cycle: StrategyCycle | None) -> list[dict]:
    if cycle is None:
        return []
    progress = selectors.indicator_progress(filters, selectors.cycle_indicators(cycle))
    return [
        {
            "code": item.indicator.code,
            "name_en": item.indicator.name_en,
            "name_ar": item.indicator.name_ar,
            "unit_en": item.indicator.unit_label_en or str(item.indicator.get_unit_display()),
            "unit_ar": item.indicator.unit_label_ar,
            "reached": item.reached,
            "target": item.target,
            "percent": item.percent,
        }
        for item in progress
    ]


def public_figures(*, first_month: datetime.date, last_month: datetime.date) -> dict:
    """The figures of the months from ``first_month`` to ``last_month`` (inclusive)."""
    filters = selectors.Filters(first_month=first_month, last_month=last_month)
    key = selectors.key_figures(filters)
    cycle = selectors.cycle_for(last_month)
    return {
        "version": VERSION,
        "first_month": first_month.isoformat(),
        "last_month": last_month.isoformat(),
        "key_figures": {
            "partners_reporting": key.partners_reporting,
            "people_reached": key.people_reached,
            "people_targeted": cycle.people_targeted if cycle else None,
            "assessments": selectors.assessments_in_range(filters).count(),
            "areas_covered": key.areas_covered,
        },
        "indicators": _indicators(filters, cycle),
        "by_month": [
            {"month": row["month"].isoformat(), "people": row["people"]}
            for row in selectors.people_by_month(filters)
        ],
        "by_admin1": [
            {
                "pcode": row["admin1__pcode"],
                "name_en": row["admin1__name_en"],
                "name_ar": row["admin1__name_ar"],
                "people": row["people"],
                "partners": row["partners"],
            }
            for row in selectors.by_area(filters)
            if row["admin1"] is not None
        ],
        "by_sex_age": {
            name: selectors.by_sex_and_age(filters)[name] for name in selectors.SEX_AND_AGE
        },
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
        "partners": [
            {
                "name_en": row["organisation__name_en"],
                "name_ar": row["organisation__name_ar"],
                "acronym": row["organisation__acronym"],
            }
            for row in selectors.reporting_partners(filters)
        ],
    }
