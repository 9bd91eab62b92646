"""An indicator's figure by its kind, and how it stands against its target.

The figures come from the activity reports, a higher layer this app must not import; the
composition root (``cluster_portal``) registers the function that computes them. What a
figure means against the baseline and target is the strategy's own rule, kept here.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from strategy.models import Indicator, IndicatorDirection, IndicatorKind


class Status(models.TextChoices):
    MET = "met", _("met")
    IMPROVING = "improving", _("improving")
    OFF_TRACK = "off_track", _("off track")


def status_of(value, *, baseline, target, direction: str) -> str:
    """Met, improving or off track: where a value stands between the baseline and the target.

    For a decrease, met at or below the target and off track at or above the baseline; an
    increase (or maintain) mirrors it. A target equal to the baseline is met or off track.
    """
    if direction == IndicatorDirection.DECREASE:
        value, baseline, target = -value, -baseline, -target
    if value >= target:
        return Status.MET
    if value <= baseline:
        return Status.OFF_TRACK
    return Status.IMPROVING


@dataclass(frozen=True)
class Measure:
    """One indicator's figure over a range of months, by its kind.

    ``value`` is None when nothing was reported ("no data") or when a rate has no numerator
    and denominator activities yet (``measured`` False, "not measured").
    """

    indicator: Indicator
    value: int | Decimal | None
    measured: bool = True
    numerator: int | None = None
    denominator: int | None = None
    left_out: int = 0  # rate: area-months with a numerator and no denominator
    as_of: datetime.date | None = None  # latest value: the newest month counted
    earliest: datetime.date | None = None  # latest value: the oldest month counted
    areas: int = 0  # latest value: the areas counted
    # Why the public may not see the figure (``partners.disclosure``: "small" or "withheld");
    # the value and what comes with it are then None.
    withheld: str = ""

    @property
    def kind(self) -> str:
        return self.indicator.kind

    @property
    def is_count(self) -> bool:
        return self.kind in (IndicatorKind.COUNT, IndicatorKind.PEOPLE_ONCE)

    @property
    def target(self):
        return self.indicator.target

    @property
    def baseline(self):
        return self.indicator.baseline

    @property
    def direction(self) -> str:
        return self.indicator.direction

    @property
    def uses_share(self) -> bool:
        """Counts towards an increase show a share of the target; everything else a status."""
        return self.is_count and self.indicator.direction != IndicatorDirection.DECREASE

    @property
    def percent(self) -> int | None:
        """The share of the target reached (counts only), uncapped."""
        if not self.uses_share or self.value is None or not self.target:
            return None
        return round(100 * self.value / self.target)

    @property
    def shown_percent(self) -> int | None:
        """The share as drawn on a bar: capped at 100, the real figure printed beside it."""
        percent = self.percent
        return None if percent is None else min(percent, 100)

    @property
    def status(self) -> str | None:
        if self.uses_share or self.value is None:
            return None
        indicator = self.indicator
        return status_of(
            self.value,
            baseline=indicator.baseline,
            target=indicator.target,
            direction=indicator.direction,
        )

    def get_status_display(self) -> str:
        return str(Status(self.status).label) if self.status else ""


ProgressProvider = Callable[[object], dict[int, Measure]]
_provider: ProgressProvider | None = None


def register(provider: ProgressProvider) -> None:
    global _provider
    _provider = provider


def progress_for(cycle) -> dict[int, Measure]:
    """Each indicator's figure over the cycle so far, by indicator id (empty without one)."""
    if cycle is None or _provider is None:
        return {}
    return _provider(cycle)
