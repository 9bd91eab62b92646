"""Defining, closing and reopening monitoring periods."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from analysis import monitoring
from monitoring import policy
from monitoring.models import FrozenFigures, MonitoringPeriod
from strategy.models import StrategyCycle, cluster_profile


def period_create(
    *, cycle: StrategyCycle, first_month: datetime.date, last_month: datetime.date, by
) -> MonitoringPeriod:
    policy.can_manage(by).enforce()
    period = MonitoringPeriod(
        cycle=cycle, first_month=first_month, last_month=last_month, created_by=by
    )
    _check_months(period)
    period.full_clean()
    period.save()
    return period


def _check_months(period: MonitoringPeriod) -> None:
    cycle = period.cycle
    if period.last_month < period.first_month:
        raise ValidationError({"last_month": _("The last month cannot be before the first month.")})
    if not cycle.start_year <= period.first_month.year <= period.last_month.year <= cycle.end_year:
        raise ValidationError(
            _("A period of the %(cycle)s strategy lies within %(years)s.")
            % {"cycle": cycle.title, "years": cycle.period}
        )


@transaction.atomic
def period_close(*, period: MonitoringPeriod, by) -> FrozenFigures:
    """Freeze the period's figures as they are now; its download is made from this copy."""
    period = MonitoringPeriod.objects.select_for_update().get(pk=period.pk)
    policy.can_close(by, period).enforce()
    rows = monitoring.rpm_rows(
        period.cycle,
        period.first_month,
        period.last_month,
        monitoring.plan_for(period.cycle),
        cluster_profile().cluster_name_en,
    )
    number = (period.closings.aggregate(last=Max("number"))["last"] or 0) + 1
    now = timezone.now()
    frozen = FrozenFigures.objects.create(
        period=period, number=number, closed_at=now, closed_by=by, rows=rows
    )
    period.closed_at = now
    period.save(update_fields=["closed_at"])
    return frozen


@transaction.atomic
def period_reopen(*, period: MonitoringPeriod, by, reason: str) -> MonitoringPeriod:
    """Open the period again; its earlier frozen figures are kept, marked as reopened."""
    period = MonitoringPeriod.objects.select_for_update().get(pk=period.pk)
    policy.can_reopen(by, period).enforce()
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the period is reopened.")})
    latest = period.closings.order_by("-number").first()
    latest.reopened_at, latest.reopened_by, latest.reopen_reason = timezone.now(), by, reason
    latest.save(update_fields=["reopened_at", "reopened_by", "reopen_reason"])
    period.closed_at = None
    period.save(update_fields=["closed_at"])
    return period
