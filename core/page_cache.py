"""Whole-page cache for anonymous visitors, emptied whenever the portal's data changes.

The public pages are the same for every anonymous visitor, and a crisis brings many of them
at once; rendering the home page means aggregating the activity figures. A page is kept
only when it is safe to share: a GET from a visitor without a session or a pending message,
answered 200 with HTML, setting no cookie and embedding no CSRF token. Any committed write to
any model bumps a version number that is part of every key, so a page is never staler than
the data behind it (``PAGE_CACHE_SECONDS`` only bounds how long an unused entry stays); the
code's digest (``core.release``) is part of it too, so a new release writes its pages anew.

While the database is out of reach (a PgBouncer or PostgreSQL restart, a failover), a page
that cannot be rendered is answered with the last copy kept of it, if any (``stale``): the
public keeps reading the cluster's pages through a blip rather than an error. Only pages
without a query string keep such a copy, for ``STALE_SECONDS``.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.cache import patch_vary_headers

from core.release import code_version
from core.signals import rows_written

VERSION_KEY = "page-cache:version"
HEADER = "X-Page-Cache"
STALE_SECONDS = 24 * 60 * 60
# Writes that never change what an anonymous visitor sees. Subscribing, signing in (which
# writes last_login) and two-factor devices must not let anyone empty the cache at will.
IGNORED_APPS = {
    "sessions",
    "admin",
    "contenttypes",
    "accounts",
    "account",
    "mfa",
    "subscribers",
    "outbox",  # emails waiting to be sent
}
# Rows no public page shows: the rate limits' counters kept while Redis is down.
IGNORED_MODELS = {"core.securitycacheentry"}


def current_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return version


def bump() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _data_changed(sender, **kwargs) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.app_label in IGNORED_APPS or meta.label_lower in IGNORED_MODELS:
        return
    if meta.model_name.startswith("historical"):
        return
    # Now, for this request's own next read; and after the commit, for a page cached by
    # another request that read the data before it was committed.
    bump()
    transaction.on_commit(bump)


def connect_signals() -> None:
    for signal in (post_save, post_delete, m2m_changed, rows_written):
        signal.connect(_data_changed, dispatch_uid=f"page-cache-{id(signal)}")


def _key(request) -> str:
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"page-cache:{code_version()}:{current_version()}:{request.method == 'HEAD'}:{digest}"


def _stale_key(request) -> str | None:
    """Where the last copy of the page is kept, whatever the version; None with a query."""
    if request.META.get("QUERY_STRING"):
        return None
    digest = hashlib.sha256(request.path.encode()).hexdigest()
    return f"page-cache:last:{request.method == 'HEAD'}:{digest}"


def _shareable_request(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _shareable_response(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and response.get("Content-Type", "").startswith("text/html")
        and not request.META.get("CSRF_COOKIE_USED")
        and "private" not in response.get("Cache-Control", "")
        and "no-cache" not in response.get("Cache-Control", "")
    )


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or not _shareable_request(request):
            return self.get_response(request)
        key = _key(request)
        cached = cache.get(key)
        if cached is not None:
            cached[HEADER] = "hit"
            return cached
        response = self.get_response(request)
        stale_key = _stale_key(request)
        if getattr(response, "database_unavailable", False) and stale_key:
            return _stale(stale_key) or response
        if _shareable_response(request, response):
            patch_vary_headers(response, ["Cookie"])
            response[HEADER] = "miss"
            cache.set(key, response, timeout=seconds)
            if stale_key:
                cache.set(stale_key, response, timeout=STALE_SECONDS)
        return response


def _stale(key: str):
    found = cache.get(key)
    if found is not None:
        found[HEADER] = "stale"
    return found
