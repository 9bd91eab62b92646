"""Who may see which activity reports, and whether a period accepts a submission.

Built on ``partners.access``: coordinators see every report, members their own
organisation's, everybody else none. Another organisation's report is a 404.
"""

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from activities.models import PeriodReopening, Report, ReportingPeriod
from partners.access import scope_to_user
from partners.models import Organisation


def reports_for_user(user) -> QuerySet[Report]:
    """Every report for coordinators, the user's organisation's for members, else none."""
    return scope_to_user(Report.objects.select_related("organisation", "period"), user)


def get_report_for_user(user, pk) -> Report:
    """The report if the user may see it; a 404 otherwise."""
    try:
        return reports_for_user(user).get(pk=pk)
    except (Report.DoesNotExist, ValueError):
        raise Http404 from None


def period_accepts_submission(
    period: ReportingPeriod, organisation: Organisation, now=None
) -> bool:
    """Open now, or locked but reopened for this organisation until a time not yet passed."""
    now = now or timezone.now()
    if period.is_open(now):
        return True
    if not period.is_locked(now):
        return False
    return PeriodReopening.objects.filter(
        period=period, organisation=organisation, until__gte=now
    ).exists()


def open_periods(now=None) -> QuerySet[ReportingPeriod]:
    """Periods open for submission now (between opening and deadline), newest first."""
    now = now or timezone.now()
    return ReportingPeriod.objects.filter(opens_at__lte=now, deadline__gte=now).order_by(
        "-year", "-month"
    )
