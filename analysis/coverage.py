"""Coverage against targets per area: people in need, targeted and reached, and the funding.

For the strategy cycle the range's last month counts towards (``selectors.cycle_for``), each
area has:

- people in need and targeted: the cycle's caseloads for all people
  (``planning.selectors.caseloads_by_area``; at admin1 the districts' caseloads are added to
  their governorate, as the selector does). They are the needs overview's published figures,
  and count unique people;
- people reached: the cycle's headline indicator (``StrategyCycle.headline``, people reached
  once) in the area for the same months: in each area as reported, the largest figure of one
  activity in one month, added up over the areas the row's admin1 (or admin2) holds
  (``analysis.monitoring.results``), the rule of the home page's cluster-wide figure, so the
  admin1 areas add up to it. Not the areas tab's sum of every figure over the months: the
  same people reported month after month would be counted again each month, and a year of
  them would cover a target many times over. At admin2, figures reported for a whole admin1
  area have no district and are left out. A cycle without a headline has no reach (None:
  "not measured") and no coverage;
- coverage: reached ÷ targeted as a whole percentage, halves rounded up. An area with no
  target (none given, or 0) has "no target" (None), never 0 % or infinity; a target and
  nobody reached is 0 %;
- at admin1, funding required and received through the projects' budget shares
  (``analysis.funding``), for the same months.

For example, a governorate with 1,000 people targeted at admin1 and a district of it with
500 more has 1,500 targeted; 600 reached there is 600 ÷ 1,500 = 40 %; 999 reached of 2,000
targeted is 49.95 %, written 50 %. The same 100 people reported in January and in February
are 100 reached, not 200.

The public sees admin1 only: each area's reach as the public sees the headline indicator
filtered to that area on the dashboard (``analysis.public.indicator_rows``, so the
disclosure policy judges it the same way), and the funding as the Funding tab does
(``analysis.public.funding``); a percentage of a reach not shown is not shown either.

The caseloads are one query, cached with the analysis sources (``planning`` is one); the
reach is one query for members (and one per area with a figure for the public), cached; the
funding reads the Funding tab's cached figures, and the cycle is one query.
"""

import datetime
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from analysis import funding, measures, monitoring, public, selectors
from analysis.cache import cached
from analysis.selectors import Filters
from locations.models import AdminArea
from partners.disclosure import Withheld
from planning.models import PopulationGroup
from planning.selectors import caseloads_by_area
from strategy.models import StrategyCycle

# The coverage gaps the gaps tab lists: the areas with a target whose coverage is below the
# threshold, the lowest first.
GAP_THRESHOLD = 50
GAPS_SHOWN = 10


@dataclass(frozen=True)
class CoverageRow:
    area: AdminArea
    in_need: int | None  # None: no caseload for the area
    targeted: int | None  # None: no target given
    reached: int | Withheld | None  # None: the cycle has no headline indicator
    percent: int | Withheld | None  # None: no target
    required: int | Withheld | None = None  # admin1 only; None: no project's share
    received: int | Withheld | None = None

    @property
    def has_target(self) -> bool:
        return bool(self.targeted)


@dataclass(frozen=True)
class Coverage:
    cycle: StrategyCycle
    first_month: datetime.date
    last_month: datetime.date
    admin1: list[CoverageRow]
    admin2: list[CoverageRow] | None  # members and coordinators only
    funding_as_of: datetime.date | None  # None: without the funding

    @property
    def measured(self) -> bool:
        """Whether people reached is measured: the cycle names a headline indicator."""
        return self.cycle.headline_id is not None

    @property
    def has_targets(self) -> bool:
        return any(row.has_target for row in self.admin1)


def percent(reached, targeted: int | None) -> int | Withheld | None:
    """Reached over targeted as a whole percentage; None with no target."""
    if not targeted or reached is None:
        return None
    if isinstance(reached, Withheld):
        return reached
    return int((Decimal(100 * reached) / targeted).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@cached(figures=False)
def caseload_figures(cycle_id: int, level: int) -> dict[int, tuple[int, int | None]]:
    """(in need, targeted) of all people per area id at a level; one query."""
    cycle = StrategyCycle(pk=cycle_id)
    return {
        area_id: (groups[PopulationGroup.ALL].in_need, groups[PopulationGroup.ALL].targeted)
        for area_id, groups in caseloads_by_area(cycle, level).items()
        if PopulationGroup.ALL in groups
    }


def _range(filters: Filters, detailed: bool) -> Filters:
    """The months alone: caseloads count all people, whatever activity reached them."""
    return Filters(filters.first_month, filters.last_month, detailed=detailed)


@cached
def _reached(filters: Filters, cycle: StrategyCycle, public_view: bool) -> dict | None:
    """The headline's people reached per area id (admin1, or admin2 when detailed), as the
    public sees it with ``public_view``; None when the cycle has no headline."""
    if cycle.headline_id is None:
        return None
    headline = cycle.headline
    level = 2 if filters.detailed else 1
    found = {
        place: int(result.value or 0)
        for (_indicator, place), result in monitoring.results(filters, [headline], level).items()
    }
    if not public_view:
        return found
    return {
        area_id: _public_reach(replace(filters, area=area), headline)
        for area_id, area in selectors.areas_by_id(set(found)).items()
    }


def _public_reach(filters: Filters, headline) -> int | Withheld:
    """The headline in one area as the dashboard shows it to the public with that area."""
    shown = public.indicator_rows(filters, measures.measures(filters, [headline]))[0]
    if shown.withheld:
        return Withheld(shown.withheld)
    return int(shown.value or 0)


def _funding(filters: Filters, public_view: bool) -> tuple[dict, datetime.date]:
    figures = funding.funding_figures(filters.first_month, filters.last_month)
    rows = public.funding(figures)[1] if public_view else figures.by_admin1
    return {row.key.pk: row for row in rows if row.key is not None}, figures.as_of


def _rows(cycle, filters: Filters, level: int, public_view: bool, money: dict) -> list:
    caseloads = caseload_figures(cycle.pk, level)
    reached = _reached(_range(filters, level == 2), cycle, public_view)
    areas = selectors.areas_by_id(set(caseloads) | set(reached or {}) | set(money))
    rows = []
    for area_id, area in areas.items():
        in_need, targeted = caseloads.get(area_id, (None, None))
        people = None if reached is None else reached.get(area_id, 0)
        row = CoverageRow(area, in_need, targeted, people, percent(people, targeted))
        if area_id in money:
            row = replace(row, required=money[area_id].required, received=money[area_id].received)
        rows.append(row)
    return sorted(rows, key=lambda row: row.area.path)


def coverage(filters: Filters, *, with_funding: bool = True) -> Coverage | None:
    """Coverage per admin1 area (and per admin2 when ``filters.detailed``) for the months
    of ``filters``, with the funding unless ``with_funding`` is off; None when no strategy
    cycle covers them."""
    cycle = selectors.cycle_for(filters.last_month)
    if cycle is None:
        return None
    public_view = not filters.detailed
    money, as_of = _funding(filters, public_view) if with_funding else ({}, None)
    return Coverage(
        cycle=cycle,
        first_month=filters.first_month,
        last_month=filters.last_month,
        admin1=_rows(cycle, filters, 1, public_view, money),
        admin2=None if public_view else _rows(cycle, filters, 2, False, {}),
        funding_as_of=as_of,
    )


def coverage_gaps(
    found: Coverage | None, threshold: int = GAP_THRESHOLD, shown: int = GAPS_SHOWN
) -> list[CoverageRow]:
    """The areas (admin1 and admin2) with a target and the lowest coverage under
    ``threshold`` percent, the lowest first (the most people targeted first among equals)."""
    if found is None:
        return []
    rows = [
        row
        for row in [*found.admin1, *(found.admin2 or [])]
        if isinstance(row.percent, int) and row.percent < threshold
    ]
    return sorted(rows, key=lambda row: (row.percent, -row.targeted, row.area.path))[:shown]
