"""Who may see which activity reports.

Built on ``partners.access``, the one scoping module: coordinators see every report,
members their own organisation's, everybody else none. Another organisation's report is a
404. What a user may do with a report they see is ``activities.policy``'s to say.
"""

from django.db.models import QuerySet
from django.utils import timezone

from activities.models import Report, ReportingPeriod
from partners.access import get_scoped_or_404, scope_to_user


def reports_for_user(user) -> QuerySet[Report]:
    """Every report for coordinators, the user's organisation's for members, else none."""
    return scope_to_user(Report.objects.select_related("organisation", "period"), user)


def get_report_for_user(user, pk, queryset: QuerySet[Report] | None = None) -> Report:
    """The report (of ``queryset`` when given) if the user may see it; a 404 otherwise."""
    queryset = (
        Report.objects.select_related("organisation", "period") if queryset is None else queryset
    )
    return get_scoped_or_404(queryset, user, pk)


def open_periods(now=None) -> QuerySet[ReportingPeriod]:
    """Periods open for submission now (between opening and deadline), newest first."""
    now = now or timezone.now()
    return ReportingPeriod.objects.filter(opens_at__lte=now, deadline__gte=now).order_by(
        "-year", "-month"
    )
