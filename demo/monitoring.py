"""Demoland's monitoring periods: last month, closed with its figures frozen, and this month,
open. A period that exists is left as it is (a coordinator may have reopened it), so running
the seed again changes nothing; a month outside the current strategy cycle is skipped."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from monitoring import services
from monitoring.models import MonitoringPeriod
from strategy.models import StrategyCycle


def _months(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    this_month = today.replace(day=1)
    last_month = (this_month - datetime.timedelta(days=1)).replace(day=1)
    return last_month, this_month


@transaction.atomic
def seed() -> str:
    """Define and close last month's period and define this month's; return a summary."""
    cycle = StrategyCycle.objects.get(is_current=True)
    by = get_user_model().objects.get(email="coordinator@demo.local")
    last_month, this_month = _months(timezone.localdate())
    added = 0
    for month, close in ((last_month, True), (this_month, False)):
        if MonitoringPeriod.objects.filter(first_month=month, last_month=month).exists():
            continue
        try:
            with transaction.atomic():
                period = services.period_create(
                    cycle=cycle, first_month=month, last_month=month, by=by
                )
        except ValidationError:
            continue  # outside the current cycle
        if close:
            services.period_close(period=period, by=by)
        added += 1
    closed = MonitoringPeriod.objects.filter(closed_at__isnull=False).count()
    return (
        f"Monitoring periods: {MonitoringPeriod.objects.count()} ({added} added, {closed} closed)."
    )
