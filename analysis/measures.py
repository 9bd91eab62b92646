"""Each indicator's figure by its kind, computed in the database.

Which activities feed an indicator, and in what role, is read from the catalogue: the
activities that count towards it (their own indicator, or "also counts towards"), and for a
rate its numerator and denominator activities. An activity may feed several indicators, so
the figures are found through that map, not through the indicator each ``Reach`` row carries.
Each kind is one query over the analysis table for every indicator of that kind at once:

- count: the sum over the months and areas;
- people reached once: per area (as reported), the largest figure of one activity in one
  month; summed over areas;
- rate: Σ numerators ÷ Σ denominators, as a percentage, over the (area, month) cells whose
  denominator is above 0; numerator cells without a denominator are counted, not used;
- latest value: per area, the newest month up to the end of the range and at most
  ``LATEST_MAX_AGE`` months older; summed over areas.
"""

import dataclasses
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import CharField, QuerySet, Value

from activities.models import Activity
from analysis.cache import cached
from analysis.models import Reach
from analysis.selectors import Filters, add_months, cycle_for, month_of, reach
from strategy.models import Indicator, IndicatorKind, StrategyCycle, latest_max_age
from strategy.progress import Measure

COUNTED, NUMERATOR, DENOMINATOR = "c", "n", "d"
ONE_DECIMAL = Decimal("0.1")


@cached(figures=False)
def sources(indicator_ids: list[int]) -> dict[int, set[tuple[int, str]]]:
    """(activity, role) pairs feeding each indicator, in one query (kept until the catalogue
    changes: the figures and the organisations behind them read the same map)."""
    through = {
        COUNTED: Activity.also_counts_towards.through,
        NUMERATOR: Activity.numerator_of.through,
        DENOMINATOR: Activity.denominator_of.through,
    }
    # Unordered: SQLite allows no ORDER BY inside a UNION.
    own = (
        Activity.objects.filter(indicator_id__in=indicator_ids)
        .order_by()
        .values_list("indicator_id", "pk", _text(COUNTED))
    )
    linked = [
        model.objects.filter(indicator_id__in=indicator_ids)
        .order_by()
        .values_list("indicator_id", "activity_id", _text(role))
        for role, model in through.items()
    ]
    found = defaultdict(set)
    for indicator_id, activity_id, role in own.union(*linked, all=True):
        found[indicator_id].add((activity_id, role))
    return found


def _text(text: str) -> Value:
    return Value(text, output_field=CharField())


def _feeds(indicator: Indicator, pairs: set[tuple[int, str]]) -> list[tuple[int, str]]:
    """The pairs the indicator's kind reads: numerator and denominator for a rate, the
    counted activities otherwise."""
    wanted = (NUMERATOR, DENOMINATOR) if indicator.kind == IndicatorKind.RATE else (COUNTED,)
    return sorted(pair for pair in pairs if pair[1] in wanted)


def _mapping(rows: list[tuple[int, int, str]]) -> tuple[str, list]:
    """A derived table ``(indicator, activity, role)`` of literal rows.

    On PostgreSQL a typed VALUES list, which the planner sizes and hash-joins to one
    parallel scan of the figures (a UNION of one-row SELECTs it takes for a single row, and
    scans the figures once per row instead: 30 index scans for the strategy page). SQLite
    names no VALUES columns, so it gets the UNION."""
    params = [value for row in rows for value in row]
    if connection.vendor == "postgresql":
        values = ", ".join(["(%s::integer, %s::integer, %s::text)"] * len(rows))
        return f"(VALUES {values}) AS m (indicator, activity, role)", params
    select = "SELECT %s AS indicator, %s AS activity, %s AS role"
    return f"({' UNION ALL '.join([select] * len(rows))}) m", params


FIGURE_COLUMNS = ("activity_id", "area_id", "month", "total")
# What the disclosure policy counts: the implementing organisations behind a figure and those
# of each admin1-month cell it adds up.
ORGANISATION_COLUMNS = (
    *FIGURE_COLUMNS,
    "admin1_id",
    "implementing_organisation_id",
    "implementing_other",
)


def _joined(
    base: QuerySet[Reach],
    rows: list[tuple[int, int, str]] | None,
    columns: tuple[str, ...] = FIGURE_COLUMNS,
) -> tuple[str, list]:
    """The validated figures joined to the indicators they feed, as a FROM clause: ``r`` the
    figures, ``m`` the indicator and role. Without rows, every figure feeds indicator 0."""
    if rows is not None:
        base = base.filter(activity_id__in=sorted({activity for _i, activity, _r in rows}))
    base_sql, base_params = base.order_by().values(*columns).query.sql_with_params()
    if rows is None:
        return EVERY_FIGURE_SQL.format(base=base_sql), list(base_params)
    mapping_sql, mapping_params = _mapping(rows)
    return JOINED_SQL.format(base=base_sql, mapping=mapping_sql), [*base_params, *mapping_params]


# Filled with SQL that Django compiled and literal rows whose values are all parameters.
JOINED_SQL = "({base}) r JOIN {mapping} ON m.activity = r.activity_id"
EVERY_FIGURE_SQL = "({base}) r CROSS JOIN (SELECT 0 AS indicator, 'c' AS role) m"

# Each kind groups only as finely as its rule needs: a count sums straight into its total.
COUNT_SQL = "SELECT m.indicator, SUM(r.total) FROM {joined} GROUP BY m.indicator"

PEOPLE_ONCE_SQL = """
SELECT indicator, SUM(peak) FROM (
    SELECT indicator, area_id, MAX(v) AS peak FROM (
        SELECT m.indicator, r.area_id, r.activity_id, r.month, SUM(r.total) AS v
        FROM {joined} GROUP BY m.indicator, r.area_id, r.activity_id, r.month
    ) c GROUP BY indicator, area_id
) p GROUP BY indicator
"""

RATE_SQL = """
SELECT indicator,
       SUM(CASE WHEN den > 0 THEN num ELSE 0 END),
       SUM(CASE WHEN den > 0 THEN den ELSE 0 END),
       SUM(CASE WHEN den > 0 OR has_num = 0 THEN 0 ELSE 1 END)
FROM (
    SELECT m.indicator, r.area_id, r.month,
           SUM(CASE WHEN m.role = 'n' THEN r.total ELSE 0 END) AS num,
           SUM(CASE WHEN m.role = 'd' THEN r.total ELSE 0 END) AS den,
           MAX(CASE WHEN m.role = 'n' THEN 1 ELSE 0 END) AS has_num
    FROM {joined} GROUP BY m.indicator, r.area_id, r.month
) a GROUP BY indicator
"""

LATEST_SQL = """
SELECT indicator, SUM(v), MAX(month), MIN(month), COUNT(*) FROM (
    SELECT indicator, area_id, month, v,
           ROW_NUMBER() OVER (PARTITION BY indicator, area_id ORDER BY month DESC) AS newest
    FROM (
        SELECT m.indicator, r.area_id, r.month, SUM(r.total) AS v
        FROM {joined} GROUP BY m.indicator, r.area_id, r.month
    ) am
) ranked WHERE newest = 1 GROUP BY indicator
"""

# The organisations behind each indicator's figure (``cell`` 0) and those of each of its
# admin1-month cells (``cell`` 1), for the disclosure policy. A count or a rate adds up every
# figure; people reached once takes, in each area, its largest activity-month, and a latest
# value its newest month: their figure is those cells' alone, and so are its organisations.
# Each counts the distinct (indicator, …, implementer) rows, hashed in parallel, where
# COUNT(DISTINCT) sorted every figure in one process (``analysis.grouping``).
# A count or a rate: its organisations are those of its cells, so both come from one scan.
EVERY_ROW_ORGANISATIONS_SQL = """
WITH cells AS (
    SELECT DISTINCT m.indicator, r.admin1_id, r.month,
                    r.implementing_organisation_id, r.implementing_other
    FROM {joined}
)
SELECT indicator, 0, NULL, NULL, COUNT(*) FROM (
    SELECT DISTINCT indicator, implementing_organisation_id, implementing_other FROM cells
) d GROUP BY indicator
UNION ALL
SELECT indicator, 1, admin1_id, month, COUNT(*) FROM cells GROUP BY indicator, admin1_id, month
"""

# Each area's peak cells first (hashed, where window functions sorted every figure twice:
# 360 -> 240 ms over five years at 1,000,000 rows), then the figures of those cells alone.
# Materialised, the peaks (at most indicators x areas) are looked up through the figures'
# (activity, area, month) index; a plain join back had the planner scan every figure per cell.
PEOPLE_ONCE_ORGANISATIONS_SQL = """
WITH cells AS MATERIALIZED (
    SELECT m.indicator, r.area_id, r.activity_id, r.month, SUM(r.total) AS v
    FROM {joined} GROUP BY m.indicator, r.area_id, r.activity_id, r.month
), peaks AS MATERIALIZED (
    SELECT c.indicator, c.area_id, c.activity_id, c.month FROM cells c JOIN (
        SELECT indicator, area_id, MAX(v) AS peak FROM cells GROUP BY indicator, area_id
    ) p ON p.indicator = c.indicator AND p.area_id = c.area_id AND p.peak = c.v
)
SELECT indicator, 0, NULL, NULL, COUNT(*) FROM (
    SELECT DISTINCT p.indicator, r.implementing_organisation_id, r.implementing_other
    FROM {joined}
    JOIN peaks p ON p.indicator = m.indicator AND p.area_id = r.area_id
        AND p.activity_id = r.activity_id AND p.month = r.month
) d GROUP BY indicator
"""

LATEST_ORGANISATIONS_SQL = """
SELECT indicator, 0, NULL, NULL, COUNT(*) FROM (
    SELECT DISTINCT r.indicator, r.implementing_organisation_id, r.implementing_other
    FROM (
        SELECT m.indicator, r.month, r.implementing_organisation_id, r.implementing_other,
               MAX(r.month) OVER (PARTITION BY m.indicator, r.area_id) AS newest
        FROM {joined}
    ) r
    WHERE r.month = r.newest
) d GROUP BY indicator
"""

CELL_ORGANISATIONS_SQL = """
SELECT indicator, 1, admin1_id, month, COUNT(*) FROM (
    SELECT DISTINCT m.indicator, r.admin1_id, r.month,
                    r.implementing_organisation_id, r.implementing_other
    FROM {joined}
) d GROUP BY indicator, admin1_id, month
"""

# Each kind's figure's organisations and its cells'.
ORGANISATIONS = {
    IndicatorKind.COUNT: EVERY_ROW_ORGANISATIONS_SQL,
    IndicatorKind.PEOPLE_ONCE: (
        f"{PEOPLE_ONCE_ORGANISATIONS_SQL} UNION ALL {CELL_ORGANISATIONS_SQL}"
    ),
    IndicatorKind.RATE: EVERY_ROW_ORGANISATIONS_SQL,
    IndicatorKind.LATEST: f"{LATEST_ORGANISATIONS_SQL} UNION ALL {CELL_ORGANISATIONS_SQL}",
}


def _organisations(sql: str, joined: str, params: list) -> list[tuple]:
    """Run a query of ``ORGANISATIONS`` (and the cells'), ``joined`` filled in everywhere."""
    with connection.cursor() as cursor:
        cursor.execute(sql.format(joined=joined), params * sql.count("{joined}"))
        return cursor.fetchall()


QUERIES = {
    IndicatorKind.COUNT: COUNT_SQL,
    IndicatorKind.PEOPLE_ONCE: PEOPLE_ONCE_SQL,
    IndicatorKind.RATE: RATE_SQL,
    IndicatorKind.LATEST: LATEST_SQL,
}


def _kind_filters(kind: str, filters: Filters) -> Filters:
    """A latest value looks back ``LATEST_MAX_AGE`` months before the end of the range."""
    if kind == IndicatorKind.LATEST:
        return dataclasses.replace(
            filters, first_month=add_months(filters.last_month, -latest_max_age())
        )
    return filters


def _run(kind: str, filters: Filters, rows: list[tuple[int, int, str]]) -> dict[int, tuple]:
    filters = _kind_filters(kind, filters)
    joined, params = _joined(reach(filters), rows)
    with connection.cursor() as cursor:
        cursor.execute(QUERIES[kind].format(joined=joined), params)
        return {row[0]: row[1:] for row in cursor.fetchall()}


def _measure(indicator: Indicator, found: tuple | None, has_feeds: bool) -> Measure:
    kind = indicator.kind
    if kind == IndicatorKind.RATE:
        if not has_feeds:
            return Measure(indicator, None, measured=False)
        if found is None:
            return Measure(indicator, None)
        numerator, denominator, left_out = (int(n or 0) for n in found)
        value = None
        if denominator:
            value = (Decimal(100 * numerator) / denominator).quantize(ONE_DECIMAL, ROUND_HALF_UP)
        return Measure(
            indicator, value, numerator=numerator, denominator=denominator, left_out=left_out
        )
    if found is None:
        return Measure(indicator, None)
    if kind == IndicatorKind.LATEST:
        total, newest, oldest, areas = found
        return Measure(
            indicator,
            int(total),
            as_of=month_of(newest),
            earliest=month_of(oldest),
            areas=int(areas),
        )
    return Measure(indicator, int(found[0]))


@cached(figures=False)
def _catalogue(cycle_id: int) -> dict[str, list[tuple[int, int, str]]]:
    """The (indicator, activity, role) rows each kind of the cycle's indicators reads (two
    queries, kept until the strategy or the catalogue changes)."""
    indicators = list(Indicator.objects.filter(cycle_id=cycle_id).order_by("pk"))
    feeds = sources([indicator.pk for indicator in indicators])
    by_kind: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for indicator in indicators:
        for activity, role in _feeds(indicator, feeds.get(indicator.pk, set())):
            by_kind[indicator.kind].append((indicator.pk, activity, role))
    return dict(by_kind)


def _groups(filters: Filters, indicators: list[Indicator]) -> tuple[Filters, list[tuple]]:
    """The filters indicators are measured with, and the (cycle, kind) groups they fall in.

    Every indicator of a group is measured at once, and the result kept: the headline, the
    dashboard's indicators and the strategy page then read one computation. The filters'
    indicator, objective and activity do not narrow the figures: an indicator is fed by
    activities of other indicators too."""
    filters = dataclasses.replace(filters, indicator_id=None, objective_id=None, activity_id=None)
    return filters, sorted({(indicator.cycle_id, indicator.kind) for indicator in indicators})


@cached
def _kind_figures(filters: Filters, cycle_id: int, kind: str) -> dict[int, tuple]:
    rows = _catalogue(cycle_id).get(kind)
    return _run(kind, filters, rows) if rows else {}


def measures(filters: Filters, indicators: list[Indicator]) -> list[Measure]:
    """Each indicator's figure over the range by its kind, in the order given: one query per
    kind of each cycle, whatever the indicators (``_groups``)."""
    filters, groups = _groups(filters, indicators)
    results, roles = {}, defaultdict(set)
    for cycle_id, kind in groups:
        results.update(_kind_figures(filters, cycle_id, kind))
        for indicator, _activity, role in _catalogue(cycle_id).get(kind, ()):
            roles[indicator].add(role)
    return [
        _measure(indicator, results.get(indicator.pk), _measurable(indicator, roles))
        for indicator in indicators
    ]


def _measurable(indicator: Indicator, roles: dict[int, set[str]]) -> bool:
    if indicator.kind == IndicatorKind.RATE:
        return {NUMERATOR, DENOMINATOR} <= roles[indicator.pk]
    return True


@dataclass(frozen=True)
class Organisations:
    """The implementing organisations a figure comes from, and those of each admin1-month
    cell it adds up: what the disclosure policy judges it by."""

    own: int = 0
    cells: tuple[int, ...] = ()


@cached
def _kind_organisations(filters: Filters, cycle_id: int, kind: str) -> dict[int, Organisations]:
    rows = _catalogue(cycle_id).get(kind)
    if not rows:
        return {}
    own: dict[int, int] = {}
    cells: dict[int, list[int]] = defaultdict(list)
    joined, params = _joined(reach(_kind_filters(kind, filters)), rows, ORGANISATION_COLUMNS)
    for indicator, is_cell, _admin1, _month, count in _organisations(
        ORGANISATIONS[kind], joined, params
    ):
        if is_cell:
            cells[indicator].append(int(count))
        else:
            own[indicator] = int(count)
    return {
        indicator: Organisations(own.get(indicator, 0), tuple(cells.get(indicator, ())))
        for indicator in own.keys() | cells.keys()
    }


def indicator_organisations(
    filters: Filters, indicators: list[Indicator]
) -> dict[int, Organisations]:
    """Each indicator's ``Organisations``, over the figures its kind reads (a latest value's
    months before the range included): one query per kind of each cycle (``_groups``)."""
    filters, groups = _groups(filters, indicators)
    found: dict[int, Organisations] = {}
    for cycle_id, kind in groups:
        found.update(_kind_organisations(filters, cycle_id, kind))
    return {indicator.pk: found.get(indicator.pk, Organisations()) for indicator in indicators}


@cached
def people_once_organisations(filters: Filters) -> int:
    """The organisations behind people reached once over every people-counting activity
    (the headline without a headline indicator): those of each area's largest activity-month."""
    joined, params = _joined(reach(filters).filter(people=True), None, ORGANISATION_COLUMNS)
    found = _organisations(PEOPLE_ONCE_ORGANISATIONS_SQL, joined, params)
    return int(found[0][4]) if found else 0


@cached
def indicator_progress(filters: Filters, indicators: QuerySet[Indicator]) -> list[Measure]:
    """The indicators' figures, in the strategy's order (objective, then indicator)."""
    ordered = indicators.select_related("objective").order_by(
        "objective__order", "objective__code", "order", "code"
    )
    return measures(filters, list(ordered))


# --- the headline -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    """People reached over a range: the cycle's headline indicator, against its people
    targeted; without a headline, people reached once over every people-counting activity."""

    people: int  # a ``partners.disclosure.Withheld`` in the public's (``analysis.public``)
    people_targeted: int | None
    indicator: Indicator | None

    @property
    def percent(self) -> int | None:
        if not self.people_targeted or not isinstance(self.people, int):
            return None  # no target, or the figure is not shown (``partners.disclosure``)
        return round(100 * self.people / self.people_targeted)

    @property
    def shown_percent(self) -> int | None:
        return None if self.percent is None else min(self.percent, 100)


def headline(filters: Filters, cycle: StrategyCycle | None = None) -> Headline:
    """The headline figure of the months chosen, by the cycle they count towards (found from
    the last month unless the caller has it already)."""
    return _headline(filters, cycle if cycle is not None else cycle_for(filters.last_month))


@cached
def _headline(filters: Filters, cycle: StrategyCycle | None) -> Headline:
    targeted = cycle.people_targeted if cycle else None
    indicator = _headline_indicator(cycle)
    if indicator is not None:
        measure = measures(filters, [indicator])[0]
        return Headline(int(measure.value or 0), targeted, indicator)
    return Headline(_people_once_everywhere(filters), targeted, None)


def _headline_indicator(cycle: StrategyCycle | None) -> Indicator | None:
    if cycle is None or cycle.headline_id is None:
        return None
    return cycle.headline


def _people_once_everywhere(filters: Filters) -> int:
    joined, params = _joined(reach(filters).filter(people=True), None)
    with connection.cursor() as cursor:
        cursor.execute(PEOPLE_ONCE_SQL.format(joined=joined), params)
        row = cursor.fetchone()
    return int(row[1]) if row else 0
