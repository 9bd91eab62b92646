"""The analysis figures, kept in the cache until the data they are computed from changes.

The figures change only when a report's validated rows start or stop counting, or when an
assessment, the strategy, the areas or the organisations change; between two such writes,
every dashboard view of the same filters gives the same answer. Two version numbers are part
of the keys: the sources' (assessments, strategy, catalogue, areas, organisations, facilities,
projects and their funding, the plan per area), in every key, and the figures', in the keys of
what is computed from the report rows. Validating a report replaces only the figures' version,
so the filters' choices and the catalogue stay cached; a change to a source replaces its
version and so every key. Each is replaced on the write and again after the commit, so that a result
computed from data read before the commit does not outlive it.
"""

import functools
import hashlib
import time
import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from core.signals import rows_written

VERSION_KEY = "analysis:version"  # the figures'
SOURCES_KEY = "analysis:sources"
TIMEOUT = 60 * 60  # an unused entry goes after an hour
# The longest a request waits for another computing the same figures before it computes them
# too (the slowest figures take a few seconds at a million rows).
WAIT_SECONDS = 15
# Raised when a cached function's result changes shape, so that a new release never reads
# what the one before it cached (2: the organisations behind each figure, for disclosure;
# 3: overlaps by place, indicators measured per cycle and kind; 4: areas' figures by id;
# 5: basemaps carry their bounds; 6: the facilities' figures by type month by month).
FORMAT = 6
# The apps whose records the figures are computed from (the report rows arrive through
# analysis.services, which calls bump_figures() itself).
SOURCE_APPS = {
    "assessments",
    "strategy",
    "locations",
    "partners",
    "facilities",
    "projects",
    "planning",
}
SOURCE_MODELS = {
    ("activities", "activity"),
    # what feeds which indicator (``m2m_changed`` names the through model)
    ("activities", "activity_also_counts_towards"),
    ("activities", "activity_numerator_of"),
    ("activities", "activity_denominator_of"),
}
_MISSING = object()
_listeners: list[Callable[[], None]] = []


def _versions(*keys: str) -> str:
    found = cache.get_many(keys)
    for key in keys:
        if found.get(key) is None:
            cache.add(key, uuid.uuid4().hex, timeout=None)
            found[key] = cache.get(key) or "uncached"
    return ".".join(found[key] for key in keys)


def _replacer(key: str):
    def replace() -> None:
        cache.set(key, uuid.uuid4().hex, timeout=None)

    return replace


def on_change(listener: Callable[[], None]) -> None:
    """Call ``listener`` after each commit that replaced a version (the composition root
    warms the most-read pages' figures with it). A listener's error is logged, never raised:
    the action that changed the data has committed."""
    if listener not in _listeners:
        _listeners.append(listener)


def _notify() -> None:
    for listener in _listeners:
        listener()


def bump() -> None:
    """A source changed: forget every cached result, now and after the commit."""
    _replacer(SOURCES_KEY)()
    transaction.on_commit(_replacer(SOURCES_KEY))
    transaction.on_commit(_notify, robust=True)


def bump_figures() -> None:
    """Report rows started or stopped counting: forget what was computed from them."""
    _replacer(VERSION_KEY)()
    transaction.on_commit(_replacer(VERSION_KEY))
    transaction.on_commit(_notify, robust=True)


def _source_changed(sender, **kwargs) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.model_name.startswith("historical"):
        return
    if meta.app_label in SOURCE_APPS or (meta.app_label, meta.model_name) in SOURCE_MODELS:
        bump()


def connect_signals() -> None:
    for signal in (post_save, post_delete, m2m_changed, rows_written):
        signal.connect(_source_changed, dispatch_uid=f"analysis-cache-{id(signal)}")


def _key(name: str, args: tuple, kwargs: dict, figures: bool) -> str:
    text = repr(
        (name, [_plain(a) for a in args], sorted((k, _plain(v)) for k, v in kwargs.items()))
    )
    version = _versions(SOURCES_KEY, VERSION_KEY) if figures else _versions(SOURCES_KEY)
    return f"analysis:{FORMAT}:{version}:{hashlib.sha256(text.encode()).hexdigest()}"


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


def fragment_key(name: str, *parts) -> str:
    """The cache key of HTML written from the figures (``analysis.fragments``): ``parts``
    identify it, and it goes with them when the figures or their sources change."""
    return _key(f"fragment:{name}", parts, {}, figures=True)


def cached(function=None, *, figures: bool = True):
    """Keep ``function``'s result per arguments until the figures' sources change; with
    ``figures=False``, for what is computed from the sources alone, until they change.

    A result missing from the cache is computed by one request at a time: the others that
    ask for it meanwhile wait for it (a figure of five years takes seconds at a million rows,
    and every worker computing it at once stalled the site), and compute it themselves only
    if the first gives up or takes longer than ``WAIT_SECONDS``.
    """

    if function is None:
        return functools.partial(cached, figures=figures)

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        key = _key(f"{function.__module__}.{function.__qualname__}", args, kwargs, figures)
        lock, deadline = f"{key}:computing", time.monotonic() + WAIT_SECONDS
        while True:
            found = cache.get(key, _MISSING)
            if found is not _MISSING:
                return found
            if cache.add(lock, 1, timeout=WAIT_SECONDS):
                break
            # No lock kept (the cache does not answer), or waited long enough: compute.
            if not cache.get(lock) or time.monotonic() >= deadline:
                break
            _wait(key, lock, deadline)
        try:
            result = function(*args, **kwargs)
            cache.set(key, result, timeout=TIMEOUT)
        finally:
            cache.delete(lock)
        return result

    wrapper.uncached = function
    return wrapper


def _wait(key: str, lock: str, deadline: float) -> None:
    """Until the result is in the cache, its lock is gone, or the deadline has passed."""
    step = 0.02
    while time.monotonic() < deadline:
        time.sleep(step)
        step = min(step * 2, 0.25)
        if cache.get(key, _MISSING) is not _MISSING or not cache.get(lock):
            return
