"""Each indicator's figure per admin1 area and month: the dashboard's indicator table with one
area and one month chosen, for every admin1-month cell at once.

The rules are those of ``analysis.measures``, grouped by the row's admin1 area and month (as
``analysis.monitoring`` groups them by area): a cell's count, people reached once, rate and
latest value are the figures ``measures.measures`` gives with that month as the range and
that area as the filter. A latest value's cell is each area's newest month within
``LATEST_MAX_AGE`` months before the cell's month, so its query pairs every figure with the
cells whose window it falls in. For the public, each cell's figure is judged by
``analysis.public.judged`` on the organisations the dashboard counts for it: those of its own
figures and of the admin1-month cells it adds up (a latest value's window's months).

One query per kind for the figures and, for the public, one per kind for their
organisations, whatever the number of areas, months and indicators; the cells themselves are
``selectors.cell_counts``' (the admin1-month cells with validated figures); figures reported
for the whole country belong to no admin1 area and are in no cell.
"""

import dataclasses
import datetime
from collections import defaultdict

from django.db import connection

from analysis import public, selectors
from analysis.cache import cached
from analysis.measures import (
    DENOMINATOR,
    NUMERATOR,
    ORGANISATION_COLUMNS,
    Organisations,
    _catalogue,
    _joined,
    _measure,
)
from analysis.selectors import Filters, add_months, month_of, reach
from strategy.models import Indicator, IndicatorKind, StrategyCycle, latest_max_age
from strategy.progress import Measure

# Each query returns (indicator, admin1, month, figures...) for every cell with figures.
COUNT_SQL = "SELECT m.indicator, r.admin1_id, r.month, SUM(r.total) FROM {joined} GROUP BY 1, 2, 3"

PEOPLE_ONCE_SQL = """
SELECT indicator, admin1_id, month, SUM(peak) FROM (
    SELECT indicator, admin1_id, area_id, month, MAX(v) AS peak FROM (
        SELECT m.indicator, r.admin1_id, r.area_id, r.activity_id, r.month, SUM(r.total) AS v
        FROM {joined} GROUP BY 1, 2, 3, 4, 5
    ) c GROUP BY 1, 2, 3, 4
) p GROUP BY 1, 2, 3
"""

RATE_SQL = """
SELECT indicator, admin1_id, month,
       SUM(CASE WHEN den > 0 THEN num ELSE 0 END),
       SUM(CASE WHEN den > 0 THEN den ELSE 0 END),
       SUM(CASE WHEN den > 0 OR has_num = 0 THEN 0 ELSE 1 END)
FROM (
    SELECT m.indicator, r.admin1_id, r.area_id, r.month,
           SUM(CASE WHEN m.role = 'n' THEN r.total ELSE 0 END) AS num,
           SUM(CASE WHEN m.role = 'd' THEN r.total ELSE 0 END) AS den,
           MAX(CASE WHEN m.role = 'n' THEN 1 ELSE 0 END) AS has_num
    FROM {joined} GROUP BY 1, 2, 3, 4
) a GROUP BY 1, 2, 3
"""

# ``t`` the cells' months, each with the first month of its window (``cell``, ``since``).
LATEST_SQL = """
WITH am AS (
    SELECT m.indicator, r.admin1_id, r.area_id, r.month, SUM(r.total) AS v
    FROM {joined} GROUP BY 1, 2, 3, 4
)
SELECT indicator, admin1_id, cell, SUM(v), MAX(month), MIN(month), COUNT(*) FROM (
    SELECT am.*, t.cell, ROW_NUMBER() OVER (
        PARTITION BY am.indicator, am.area_id, t.cell ORDER BY am.month DESC
    ) AS newest
    FROM am JOIN {months} ON am.month BETWEEN t.since AND t.cell
) ranked WHERE newest = 1 GROUP BY 1, 2, 3
"""

QUERIES = {
    IndicatorKind.COUNT: COUNT_SQL,
    IndicatorKind.PEOPLE_ONCE: PEOPLE_ONCE_SQL,
    IndicatorKind.RATE: RATE_SQL,
    IndicatorKind.LATEST: LATEST_SQL,
}

# The organisations, as (indicator, is_cell, admin1, month, count): ``is_cell`` 1 for those of
# every figure of an admin1-month cell (the cells the disclosure policy checks, and a count's
# or a rate's own), 0 for those of the figures a cell's people reached once or latest value
# picks (each area's largest activity-month, or its newest month).
CELL_ORGANISATIONS_SQL = """
SELECT indicator, 1, admin1_id, month, COUNT(*) FROM (
    SELECT DISTINCT m.indicator, r.admin1_id, r.month,
                    r.implementing_organisation_id, r.implementing_other
    FROM {joined}
) d GROUP BY 1, 2, 3, 4
"""

PEOPLE_ONCE_ORGANISATIONS_SQL = """
WITH cells AS MATERIALIZED (
    SELECT m.indicator, r.area_id, r.activity_id, r.month, SUM(r.total) AS v
    FROM {joined} GROUP BY 1, 2, 3, 4
), peaks AS MATERIALIZED (
    SELECT c.indicator, c.area_id, c.activity_id, c.month FROM cells c JOIN (
        SELECT indicator, area_id, month, MAX(v) AS peak FROM cells GROUP BY 1, 2, 3
    ) p ON p.indicator = c.indicator AND p.area_id = c.area_id AND p.month = c.month
        AND p.peak = c.v
)
SELECT indicator, 0, admin1_id, month, COUNT(*) FROM (
    SELECT DISTINCT p.indicator, r.admin1_id, r.month,
                    r.implementing_organisation_id, r.implementing_other
    FROM {joined}
    JOIN peaks p ON p.indicator = m.indicator AND p.area_id = r.area_id
        AND p.activity_id = r.activity_id AND p.month = r.month
) d GROUP BY 1, 2, 3, 4
"""

LATEST_ORGANISATIONS_SQL = """
WITH picked AS MATERIALIZED (
    SELECT indicator, area_id, cell, month FROM (
        SELECT am.*, t.cell, MAX(am.month) OVER (
            PARTITION BY am.indicator, am.area_id, t.cell
        ) AS newest
        FROM (SELECT DISTINCT m.indicator, r.area_id, r.month FROM {joined}) am
        JOIN {months} ON am.month BETWEEN t.since AND t.cell
    ) w WHERE month = newest
)
SELECT indicator, 0, admin1_id, cell, COUNT(*) FROM (
    SELECT DISTINCT p.indicator, r.admin1_id, p.cell,
                    r.implementing_organisation_id, r.implementing_other
    FROM {joined}
    JOIN picked p ON p.indicator = m.indicator AND p.area_id = r.area_id AND p.month = r.month
) d GROUP BY 1, 2, 3, 4
"""

ORGANISATIONS = {
    IndicatorKind.COUNT: CELL_ORGANISATIONS_SQL,
    IndicatorKind.PEOPLE_ONCE: (
        f"{PEOPLE_ONCE_ORGANISATIONS_SQL} UNION ALL {CELL_ORGANISATIONS_SQL}"
    ),
    IndicatorKind.RATE: CELL_ORGANISATIONS_SQL,
    IndicatorKind.LATEST: f"{LATEST_ORGANISATIONS_SQL} UNION ALL {CELL_ORGANISATIONS_SQL}",
}

Key = tuple[int, int, datetime.date]  # indicator, admin1 area, month


@dataclasses.dataclass(frozen=True)
class Cell:
    """An admin1 area's figures in one month: each indicator of the month's cycle."""

    admin1_id: int
    month: datetime.date
    measures: list[Measure]


@cached
def cells(filters: Filters) -> list[Cell]:
    """Every admin1-month cell with validated figures in the range, by admin1 id and month,
    each with its indicators' figures in the strategy's order (to the public, through the
    disclosure policy)."""
    found = sorted(
        (admin1, month) for admin1, month in selectors.cell_counts(filters) if admin1 is not None
    )
    if not found:
        return []
    cycles = cycles_for(sorted({month for _admin1, month in found}))
    indicators = _indicators(filters, {cycle.pk for cycle in cycles.values() if cycle})
    grouped = _grouped(filters, [i for listed in indicators.values() for i in listed])
    result = []
    for admin1, month in found:
        cycle = cycles[month]
        listed = indicators.get(cycle.pk, []) if cycle is not None else []
        result.append(Cell(admin1, month, [grouped(i, admin1, month) for i in listed]))
    return result


def cycles_for(months: list[datetime.date]) -> dict[datetime.date, StrategyCycle | None]:
    """``selectors.cycle_for`` of each month, from one query."""
    every = list(StrategyCycle.objects.order_by("pk"))
    current = next((cycle for cycle in every if cycle.is_current), None)

    def cycle_for(month: datetime.date) -> StrategyCycle | None:
        covering = [c for c in every if c.start_year <= month.year <= c.end_year]
        covering.sort(key=lambda c: (not c.is_current, -c.start_year))
        return covering[0] if covering else current

    return {month: cycle_for(month) for month in months}


def _indicators(filters: Filters, cycle_ids: set[int]) -> dict[int, list[Indicator]]:
    """Each cycle's indicators the filters choose, in the strategy's order (one query)."""
    queryset = Indicator.objects.filter(cycle_id__in=cycle_ids)
    if filters.objective_id:
        queryset = queryset.filter(objective_id=filters.objective_id)
    if filters.indicator_id:
        queryset = queryset.filter(pk=filters.indicator_id)
    found = defaultdict(list)
    ordering = ("objective__order", "objective__code", "order", "code")
    for indicator in queryset.select_related("objective").order_by(*ordering):
        found[indicator.cycle_id].append(indicator)
    return found


def _grouped(filters: Filters, indicators: list[Indicator]):
    """A function giving an indicator's ``Measure`` in a cell, from one query per kind (and
    one per kind for the organisations, for the public)."""
    # As ``measures._groups``: the indicator, objective and activity chosen choose the
    # indicators shown, not the figures (an indicator is fed by other indicators' activities).
    filters = dataclasses.replace(filters, indicator_id=None, objective_id=None, activity_id=None)
    wanted = {indicator.pk for indicator in indicators}
    figures: dict[Key, tuple] = {}
    organisations: dict[Key, Organisations] = {}
    roles: dict[int, set[str]] = defaultdict(set)
    for cycle_id, kind in sorted({(i.cycle_id, i.kind) for i in indicators}):
        rows = [row for row in _catalogue(cycle_id).get(kind, ()) if row[0] in wanted]
        for indicator, _activity, role in rows:
            roles[indicator].add(role)
        if not rows:
            continue
        figures.update(_figures(kind, filters, rows))
        if not filters.detailed:
            organisations.update(_organisations(kind, filters, rows))

    def measure(indicator: Indicator, admin1: int, month: datetime.date) -> Measure:
        key = (indicator.pk, admin1, month)
        measurable = indicator.kind != IndicatorKind.RATE or roles[indicator.pk] >= {
            NUMERATOR,
            DENOMINATOR,
        }
        found = _measure(indicator, figures.get(key), measurable)
        if filters.detailed:
            return found
        return public.judged(found, organisations.get(key, Organisations()))

    return measure


def _kind_filters(kind: str, filters: Filters) -> Filters:
    """A latest value's cells look back ``LATEST_MAX_AGE`` months before the first month."""
    if kind == IndicatorKind.LATEST:
        return dataclasses.replace(
            filters, first_month=add_months(filters.first_month, -latest_max_age())
        )
    return filters


def _months(filters: Filters) -> tuple[str, list]:
    """The cells' months with the first month of their latest value's window, as a derived
    table ``t (cell, since)``."""
    months = filters.months
    params = [value for month in months for value in (month, add_months(month, -latest_max_age()))]
    values = ", ".join(["(%s::date, %s::date)"] * len(months))
    return f"(VALUES {values}) AS t (cell, since)", params


def _execute(sql: str, filters: Filters, kind: str, rows: list) -> list[tuple]:
    """Run ``sql`` with ``{joined}`` (the kind's figures in admin1 areas) and ``{months}``
    filled in, their parameters in the order they appear."""
    base = reach(_kind_filters(kind, filters)).filter(admin1__isnull=False)
    joined, joined_params = _joined(base, rows, ORGANISATION_COLUMNS)
    months, months_params = _months(filters)
    parts = {"{joined}": (joined, joined_params), "{months}": (months, months_params)}
    text, params, rest = "", [], sql
    while True:
        found = [(rest.find(name), name) for name in parts if name in rest]
        if not found:
            break
        at, name = min(found)
        text += rest[:at] + parts[name][0]
        params += parts[name][1]
        rest = rest[at + len(name) :]
    with connection.cursor() as cursor:
        cursor.execute(text + rest, params)
        return cursor.fetchall()


def _figures(kind: str, filters: Filters, rows: list) -> dict[Key, tuple]:
    found = _execute(QUERIES[kind], filters, kind, rows)
    return {(row[0], row[1], month_of(row[2])): row[3:] for row in found}


def _organisations(kind: str, filters: Filters, rows: list) -> dict[Key, Organisations]:
    """Each cell's ``Organisations``: a count's and a rate's own are its cell's; a latest
    value adds up the cells of its window's months."""
    own: dict[Key, int] = {}
    in_cell: dict[Key, int] = {}
    for indicator, is_cell, admin1, month, count in _execute(
        ORGANISATIONS[kind], filters, kind, rows
    ):
        (in_cell if is_cell else own)[(indicator, admin1, month_of(month))] = int(count)
    if kind in (IndicatorKind.COUNT, IndicatorKind.RATE):
        return {key: Organisations(count, (count,)) for key, count in in_cell.items()}
    window = latest_max_age() if kind == IndicatorKind.LATEST else 0
    found = {}
    for key in own.keys() | in_cell.keys():
        indicator, admin1, month = key
        counts = (
            in_cell.get((indicator, admin1, add_months(month, -back)))
            for back in range(window, -1, -1)
        )
        found[key] = Organisations(
            own.get(key, 0), tuple(count for count in counts if count is not None)
        )
    return found
