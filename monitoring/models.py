"""The cluster's monitoring periods, and the figures frozen when each is closed.

OCHA's Response Planning and Monitoring module asks each cluster for its indicators' results
per monitoring period. Coordinators define the periods (usually a month or a quarter) and close
each once its reports are in: closing freezes the figures, as a bulletin's snapshot does, and
the download is made from the frozen copy, never computed again. A period reopened and closed
again gets a new frozen copy; the earlier ones are kept.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from analysis.facilities import month_end


class MonitoringPeriod(models.Model):
    cycle = models.ForeignKey(
        "strategy.StrategyCycle",
        verbose_name=_("strategy cycle"),
        on_delete=models.PROTECT,
        related_name="monitoring_periods",
    )
    first_month = models.DateField(_("first month"))
    last_month = models.DateField(_("last month"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-first_month", "-last_month"]
        verbose_name = _("monitoring period")
        verbose_name_plural = _("monitoring periods")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_month__gte=F("first_month")),
                name="monitoring_period_ends_after_it_starts",
            ),
            models.UniqueConstraint(
                fields=["first_month", "last_month"],
                name="monitoring_period_once",
                violation_error_message=_("A monitoring period with these months exists."),
            ),
        ]

    def __str__(self) -> str:
        first = date_format(self.first_month, "YEAR_MONTH_FORMAT")
        if self.first_month == self.last_month:
            return first
        return f"{first} \N{EN DASH} {date_format(self.last_month, 'YEAR_MONTH_FORMAT')}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def last_day(self) -> datetime.date:
        return month_end(self.last_month)


class FrozenFigures(models.Model):
    """The figures of a period as they were when it was closed, and the rows of its download."""

    period = models.ForeignKey(
        MonitoringPeriod,
        verbose_name=_("monitoring period"),
        on_delete=models.PROTECT,
        related_name="closings",
    )
    number = models.PositiveSmallIntegerField(_("closing"))
    closed_at = models.DateTimeField(_("closed at"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    rows = models.JSONField(_("rows"))
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reopened by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reopen_reason = models.TextField(_("why it was reopened"), blank=True)

    class Meta:
        ordering = ["period", "-number"]
        verbose_name = _("frozen figures")
        verbose_name_plural = _("frozen figures")
        constraints = [
            models.UniqueConstraint(fields=["period", "number"], name="frozen_figures_once"),
        ]

    def __str__(self) -> str:
        return f"{self.period} #{self.number}"
