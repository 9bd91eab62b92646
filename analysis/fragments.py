"""A dashboard tab's content, kept as HTML until the figures change.

Signed-in readers never get the page cache (``core.page_cache``), and a tab's content costs
more to write than its cached figures cost to read: the filter form's areas and
organisations, the tables of 300 districts. The part of the page below the navigation is
the same for every reader of the same access, language and filters, so it is kept under a
key made of them, the figures' versions (``analysis.cache.fragment_key``) and the code's
(``core.release``, so a new release writes it anew); the navigation,
the messages and the footer, which are the reader's own, are written on every request.

Only the filters a tab's own links carry are kept (the query string exactly as
``Dashboard.query`` writes it): a typed query string, a gap rule or a later page of a list
is written afresh, so no one can fill the cache with variants of one page.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language

from analysis.cache import TIMEOUT, fragment_key
from analysis.views.common import Dashboard
from core.release import code_version


@dataclass
class Kept:
    """Where a tab's content is kept, and the content when it was found there."""

    key: str
    html: str | None = None

    def store(self, html: str) -> None:
        cache.set(self.key, html, timeout=TIMEOUT)


def kept_content(
    request: HttpRequest, template: str, dashboard: Dashboard, vary: tuple = ()
) -> Kept | None:
    """The tab's content as kept, or where to keep it; None when it is not to be kept."""
    if request.META.get("QUERY_STRING", "") != dashboard.query:
        return None
    key = fragment_key(
        template,
        code_version(),
        request.path,
        get_language(),
        int(dashboard.access),
        dashboard.filters,
        # what counts as recent (a gap, a facility's status) moves with the day
        timezone.localdate(),
        *vary,
    )
    return Kept(key, cache.get(key))
