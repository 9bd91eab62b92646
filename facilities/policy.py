"""Who may do what with health facilities and their statuses: the facility workflow's policy.

One function per action, each answering a ``core.policy.Decision`` with the reason in the
user's language. ``facilities/services.py`` enforces them; the pages ask them which buttons
to show (``facility_actions``, ``status_actions``).

- Coordinators keep the registry: they add and change facilities, the list of facility
  types and the partners supporting each facility.
- A member (focal point or staff) of an approved organisation records the status of a
  facility the organisation supports on the status's date; a coordinator records one for any
  facility, on a partner's behalf or as the cluster.
- Coordinators validate a submitted status or return it with a comment, as they review
  activity reports; a returned status is corrected by its organisation (or, recorded as the
  cluster, by a coordinator) and goes back to review.

Who may see facilities at all is ``partners.disclosure.sees_facilities``' to say.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from core.policy import ALLOWED, Decision, first_refusal, forbid, refuse
from facilities.models import Facility, FacilityStatus, FacilitySupport, ReviewState
from facilities.selectors import facilities_recordable_by, oldest_counted, supports
from partners.access import is_coordinator, user_organisation
from partners.models import Organisation


def recording_window(today: datetime.date) -> datetime.date:
    """The first day whose status can still become current: a partner that supported the
    facility on some day since then may open its status form."""
    return oldest_counted(today)


def _coordinator(user, reason: str) -> Decision:
    return ALLOWED if is_coordinator(user) else forbid(reason)


def _approved_member(user) -> tuple[Organisation | None, Decision]:
    organisation = user_organisation(user)
    if organisation is None:
        return None, forbid(
            _(
                "Only members of a partner organisation supporting the facility, and "
                "coordinators, record its status."
            )
        )
    if not organisation.is_approved:
        return organisation, forbid(
            _(
                "Your organisation is suspended: it can read the facilities' statuses but not "
                "record them."
            )
        )
    return organisation, ALLOWED


def _in_state(status: FacilityStatus, state: str, allowed: str) -> Decision:
    if status.state == state:
        return ALLOWED
    return refuse(
        _("This status is %(state)s; %(allowed)s")
        % {"state": status.get_state_display().lower(), "allowed": allowed},
        "wrong_state",
    )


# --- the registry --------------------------------------------------------------------------------


def can_manage_facilities(user) -> Decision:
    """Add a facility, or change one (its code, names, type, place, services)."""
    return _coordinator(user, _("Only coordinators add and change health facilities."))


def can_manage_types(user) -> Decision:
    """Add or change a facility type."""
    return _coordinator(user, _("Only coordinators change the list of facility types."))


def can_manage_supports(user) -> Decision:
    """Record that a partner supports a facility, or that its support ended."""
    return _coordinator(
        user, _("Only coordinators record which partners support a health facility.")
    )


# --- statuses ------------------------------------------------------------------------------------


def can_record_status(user, facility: Facility) -> Decision:
    """Record a status of the facility: coordinators for any; a member of an approved
    organisation that supported it on some day of the recording window. That the
    organisation supported it on the status's own date is checked with the form's other
    fields (``facilities.services.status_record``)."""
    if is_coordinator(user):
        return ALLOWED
    organisation, decision = _approved_member(user)
    if not decision:
        return decision
    today = timezone.localdate()
    if supports(organisation, facility, today, since=recording_window(today)):
        return ALLOWED
    return forbid(
        _(
            "Only partners supporting this facility, and coordinators, record its status. "
            "Ask the cluster coordinators to record your organisation's support."
        )
    )


def can_record_statuses(user) -> Decision:
    """Open the status form at all: coordinators, and members of an approved organisation
    that supported some facility in the recording window."""
    if is_coordinator(user):
        return ALLOWED
    decision = _approved_member(user)[1]
    if not decision:
        return decision
    if facilities_recordable_by(user).exists():
        return ALLOWED
    return forbid(
        _(
            "Your organisation supports no health facility at the moment. Ask the cluster "
            "coordinators to record the facilities it supports."
        )
    )


def can_record_for(user, organisation: Organisation | None) -> Decision:
    """Record statuses in the name of ``organisation``: coordinators for any partner or for
    the cluster itself (None); a member for their own organisation only."""
    if is_coordinator(user):
        return ALLOWED
    own = user_organisation(user)
    if own is not None and organisation is not None and own.pk == organisation.pk:
        return ALLOWED
    return forbid(_("Members record statuses for their own organisation only."))


def is_recorders_organisation(user, status: FacilityStatus) -> bool:
    organisation = user_organisation(user)
    return bool(organisation and organisation.pk == status.organisation_id)


def can_edit_status(user, status: FacilityStatus) -> Decision:
    """Correct a returned status, which sends it back to review: its organisation's members,
    or coordinators."""
    if is_coordinator(user):
        who = ALLOWED
    elif is_recorders_organisation(user, status):
        who = _approved_member(user)[1]
    else:
        who = forbid(
            _("Only the organisation that recorded this status, and coordinators, correct it.")
        )
    return first_refusal(
        who,
        _in_state(
            status, ReviewState.RETURNED, _("only a status returned for correction is changed.")
        ),
    )


def can_review_statuses(user) -> Decision:
    """See the statuses waiting for review."""
    return _coordinator(user, _("Only coordinators review facility statuses."))


def can_validate(user, status: FacilityStatus) -> Decision:
    return first_refusal(
        can_review_statuses(user),
        _in_state(status, ReviewState.SUBMITTED, _("only a submitted status can be validated.")),
    )


def can_return(user, status: FacilityStatus) -> Decision:
    """Return a submitted status to its organisation with what to correct."""
    return first_refusal(
        can_review_statuses(user),
        _in_state(status, ReviewState.SUBMITTED, _("only a submitted status can be returned.")),
    )


def sees_review(user, status: FacilityStatus) -> bool:
    """Who reads a status's review comment: coordinators and the organisation it concerns."""
    return is_coordinator(user) or is_recorders_organisation(user, status)


def status_actions(user, status: FacilityStatus) -> dict[str, Decision]:
    """Every action on a status, for its buttons: ``{% if actions.validate %}``."""
    return {
        "edit": can_edit_status(user, status),
        "validate": can_validate(user, status),
        "return": can_return(user, status),
    }


def can_end_support(user, support: FacilitySupport) -> Decision:
    """Record the day a partner's support ended: a support not ended yet."""
    if support.end is not None and support.end <= timezone.localdate():
        state = refuse(_("This support has already ended."), "ended")
    else:
        state = ALLOWED
    return first_refusal(can_manage_supports(user), state)


def facility_actions(user, facility: Facility) -> dict[str, Decision]:
    """Every action of a facility's page, for its buttons."""
    return {
        "edit": can_manage_facilities(user),
        "record_status": can_record_status(user, facility),
        "supports": can_manage_supports(user),
    }
