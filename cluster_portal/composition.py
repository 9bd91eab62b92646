"""Figures that pages of lower apps show but only the analysis layer can compute.

Registered at start-up (``ClusterPortalConfig.ready``); the lower apps call them through
their own small hooks and never import ``analysis`` themselves.
"""

import datetime

from django.utils import timezone

from analysis import selectors
from strategy.progress import Progress


def cycle_months(cycle, today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """From the cycle's first month to its last, or to the current month while it runs."""
    today = today or timezone.localdate()
    first = datetime.date(cycle.start_year, 1, 1)
    last = min(datetime.date(cycle.end_year, 12, 1), selectors.month_start(today))
    return first, max(first, last)


def indicator_progress(cycle) -> dict[int, Progress]:
    """Public-scope progress of each indicator of the cycle, over the cycle so far."""
    first, last = cycle_months(cycle)
    filters = selectors.Filters(first_month=first, last_month=last)
    return {
        item.indicator.pk: Progress(item.reached, item.percent, last)
        for item in selectors.indicator_progress(filters, selectors.cycle_indicators(cycle))
    }


def people_reached_this_year(today: datetime.date | None = None) -> int:
    """People reached with health services since January, in public scope."""
    today = today or timezone.localdate()
    filters = selectors.Filters(
        first_month=datetime.date(today.year, 1, 1), last_month=selectors.month_start(today)
    )
    return selectors.key_figures(filters).people_reached
