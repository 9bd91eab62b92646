"""The analysis figures, kept in the cache until the data they are computed from changes.

The figures change only when a report's validated rows start or stop counting, or when an
assessment, the strategy, the areas or the organisations change; between two such writes,
every dashboard view of the same filters gives the same answer. A version number, part of
every key, is replaced on each of those writes (after the commit as well, so that a result
computed from data read before the commit does not outlive it).
"""

import functools
import hashlib
import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from core.signals import rows_written

VERSION_KEY = "analysis:version"
TIMEOUT = 60 * 60  # an unused entry goes after an hour
# Raised when a cached function's result changes shape, so that a new release never reads
# what the one before it cached (2: the organisations behind each figure, for disclosure).
FORMAT = 2
# The apps whose records the figures are computed from (the report rows arrive through
# analysis.services, which calls bump() itself).
SOURCE_APPS = {"assessments", "strategy", "locations", "partners"}
SOURCE_MODELS = {
    ("activities", "activity"),
    # what feeds which indicator (``m2m_changed`` names the through model)
    ("activities", "activity_also_counts_towards"),
    ("activities", "activity_numerator_of"),
    ("activities", "activity_denominator_of"),
}
_MISSING = object()


def _version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY) or "uncached"
    return version


def _replace_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def bump() -> None:
    """The figures may have changed: forget every cached result, now and after the commit."""
    _replace_version()
    transaction.on_commit(_replace_version)


def _source_changed(sender, **kwargs) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.model_name.startswith("historical"):
        return
    if meta.app_label in SOURCE_APPS or (meta.app_label, meta.model_name) in SOURCE_MODELS:
        bump()


def connect_signals() -> None:
    for signal in (post_save, post_delete, m2m_changed, rows_written):
        signal.connect(_source_changed, dispatch_uid=f"analysis-cache-{id(signal)}")


def _key(name: str, args: tuple, kwargs: dict) -> str:
    text = repr(
        (name, [_plain(a) for a in args], sorted((k, _plain(v)) for k, v in kwargs.items()))
    )
    return f"analysis:{FORMAT}:{_version()}:{hashlib.sha256(text.encode()).hexdigest()}"


def _plain(value):
    """What identifies an argument: model instances and querysets by their SQL and ids."""
    if hasattr(value, "query") and hasattr(value, "model"):
        return str(value.query)
    if hasattr(value, "_meta") and hasattr(value, "pk"):
        return (value._meta.label, value.pk)
    if hasattr(value, "__dataclass_fields__"):
        return tuple((name, _plain(getattr(value, name))) for name in value.__dataclass_fields__)
    if isinstance(value, list | tuple):
        return tuple(_plain(item) for item in value)
    return value


def cached(function):
    """Keep ``function``'s result per arguments until the figures' sources change."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        key = _key(f"{function.__module__}.{function.__qualname__}", args, kwargs)
        found = cache.get(key, _MISSING)
        if found is not _MISSING:
            return found
        result = function(*args, **kwargs)
        cache.set(key, result, timeout=TIMEOUT)
        return result

    wrapper.uncached = function
    return wrapper
