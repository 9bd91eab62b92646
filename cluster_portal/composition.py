"""Figures that pages of lower apps show but only the analysis layer can compute.

Registered at start-up (``ClusterPortalConfig.ready``); the lower apps call them through
their own small hooks and never import ``analysis`` themselves.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from analysis import maps, measures, public, selectors, tables
from strategy.progress import Measure


def cycle_months(cycle, today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """From the cycle's first month to its last, or to the current month while it runs."""
    today = today or timezone.localdate()
    first = datetime.date(cycle.start_year, 1, 1)
    last = min(datetime.date(cycle.end_year, 12, 1), selectors.month_start(today))
    return first, max(first, last)


def indicator_progress(cycle) -> dict[int, Measure]:
    """Public-scope figure of each indicator of the cycle, over the cycle so far, as the
    disclosure policy lets the public see it (the strategy page is the same for everyone)."""
    first, last = cycle_months(cycle)
    filters = selectors.Filters(first_month=first, last_month=last)
    measured = measures.indicator_progress(filters, selectors.cycle_indicators(cycle))
    return {item.indicator.pk: item for item in public.indicator_rows(filters, measured)}


@dataclass(frozen=True)
class YearHeadline:
    year: int
    headline: measures.Headline


def headline_this_year(today: datetime.date | None = None) -> YearHeadline:
    """People reached since January, by the headline's rule, as the public may see it.

    Early in a year nothing is validated yet (January's reports arrive in February); until
    then the home page shows the year before, named as such, rather than a zero.
    """
    today = today or timezone.localdate()
    year = today.year
    headline = _headline_of_year(year, selectors.month_start(today))
    if headline.people == 0:
        earlier = _headline_of_year(year - 1, datetime.date(year - 1, 12, 1))
        if earlier.people:
            return YearHeadline(year - 1, earlier)
    return YearHeadline(year, headline)


def _headline_of_year(year: int, last_month: datetime.date) -> measures.Headline:
    filters = selectors.Filters(first_month=datetime.date(year, 1, 1), last_month=last_month)
    return public.headline(filters, None)


def presence_map(year: int, today: datetime.date | None = None):
    """Partners present by admin1 area over ``year`` (to this month), as the public may see
    them: the home page's map. None when no area has a boundary."""
    if maps.basemap(1) is None:
        return None
    today = today or timezone.localdate()
    last = min(datetime.date(year, 12, 1), selectors.month_start(today))
    filters = selectors.Filters(first_month=datetime.date(year, 1, 1), last_month=last)
    return maps.presence_map(filters, tables.area_rows(filters), year)


def hospitals_now(today: datetime.date | None = None):
    """The hospitals and how many function this month (``analysis.facilities``); None when
    the cluster registers no hospital."""
    from analysis.facilities import facility_figures
    from facilities.models import Facility

    if not Facility.objects.filter(type__is_hospital=True).exists():
        return None
    month = selectors.month_start(today or timezone.localdate())
    hospitals = facility_figures(month, month).hospitals
    return hospitals if hospitals.total else None


def attacks_this_year(today: datetime.date | None = None) -> dict | None:
    """The verified attacks on health care since January, with the year; None while the
    cluster records none at all."""
    from analysis.facilities import attack_counts
    from facilities.models import Incident

    if not Incident.objects.verified().exists():
        return None
    month = selectors.month_start(today or timezone.localdate())
    counts = attack_counts(month.replace(month=1), month)
    return {"year": month.year, **counts.totals()}


@dataclass(frozen=True)
class YearFunding:
    year: int
    total: object  # an ``analysis.funding.FundingRow``, its figures withheld from the public


def funding_this_year(today: datetime.date | None = None) -> YearFunding | None:
    """The funding of the projects running this year, received to date, as the public may
    see it (``analysis.funding.cluster_funding``: two queries, cached); None while no
    accepted project runs this year."""
    from analysis.funding import cluster_funding

    month = selectors.month_start(today or timezone.localdate())
    found = cluster_funding(month.replace(month=1), month)
    if not found.total.projects:
        return None
    return YearFunding(month.year, public.funding_total(found))


@dataclass(frozen=True)
class YearCoverage:
    year: int
    rows: list  # ``analysis.coverage.CoverageRow``s of the admin1 areas with a target


def coverage_this_year(today: datetime.date | None = None) -> YearCoverage | None:
    """People reached this year against the people targeted per admin1 area, as the public
    may see it (``analysis.coverage``, without the funding, which the funding figure gives);
    None while no caseload of a cycle covering this year has a target (one query), or while
    its cycle names no headline indicator."""
    from analysis.coverage import coverage
    from planning.models import Caseload

    month = selectors.month_start(today or timezone.localdate())
    planned = Caseload.objects.filter(
        people_targeted__gt=0, cycle__start_year__lte=month.year, cycle__end_year__gte=month.year
    )
    if not planned.exists():
        return None
    found = coverage(selectors.Filters(month.replace(month=1), month), with_funding=False)
    if found is None or not found.measured or not found.has_targets:
        return None
    return YearCoverage(month.year, [row for row in found.admin1 if row.has_target])
