"""Who may do what with an attack on health care, and when: the incident workflow's policy.

One function per action, each answering a ``core.policy.Decision`` with the reason in the
user's language. ``facilities/incident_services.py`` enforces them; the pages ask
``incident_actions`` which buttons to show.

- Members (focal point or staff) of an approved organisation report incidents; a member of
  a suspended organisation reads only.
- The reporting organisation's members change its report while it is still to be verified.
- Coordinators report too, verify or dismiss (with a comment) an incident still to be
  verified, and correct any incident in any state.

What each person reads is decided here as well: the description, the source and who
reported are for coordinators and for the reporting organisation's own members
(``can_see_details``); other members read verified incidents without them; the public reads
no incident at all, only the verified counts (``incident_selectors.public_counts``).
"""

from django.utils.translation import gettext as _

from core.policy import ALLOWED, Decision, first_refusal, forbid, refuse
from facilities.models import Incident, IncidentState
from partners.access import is_coordinator, reads_member_content, user_organisation


def is_reporting_member(user, incident: Incident) -> bool:
    """Is the user a member of the organisation that reported the incident?"""
    organisation = user_organisation(user)
    return bool(
        organisation and incident.organisation_id and organisation.pk == incident.organisation_id
    )


def _coordinator(user) -> Decision:
    if is_coordinator(user):
        return ALLOWED
    return forbid(_("Only coordinators verify or dismiss attacks on health care."))


def _state(incident: Incident) -> str:
    return incident.get_state_display().lower()


def can_read(user) -> Decision:
    """Open the incident pages at all: coordinators and members of an approved (or
    suspended) organisation. The public sees only the verified counts."""
    if reads_member_content(user):
        return ALLOWED
    return forbid(
        _(
            "Attacks on health care are listed for coordinators and members of partner "
            "organisations only."
        )
    )


def can_report(user) -> Decision:
    """Report a new incident: coordinators and members of an approved organisation."""
    if is_coordinator(user):
        return ALLOWED
    organisation = user_organisation(user)
    if organisation is not None and organisation.is_approved:
        return ALLOWED
    if organisation is not None and organisation.is_suspended:
        return forbid(
            _("Your organisation is suspended: you can read incidents but not report them.")
        )
    return forbid(
        _("Only members of an approved partner organisation and coordinators report attacks.")
    )


def can_edit(user, incident: Incident) -> Decision:
    """Change an incident: coordinators in any state (a correction), the reporting
    organisation's members while it is still to be verified and the organisation approved."""
    if is_coordinator(user):
        return ALLOWED
    if not is_reporting_member(user, incident):
        return forbid(_("Only the organisation that reported it and coordinators can change it."))
    # The organisation as loaded with the incident: services load it under a lock.
    if not incident.organisation.is_approved:
        return forbid(
            _("Your organisation is suspended: you can read its reports but not change them.")
        )
    if incident.state != IncidentState.REPORTED:
        return refuse(
            _(
                "This incident is %(state)s; only the coordinators can correct it now. Write "
                "to them if something in it is wrong."
            )
            % {"state": _state(incident)},
            "wrong_state",
        )
    return ALLOWED


def can_verify(user, incident: Incident) -> Decision:
    """Verify a reported incident: it then counts in the public figures."""
    state = ALLOWED
    if incident.state != IncidentState.REPORTED:
        state = refuse(
            _("Only an incident still to be verified can be verified; this one is %(state)s.")
            % {"state": _state(incident)},
            "wrong_state",
        )
    return first_refusal(_coordinator(user), state)


def can_dismiss(user, incident: Incident) -> Decision:
    """Dismiss a reported incident, with a comment: it never counts."""
    state = ALLOWED
    if incident.state != IncidentState.REPORTED:
        state = refuse(
            _("Only an incident still to be verified can be dismissed; this one is %(state)s.")
            % {"state": _state(incident)},
            "wrong_state",
        )
    return first_refusal(_coordinator(user), state)


def can_see_details(user, incident: Incident) -> Decision:
    """Read the description, the source, who reported it and the review comment."""
    if is_coordinator(user) or is_reporting_member(user, incident):
        return ALLOWED
    return forbid(
        _(
            "The description and the source of an incident are for the coordinators and the "
            "organisation that reported it."
        )
    )


def can_review(user) -> Decision:
    """Open the queue of incidents to verify, and export the verified ones for WHO's SSA."""
    if is_coordinator(user):
        return ALLOWED
    return forbid(_("Only coordinators verify attacks on health care and export them."))


def incident_actions(user, incident: Incident) -> dict:
    """Every action of the incident's page, for its buttons, and what it shows besides."""
    actions = {
        "edit": can_edit(user, incident),
        "verify": can_verify(user, incident),
        "dismiss": can_dismiss(user, incident),
    }
    actions["details"] = can_see_details(user, incident)
    actions["waiting"] = bool(
        incident.state == IncidentState.REPORTED
        and not is_coordinator(user)
        and is_reporting_member(user, incident)
    )
    actions["any"] = bool(actions["edit"] or actions["verify"] or actions["dismiss"])
    return actions
