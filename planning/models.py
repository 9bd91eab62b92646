"""The plan per area: people in need and targeted per strategy cycle, area and population
group (the caseloads of the humanitarian needs overview), and indicators' targets per area.

Both are entered or loaded as whole sets by coordinators through ``planning/services.py``,
which checks what a row alone cannot: the area's level, an admin1 area and a district inside
it given together (people counted twice), and an indicator's cluster-wide target against its
areas' targets.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

PLANNING_LEVELS = (1, 2)  # admin1 or admin2: the levels the needs overview plans at


class PopulationGroup(models.TextChoices):
    """Who a caseload counts: everybody (the total row), or one sex and age group."""

    ALL = "all", _("all people")
    GIRLS = "girls", _("girls")
    BOYS = "boys", _("boys")
    WOMEN = "women", _("women")
    MEN = "men", _("men")


class Caseload(models.Model):
    """The people in need and the people targeted in one area and population group, for a
    strategy cycle."""

    cycle = models.ForeignKey(
        "strategy.StrategyCycle",
        verbose_name=_("strategy cycle"),
        on_delete=models.CASCADE,
        related_name="caseloads",
    )
    area = models.ForeignKey(
        "locations.AdminArea",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="caseloads",
    )
    group = models.CharField(
        _("population group"),
        max_length=8,
        choices=PopulationGroup.choices,
        default=PopulationGroup.ALL,
    )
    people_in_need = models.PositiveIntegerField(_("people in need"))
    people_targeted = models.PositiveIntegerField(_("people targeted"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("For example “HNO 2026”.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("caseload")
        verbose_name_plural = _("caseloads")
        ordering = ["cycle", "area__path", "group"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "area", "group"],
                name="one_caseload_per_cycle_area_group",
                violation_error_message=_(
                    "This area already has a caseload for this population group in this cycle."
                ),
            ),
            models.CheckConstraint(
                condition=Q(people_targeted__isnull=True)
                | Q(people_targeted__lte=F("people_in_need")),
                name="caseload_targeted_within_in_need",
                violation_error_message=_("The people targeted cannot exceed the people in need."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.get_group_display()}: {self.people_in_need}"


class IndicatorAreaTarget(models.Model):
    """An indicator's target in one area; the cluster-wide target is kept consistent with
    the set (``planning.services.area_targets_save``)."""

    indicator = models.ForeignKey(
        "strategy.Indicator",
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="area_targets",
    )
    area = models.ForeignKey(
        "locations.AdminArea",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="indicator_targets",
    )
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator target per area")
        verbose_name_plural = _("indicator targets per area")
        ordering = ["indicator", "area__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area"],
                name="one_target_per_indicator_area",
                violation_error_message=_("This area already has a target for this indicator."),
            ),
            models.CheckConstraint(
                condition=Q(target__gte=0),
                name="area_target_not_negative",
                violation_error_message=_("A target cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.area}: {self.target}"
