"""Who may do what with a monthly activity report, and when: the report workflow's policy.

One function per action, each answering a ``core.policy.Decision`` with the reason in the
user's language. The services (``activities/services/reports.py`` and ``imports.py``)
enforce them; the report page asks them which buttons to show (``report_actions``).

- Members of the reporting organisation, while it is approved, start, enter and submit its
  reports, and ask to correct a validated one; a suspended organisation reads only.
- Coordinators enter a report on an organisation's behalf, fix a submitted one, validate or
  return it, and reopen a validated one as a new version. They never ask for a correction:
  they reopen.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import PeriodReopening, Report, ReportingPeriod, ReportStatus
from core.policy import ALLOWED, Decision, first_refusal, forbid, refuse
from partners.access import is_coordinator, user_organisation
from partners.models import Organisation

# The states in which the rows may change: by the partner, and by a coordinator who fixes
# a report before validating it.
PARTNER_EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)
COORDINATOR_EDITABLE = (*PARTNER_EDITABLE, ReportStatus.SUBMITTED)
REOPENABLE = (ReportStatus.CORRECTION_REQUESTED, ReportStatus.VALIDATED)


def period_accepts_submission(
    period: ReportingPeriod, organisation: Organisation, now: datetime.datetime | None = None
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


def _reports_for(user, organisation: Organisation) -> Decision:
    """A coordinator, or a member of the organisation while it is approved.

    The organisation's status is read from ``organisation`` as given: the services pass the
    one they loaded with the report under its lock."""
    if is_coordinator(user):
        return ALLOWED
    own = user_organisation(user)
    if own is not None and own.pk == organisation.pk:
        if organisation.is_approved:
            return ALLOWED
        return forbid(
            _(
                "Your organisation is suspended: it can read its activity reports but not "
                "change or submit them."
            )
        )
    return forbid(
        _(
            "Only members of an approved partner organisation and coordinators can enter "
            "its activity reports."
        )
    )


def _coordinator(user) -> Decision:
    if is_coordinator(user):
        return ALLOWED
    return forbid(_("Only coordinators review activity reports."))


def _closed(period: ReportingPeriod, organisation: Organisation) -> Decision:
    if period_accepts_submission(period, organisation):
        return ALLOWED
    return refuse(
        _(
            "Reporting for %(period)s is closed. Ask the cluster coordinators to reopen it "
            "for your organisation if you still need to report."
        )
        % {"period": period},
        "period_closed",
    )


def _in_state(report: Report, states, allowed: str) -> Decision:
    if report.status in states:
        return ALLOWED
    return refuse(
        _("This report is %(status)s; %(allowed)s")
        % {"status": report.get_status_display().lower(), "allowed": allowed},
        "wrong_status",
    )


def can_start(user, organisation: Organisation, period: ReportingPeriod) -> Decision:
    """Open the organisation's report for the period (a draft the first time)."""
    decision = _reports_for(user, organisation)
    if not decision or is_coordinator(user):
        return decision
    return _closed(period, organisation)


def can_edit(user, report: Report) -> Decision:
    """Change the report's rows, by the entry page or an Excel import."""
    if is_coordinator(user):
        return _in_state(
            report,
            COORDINATOR_EDITABLE,
            _("its rows can be changed only before it is validated."),
        )
    return first_refusal(
        _reports_for(user, report.organisation),
        _in_state(
            report,
            PARTNER_EDITABLE,
            _("its rows can be changed only while it is a draft or after it has been returned."),
        ),
    )


def can_submit(user, report: Report) -> Decision:
    """Send a draft or returned report to the coordinators for validation."""
    decision = first_refusal(
        _reports_for(user, report.organisation),
        _in_state(
            report, PARTNER_EDITABLE, _("only a draft or a returned report can be submitted.")
        ),
    )
    # A returned report was submitted in time once: its corrections are always welcome.
    if not decision or is_coordinator(user) or report.status != ReportStatus.DRAFT:
        return decision
    return _closed(report.period, report.organisation)


def can_validate(user, report: Report) -> Decision:
    return first_refusal(
        _coordinator(user),
        _in_state(
            report, (ReportStatus.SUBMITTED,), _("only a submitted report can be validated.")
        ),
    )


def can_return(user, report: Report) -> Decision:
    """Return a submitted report to its organisation with what to correct."""
    return first_refusal(
        _coordinator(user),
        _in_state(report, (ReportStatus.SUBMITTED,), _("only a submitted report can be returned.")),
    )


def can_request_correction(user, report: Report) -> Decision:
    """The organisation asks to correct a validated report; a coordinator reopens it instead."""
    if is_coordinator(user):
        return forbid(
            _(
                "Only members of the reporting organisation ask for a correction; coordinators "
                "reopen the report."
            )
        )
    return first_refusal(
        _reports_for(user, report.organisation),
        _in_state(
            report,
            (ReportStatus.VALIDATED,),
            _("a correction can be requested only for a validated report."),
        ),
    )


def can_reopen(user, report: Report) -> Decision:
    """Reopen a validated report for correction as a new version."""
    return first_refusal(
        _coordinator(user),
        _in_state(
            report,
            REOPENABLE,
            _("only a validated report, or one whose correction was requested, can be reopened."),
        ),
    )


def report_actions(user, report: Report) -> dict[str, Decision]:
    """Every action of the report page, for its buttons: ``{% if actions.submit %}``."""
    return {
        "edit": can_edit(user, report),
        "submit": can_submit(user, report),
        "validate": can_validate(user, report),
        "return": can_return(user, report),
        "request_correction": can_request_correction(user, report),
        "reopen": can_reopen(user, report),
    }
