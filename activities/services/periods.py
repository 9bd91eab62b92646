"""Reporting periods: their default window, creation, editing and reopening for one partner.

Opening times and deadlines are entered and shown in the cluster's time zone
(``settings.TIME_ZONE``); the database stores them in UTC.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import PeriodReopening, ReportingPeriod
from core.emails import send_to_users
from partners.models import MemberRole, Membership, MembershipStatus, Organisation


def cluster_timezone() -> zoneinfo.ZoneInfo:
    """The cluster's time zone, in which opening times and deadlines are entered."""
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def default_window(year: int, month: int) -> tuple[datetime.datetime, datetime.datetime]:
    """Opens the 1st of the month after the reported one at 00:00, closes the 10th at 23:59.

    Both in the cluster's time zone.
    """
    tz = cluster_timezone()
    next_year, following = next_month(year, month)
    opens_at = datetime.datetime(next_year, following, 1, 0, 0, tzinfo=tz)
    deadline = datetime.datetime(next_year, following, 10, 23, 59, tzinfo=tz)
    return opens_at, deadline


def next_period_month(now: datetime.datetime | None = None) -> tuple[int, int]:
    """The month after the latest period; the current month when there is no period yet."""
    latest = ReportingPeriod.objects.order_by("-year", "-month").first()
    if latest is not None:
        return next_month(latest.year, latest.month)
    today = timezone.localtime(now, cluster_timezone()).date() if now else None
    today = today or timezone.localtime(timezone.now(), cluster_timezone()).date()
    return today.year, today.month


def _check_window(opens_at: datetime.datetime, deadline: datetime.datetime) -> None:
    if deadline <= opens_at:
        raise ValidationError(
            {"deadline": _("The deadline must come after the opening time.")},
            code="deadline_before_opening",
        )


def _month_taken_error() -> ValidationError:
    return ValidationError(
        {"month": _("There is already a reporting period for this month.")}, code="month_taken"
    )


@transaction.atomic
def period_create(
    *,
    year: int,
    month: int,
    opens_at: datetime.datetime,
    deadline: datetime.datetime,
    by,
) -> ReportingPeriod:
    """Define the reporting period of one month."""
    if not 1 <= month <= 12:
        raise ValidationError({"month": _("Choose a month from 1 to 12.")}, code="bad_month")
    _check_window(opens_at, deadline)
    if ReportingPeriod.objects.filter(year=year, month=month).exists():
        raise _month_taken_error()
    period = ReportingPeriod(year=year, month=month, opens_at=opens_at, deadline=deadline)
    period._history_user = by
    try:
        with transaction.atomic():
            period.save()
    except IntegrityError:
        raise _month_taken_error() from None
    return period


@transaction.atomic
def period_create_next(*, by) -> ReportingPeriod:
    """Create the period after the latest one, with the default opening time and deadline."""
    year, month = next_period_month()
    opens_at, deadline = default_window(year, month)
    return period_create(year=year, month=month, opens_at=opens_at, deadline=deadline, by=by)


@transaction.atomic
def period_update(
    *,
    period: ReportingPeriod,
    opens_at: datetime.datetime,
    deadline: datetime.datetime,
    projects_required: bool | None = None,
    by,
) -> ReportingPeriod:
    """Move a period's opening time or deadline, and (unless None) say whether its rows must
    name their project at submission; its month stays."""
    _check_window(opens_at, deadline)
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    period.opens_at = opens_at
    period.deadline = deadline
    fields = ["opens_at", "deadline"]
    if projects_required is not None:
        period.projects_required = projects_required
        fields.append("projects_required")
    period._history_user = by
    period.save(update_fields=fields)
    return period


@transaction.atomic
def focal_points(organisation: Organisation) -> list:
    """The organisation's active focal points: whom a reopening tells."""
    return [
        membership.user
        for membership in Membership.objects.select_related("user").filter(
            organisation=organisation,
            status=MembershipStatus.ACTIVE,
            role=MemberRole.FOCAL_POINT,
        )
    ]


def period_reopen(
    *,
    period: ReportingPeriod,
    organisation: Organisation,
    until: datetime.datetime,
    reason: str,
    by,
) -> PeriodReopening:
    """Let one organisation submit for a locked period until a given time; tell its focal point.

    Reopening again for the same organisation moves the date and replaces the reason.
    """
    now = timezone.now()
    if not period.is_locked(now):
        raise ValidationError(
            _("This period is not locked yet: the organisation can still submit."),
            code="not_locked",
        )
    if not organisation.is_approved:
        raise ValidationError(
            _("Only an approved organisation can submit a report."), code="not_approved"
        )
    if until <= now:
        raise ValidationError(
            {"until": _("Choose a date and time in the future.")}, code="until_past"
        )
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Say why the period is reopened; the organisation will read it.")},
            code="no_reason",
        )
    reopening = (
        PeriodReopening.objects.select_for_update()
        .filter(period=period, organisation=organisation)
        .first()
    ) or PeriodReopening(period=period, organisation=organisation)
    reopening.until = until
    reopening.reason = reason.strip()
    reopening.created_by = by
    reopening._history_user = by
    reopening.save()
    send_to_users(
        focal_points(organisation),
        "activities/period_reopened",
        {"period": period, "organisation": organisation, "reopening": reopening},
    )
    return reopening
