"""Conditional requests: ``ETag`` and ``Last-Modified`` without reading the data.

The page cache keeps one version number of all the portal's data, changed by every committed
write (``core.page_cache``). An API answer depends only on that version, the address with
its query string and the caller's scope (the public, or members and coordinators, who read
members' meetings and restricted assessments), so its ETag is a digest of the three: one
cache read, no query. ``Last-Modified`` is when the API first saw that version of the data,
kept beside it in the cache. A matching ``If-None-Match`` (or an ``If-Modified-Since`` not
older than that time) is answered 304 before any row is read.
"""

import hashlib
from datetime import UTC, datetime

from django.core.cache import cache
from django.utils.cache import quote_etag

from core import page_cache
from partners.access import reads_member_content

# How long the time a data version was first seen is kept: longer than any version lives
# on a busy portal; an expired one simply starts again from now.
SEEN_TIMEOUT = 30 * 24 * 60 * 60


def scope_of(user) -> str:
    return "members" if reads_member_content(user) else "public"


def validators(request, scope: str | None = None) -> tuple[str, datetime]:
    """The ETag and Last-Modified of the answer to ``request`` (a DRF request, signed in);
    ``scope`` names what the caller sees when it is finer than ``scope_of``."""
    version = page_cache.current_version()
    scope = scope if scope is not None else scope_of(request.user)
    material = "\n".join([version, request.get_full_path(), scope])
    etag = quote_etag(hashlib.sha256(material.encode()).hexdigest()[:32])
    key = f"api:version-seen:{version}"
    now = int(datetime.now(tz=UTC).timestamp())
    cache.add(key, now, timeout=SEEN_TIMEOUT)
    seen = cache.get(key) or now
    return etag, datetime.fromtimestamp(seen, tz=UTC)
