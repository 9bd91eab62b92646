"""Who may do what with the coordination meetings, and when: the meetings' policy.

One function per action, each answering a ``core.policy.Decision`` with the reason in the
user's language. ``meetings/services.py`` enforces them; the pages ask them which links and
buttons to show. Coordinators plan, edit, cancel and reinstate meetings; who sees which
meeting is ``meetings.selectors``'s to say.
"""

from django.utils.translation import gettext as _

from core.policy import ALLOWED, Decision, first_refusal, forbid, refuse
from meetings.models import Meeting
from partners.access import is_coordinator


def can_manage(user) -> Decision:
    """Plan a meeting, and the part of every action about who asks."""
    if is_coordinator(user):
        return ALLOWED
    return forbid(_("Only coordinators plan the cluster's meetings."))


def can_edit(user, meeting: Meeting) -> Decision:
    """Change a meeting, its agenda and its minutes (cancelled or not)."""
    return can_manage(user)


def can_cancel(user, meeting: Meeting) -> Decision:
    if meeting.is_cancelled:
        state = refuse(_("This meeting is already cancelled."), "cancelled")
    else:
        state = ALLOWED
    return first_refusal(can_manage(user), state)


def can_reinstate(user, meeting: Meeting) -> Decision:
    if meeting.is_cancelled:
        state = ALLOWED
    else:
        state = refuse(_("This meeting is not cancelled."), "not_cancelled")
    return first_refusal(can_manage(user), state)


def meeting_actions(user, meeting: Meeting) -> dict[str, Decision]:
    """Every action on a meeting, for its links and buttons: ``{% if actions.cancel %}``."""
    return {
        "edit": can_edit(user, meeting),
        "cancel": can_cancel(user, meeting),
        "reinstate": can_reinstate(user, meeting),
    }
