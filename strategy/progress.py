"""Indicator progress for the strategy pages, supplied from above.

The figures come from the activity reports, a higher layer this app must not import; the
composition root (``cluster_portal``) registers the function that computes them.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Progress:
    reached: int
    percent: int | None
    as_of: object  # the last month counted (a date)


ProgressProvider = Callable[[object], dict[int, Progress]]
_provider: ProgressProvider | None = None


def register(provider: ProgressProvider) -> None:
    global _provider
    _provider = provider


def progress_for(cycle) -> dict[int, Progress]:
    """Each indicator's progress over the cycle so far, by indicator id (empty without one)."""
    if cycle is None or _provider is None:
        return {}
    return _provider(cycle)
