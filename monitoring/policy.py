"""Who may do what with monitoring periods: coordinators define them, close them once they have
ended, and reopen them; nobody else sees them (the figures are the cluster's own, before the
disclosure policy, and go to OCHA).

One function per action, each answering a ``core.policy.Decision``; ``monitoring/services.py``
enforces them and the pages ask them which buttons to show.
"""

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.policy import ALLOWED, Decision, first_refusal, forbid, refuse
from monitoring.models import MonitoringPeriod
from partners.access import is_coordinator


def can_manage(user) -> Decision:
    """See the periods, define one, and download their frozen figures."""
    if is_coordinator(user):
        return ALLOWED
    return forbid(_("Monitoring periods are kept by the cluster's coordinators."))


def can_close(user, period: MonitoringPeriod, today: datetime.date | None = None) -> Decision:
    today = today or timezone.localdate()
    if period.is_closed:
        state = refuse(_("This period is closed already."), "closed")
    elif period.last_day >= today:
        state = refuse(
            _("The period ends on %(day)s: close it once it has ended and its reports are in.")
            % {"day": date_format(period.last_day, "DATE_FORMAT")},
            "not_ended",
        )
    else:
        state = ALLOWED
    return first_refusal(can_manage(user), state)


def can_reopen(user, period: MonitoringPeriod) -> Decision:
    state = ALLOWED if period.is_closed else refuse(_("This period is open."), "open")
    return first_refusal(can_manage(user), state)


def period_actions(user, period: MonitoringPeriod) -> dict[str, Decision]:
    return {"close": can_close(user, period), "reopen": can_reopen(user, period)}
