"""Who may do what with the plan per area: caseloads and indicators' targets per area.

One function per action, each answering a ``core.policy.Decision`` with the reason in the
user's language. ``planning/services.py`` enforces them; the pages ask them which forms and
buttons to show.

- Coordinators (and site administrators) enter, load and change caseloads and targets.
- Members of an approved organisation read them: the plan the cluster works to.
- The public sees none of it here; figures reach it later through the disclosure rules.
"""

from django.utils.translation import gettext as _

from core.policy import ALLOWED, Decision, forbid
from partners.access import is_coordinator, reads_member_content


def can_see_plan(user) -> Decision:
    """Read the caseloads and the targets per area."""
    if reads_member_content(user):
        return ALLOWED
    return forbid(
        _("Caseloads and targets per area are shown to the cluster's members and coordinators.")
    )


def can_edit_plan(user) -> Decision:
    """Enter, load or change caseloads and targets per area, and suggest them from
    assessments' findings (which include restricted assessments)."""
    if is_coordinator(user):
        return ALLOWED
    return forbid(_("Only coordinators change caseloads and targets per area."))
