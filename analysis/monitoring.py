"""Each indicator's result by its kind, cluster-wide or per admin area, with the people reached
counted by sex and age: the figures OCHA's Response Planning and Monitoring module asks for.

The rules are those of ``analysis.measures`` (one query per kind); only the grouping differs.
Where a rule picks one figure per area (people reached once: the largest activity-month; latest
value: the newest month), the groups are those of the figure picked, so they never add up to
more than its total. A rate has no groups. Ties between equal figures go to the newest month,
then to the lowest activity id, so that the same data always gives the same groups.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection

from analysis.facilities import month_end
from analysis.measures import ONE_DECIMAL, _catalogue, _joined, _kind_filters
from analysis.selectors import Filters, cycle_indicators, reach
from locations.models import AdminArea
from planning.models import PopulationGroup
from planning.selectors import caseloads_by_area, cycle_area_targets
from strategy.models import Indicator, IndicatorKind, IndicatorUnit

GROUPS = ("girls", "boys", "women", "men")
COLUMNS = ("activity_id", "area_id", "admin1_id", "admin2_id", "month", "total", *GROUPS)
# What a result is grouped by: nothing (one cluster-wide figure), or the row's admin1 or admin2.
LEVELS = {0: "0", 1: "r.admin1_id", 2: "r.admin2_id"}
# Spelt out rather than built, so that nothing but ``level`` and ``joined`` is ever filled in.
COUNT_SQL = """
SELECT m.indicator, {level} AS place, SUM(r.total),
       SUM(r.girls), SUM(r.boys), SUM(r.women), SUM(r.men)
FROM {joined} GROUP BY 1, 2
"""

# One cell per area: the largest activity-month, its groups with it.
PEOPLE_ONCE_SQL = """
SELECT indicator, place, SUM(v), SUM(girls), SUM(boys), SUM(women), SUM(men) FROM (
    SELECT c.*, ROW_NUMBER() OVER (
        PARTITION BY indicator, area_id ORDER BY v DESC, month DESC, activity_id
    ) AS pick FROM (
        SELECT m.indicator, r.area_id, {level} AS place, r.activity_id, r.month,
               SUM(r.total) AS v, SUM(r.girls) AS girls, SUM(r.boys) AS boys,
               SUM(r.women) AS women, SUM(r.men) AS men
        FROM {joined} GROUP BY 1, 2, 3, 4, 5
    ) c
) p WHERE pick = 1 GROUP BY 1, 2
"""

# The newest month of each area, its activities added up.
LATEST_SQL = """
SELECT indicator, place, SUM(v), SUM(girls), SUM(boys), SUM(women), SUM(men) FROM (
    SELECT c.*, ROW_NUMBER() OVER (PARTITION BY indicator, area_id ORDER BY month DESC) AS pick
    FROM (
        SELECT m.indicator, r.area_id, {level} AS place, r.month, SUM(r.total) AS v,
               SUM(r.girls) AS girls, SUM(r.boys) AS boys, SUM(r.women) AS women,
               SUM(r.men) AS men
        FROM {joined} GROUP BY 1, 2, 3, 4
    ) c
) p WHERE pick = 1 GROUP BY 1, 2
"""

RATE_SQL = """
SELECT indicator, place,
       SUM(CASE WHEN den > 0 THEN num ELSE 0 END),
       SUM(CASE WHEN den > 0 THEN den ELSE 0 END)
FROM (
    SELECT m.indicator, {level} AS place, r.area_id, r.month,
           SUM(CASE WHEN m.role = 'n' THEN r.total ELSE 0 END) AS num,
           SUM(CASE WHEN m.role = 'd' THEN r.total ELSE 0 END) AS den
    FROM {joined} GROUP BY 1, 2, 3, 4
) a GROUP BY 1, 2
"""

QUERIES = {
    IndicatorKind.COUNT: COUNT_SQL,
    IndicatorKind.PEOPLE_ONCE: PEOPLE_ONCE_SQL,
    IndicatorKind.RATE: RATE_SQL,
    IndicatorKind.LATEST: LATEST_SQL,
}


@dataclass(frozen=True)
class Result:
    """An indicator's result in one place: ``value`` None when nothing was reported; a rate's
    value is a percentage and has no ``groups``; a group is None when no figure gave it."""

    value: int | Decimal | None
    groups: dict[str, int | None] | None = None


NOTHING = Result(None)


def results(
    filters: Filters, indicators: list[Indicator], level: int = 0
) -> dict[tuple[int, int], Result]:
    """Each indicator's result over the filters' months, keyed by (indicator id, place):
    place 0 for the cluster-wide figure (``level`` 0), else the admin1 or admin2 area's id.
    A place with nothing reported has no key. One query per kind of each cycle."""
    found: dict[tuple[int, int], Result] = {}
    wanted = {indicator.pk for indicator in indicators}
    for cycle_id, kind in sorted({(i.cycle_id, i.kind) for i in indicators}):
        rows = [row for row in _catalogue(cycle_id).get(kind, ()) if row[0] in wanted]
        if rows:
            found.update(_run(kind, filters, rows, level))
    return found


def _run(kind: str, filters: Filters, rows: list, level: int) -> dict[tuple[int, int], Result]:
    joined, params = _joined(reach(_kind_filters(kind, filters)), rows, COLUMNS)
    sql = QUERIES[kind].format(joined=joined, level=LEVELS[level])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    return {(row[0], row[1] or 0): _result(kind, row[2:]) for row in fetched if row[1] or not level}


def _result(kind: str, figures: tuple) -> Result:
    if kind == IndicatorKind.RATE:
        numerator, denominator = (int(n or 0) for n in figures)
        if not denominator:
            return NOTHING
        return Result((Decimal(100 * numerator) / denominator).quantize(ONE_DECIMAL, ROUND_HALF_UP))
    total, *groups = figures
    return Result(
        int(total),
        {
            name: None if value is None else int(value)
            for name, value in zip(GROUPS, groups, strict=True)
        },
    )


# The columns of the download, as OCHA's Response Planning and Monitoring entry names them.
# In English in every language: the file is read by OCHA's tools, not by the page's reader.
RPM_COLUMNS = (
    "plan_cluster",
    "indicator_code",
    "indicator_name",
    "unit",
    "area_pcode",
    "period_start",
    "period_end",
    "baseline",
    "target",
    "in_need",
    "result_period",
    "result_cumulative",
    *(f"{group}_period" for group in GROUPS),
    *(f"{group}_cumulative" for group in GROUPS),
)


@dataclass(frozen=True)
class Plan:
    """What the plan says per area: people in need, and each indicator's area targets."""

    in_need: dict[int, int]  # area id -> people in need (all groups); 0 for the cluster's
    targets: dict[int, dict[int, Decimal]]  # indicator id -> area id -> target


def rpm_rows(cycle, first_month, last_month, plan: Plan, cluster: str) -> list[dict]:
    """The rows of the monitoring download for a period of the cycle: one per indicator (its
    results blank where nothing was reported, or a rate is not measured yet), and one per area
    for an indicator with area targets. Values are text, as the frozen copy keeps them."""
    indicators = list(cycle_indicators(cycle))
    period = Filters(first_month=first_month, last_month=last_month)
    since_start = Filters(first_month=datetime.date(cycle.start_year, 1, 1), last_month=last_month)
    levels = _levels(plan)
    now = {level: results(period, indicators, level) for level in levels}
    so_far = {level: results(since_start, indicators, level) for level in levels}
    areas = AdminArea.objects.in_bulk({a for t in plan.targets.values() for a in t})
    rows = []
    for indicator in indicators:
        common = _common(indicator, cluster, first_month, last_month)
        key = (indicator.pk, 0)
        rows.append(
            common
            | _figures(now[0].get(key, NOTHING), so_far[0].get(key, NOTHING))
            | {"baseline": _text(indicator.baseline), "target": _text(indicator.target)}
            | {"in_need": _text(plan.in_need.get(0)), "area_pcode": ""}
        )
        targets = plan.targets.get(indicator.pk, {})
        for area in sorted((areas[a] for a in targets), key=lambda area: area.pcode):
            key = (indicator.pk, area.pk)
            rows.append(
                common
                | _figures(now[area.level].get(key, NOTHING), so_far[area.level].get(key, NOTHING))
                | {"baseline": "", "target": _text(targets[area.pk])}
                | {"in_need": _text(plan.in_need.get(area.pk)), "area_pcode": area.pcode}
            )
    return [{column: row[column] for column in RPM_COLUMNS} for row in rows]


def _levels(plan: Plan) -> set[int]:
    area_ids = {area for targets in plan.targets.values() for area in targets}
    levels = set(AdminArea.objects.filter(pk__in=area_ids).values_list("level", flat=True))
    return {0} | {level for level in levels if level in LEVELS}


def _common(indicator: Indicator, cluster: str, first_month, last_month) -> dict:
    return {
        "plan_cluster": cluster,
        "indicator_code": indicator.code,
        "indicator_name": indicator.name_en,
        "unit": _unit(indicator),
        "period_start": first_month.isoformat(),
        "period_end": month_end(last_month).isoformat(),
    }


def _unit(indicator: Indicator) -> str:
    if indicator.unit == IndicatorUnit.OTHER and indicator.unit_label_en:
        return indicator.unit_label_en
    return str(indicator.unit)


def _figures(period: Result, cumulative: Result) -> dict:
    figures = {"result_period": _text(period.value), "result_cumulative": _text(cumulative.value)}
    for group in GROUPS:
        figures[f"{group}_period"] = _text((period.groups or {}).get(group))
        figures[f"{group}_cumulative"] = _text((cumulative.groups or {}).get(group))
    return figures


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral() else f"{value.normalize():f}"
    return str(value)


def plan_for(cycle) -> Plan:
    """The cycle's people in need per admin1 and admin2 area (all people; 0 is the cluster's
    total, the admin1 areas' added up) and its indicators' area targets: three queries."""
    in_need: dict[int, int] = {}
    for level in (1, 2):
        for area_id, groups in caseloads_by_area(cycle, level).items():
            if PopulationGroup.ALL in groups:
                in_need[area_id] = groups[PopulationGroup.ALL].in_need
                if level == 1:
                    in_need[0] = in_need.get(0, 0) + in_need[area_id]
    targets: dict[int, dict[int, Decimal]] = {}
    for indicator_id, area_id, target in cycle_area_targets(cycle):
        targets.setdefault(indicator_id, {})[area_id] = target
    return Plan(in_need=in_need, targets=targets)
