from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.tasks import Task
from monitoring.models import MonitoringPeriod
from partners.access import is_coordinator


def tasks_for_user(user) -> list[Task]:
    """For coordinators, the monitoring periods that have ended and are still open (one query)."""
    if not is_coordinator(user):
        return []
    this_month = timezone.localdate().replace(day=1)
    ended = MonitoringPeriod.objects.filter(closed_at=None, last_month__lt=this_month).count()
    if not ended:
        return []
    return [
        Task(
            title=_("Monitoring periods to close"),
            description=ngettext(
                "%(count)d monitoring period has ended: close it to freeze its figures for "
                "OCHA once its reports are validated.",
                "%(count)d monitoring periods have ended: close them to freeze their figures "
                "for OCHA once their reports are validated.",
                ended,
            )
            % {"count": ended},
            url=reverse("monitoring:list"),
            count=ended,
        )
    ]
