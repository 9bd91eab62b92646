"""Warming the figures of the most-read pages after the data they come from changed.

A validation (of a report, a facility's status, an incident…) replaces the figures' version
(``analysis.cache``), so the next reader of the strategy page, the home page or a dashboard
tab would compute them afresh: at a million rows
that reader waits 0.2 to 0.5 s. A worker computes them instead, a few seconds after the change
(``ANALYSIS_WARM_SECONDS``); changes within that delay share one computation.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

from analysis.tables import Access
from analysis.views import pages
from analysis.views.common import default_dashboard
from cluster_portal import composition
from strategy import progress
from strategy import selectors as strategy_selectors

logger = logging.getLogger(__name__)

PENDING_KEY = "analysis:warming-pending"
# The tabs a reader opens first, for each kind of reader (their default filters), and the
# facilities' and attacks' tabs, whose figures a facility's status or an incident changes.
TABS = (
    pages.overview_context,
    pages.areas_context,
    pages.people_context,
    pages.facilities_context,
    pages.attacks_context,
)
READERS = (Access.PUBLIC, Access.MEMBERS, Access.COORDINATORS)


def schedule() -> None:
    """Ask a worker to warm the figures once the delay has passed, unless already asked.
    Never raises: it runs after the change has committed."""
    from cluster_portal.tasks import warm_figures

    delay = settings.ANALYSIS_WARM_SECONDS
    if not delay:
        return
    try:
        # The key outlives the delay a little, so a lost task does not stop the next one.
        if not cache.add(PENDING_KEY, 1, timeout=delay + 60):
            return
        warm_figures.apply_async(countdown=delay, retry=False)
    except (BrokerError, RedisError, OSError):
        cache.delete(PENDING_KEY)
        logger.warning("The broker cannot be reached: the figures are computed on demand.")


def warm() -> None:
    """Compute what the strategy page, the home page and the dashboard's first tabs show,
    in every language, into the analysis cache."""
    from cluster_portal.views import home_figures

    cache.delete(PENDING_KEY)
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            progress.progress_for(strategy_selectors.current_cycle())
            figures = home_figures()
            composition.presence_map(figures["people"].year)
            for access in READERS:
                dashboard = default_dashboard(access)
                for build in TABS:
                    build(dashboard)
