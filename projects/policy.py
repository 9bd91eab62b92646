"""Who may do what with partners' projects: the project workflow's policy.

One function per action, each answering a ``core.policy.Decision`` with the reason in the
user's language. ``projects/services.py`` enforces them; the pages ask them which buttons to
show (``project_actions``).

- Members (focal point or staff) of an approved organisation add their organisation's
  projects, change them while a draft or returned, and submit them for review.
- They import projects from the Excel template, as drafts; coordinators import those of any
  organisation.
- Coordinators accept a submitted project into the plan or return it with a comment, and
  may change any project at any time (a correction to the plan needs no resubmission).
- Funding updates are recorded by the project's organisation once the project is accepted,
  and by coordinators at any time.

Who sees which project is ``projects.access``' to say.
"""

from django.utils.translation import gettext as _

from core.policy import ALLOWED, Decision, first_refusal, forbid, refuse
from partners.access import is_coordinator, reads_member_content, user_organisation
from projects.models import Project, ReviewState

EDITABLE = (ReviewState.DRAFT, ReviewState.RETURNED)


def _approved_member(user) -> Decision:
    organisation = user_organisation(user)
    if organisation is None:
        return forbid(
            _("Only members of a partner organisation, and coordinators, manage projects.")
        )
    if not organisation.is_approved:
        return forbid(
            _("Your organisation is not an approved partner: it cannot change its projects.")
        )
    return ALLOWED


def is_owner(user, project: Project) -> bool:
    organisation = user_organisation(user)
    return bool(organisation and organisation.pk == project.organisation_id)


def _owner(user, project: Project, reason: str) -> Decision:
    if not is_owner(user, project):
        return forbid(reason)
    return _approved_member(user)


def can_see_projects(user) -> Decision:
    """Open the project list at all: coordinators and members of an approved organisation."""
    if reads_member_content(user):
        return ALLOWED
    return forbid(_("Projects are shown to the cluster's members and coordinators."))


def can_create(user) -> Decision:
    """Add a project of the user's own organisation."""
    return _approved_member(user)


def can_import(user) -> Decision:
    """Import projects from the Excel template, as drafts: members of an approved
    organisation its own, coordinators those of any organisation."""
    if is_coordinator(user):
        return ALLOWED
    return _approved_member(user)


def can_import_for(user, organisation) -> Decision:
    """Import a project of ``organisation``."""
    if is_coordinator(user):
        return ALLOWED
    own = user_organisation(user)
    if own is None or organisation is None or own.pk != organisation.pk:
        return forbid(_("You import your own organisation's projects only."))
    return _approved_member(user)


def can_edit(user, project: Project) -> Decision:
    if is_coordinator(user):
        return ALLOWED
    who = _owner(user, project, _("Only the project's organisation, and coordinators, change it."))
    if project.state in EDITABLE:
        state = ALLOWED
    else:
        state = refuse(
            _("This project is %(state)s: only a draft or a returned project is changed.")
            % {"state": project.get_state_display().lower()},
            "wrong_state",
        )
    return first_refusal(who, state)


def can_submit(user, project: Project) -> Decision:
    who = _owner(user, project, _("Only the project's organisation submits it for review."))
    if project.state in EDITABLE:
        state = ALLOWED
    else:
        state = refuse(
            _("This project is %(state)s: only a draft or a returned project is submitted.")
            % {"state": project.get_state_display().lower()},
            "wrong_state",
        )
    return first_refusal(who, state)


def can_review(user) -> Decision:
    """See the projects waiting for review."""
    if is_coordinator(user):
        return ALLOWED
    return forbid(_("Only coordinators review projects."))


def _submitted(project: Project, allowed: str) -> Decision:
    if project.state == ReviewState.SUBMITTED:
        return ALLOWED
    return refuse(
        _("This project is %(state)s; %(allowed)s")
        % {"state": project.get_state_display().lower(), "allowed": allowed},
        "wrong_state",
    )


def can_accept(user, project: Project) -> Decision:
    return first_refusal(
        can_review(user), _submitted(project, _("only a submitted project can be accepted."))
    )


def can_return(user, project: Project) -> Decision:
    """Return a submitted project to its organisation with what to correct."""
    return first_refusal(
        can_review(user), _submitted(project, _("only a submitted project can be returned."))
    )


def can_record_funding(user, project: Project) -> Decision:
    if is_coordinator(user):
        return ALLOWED
    who = _owner(
        user,
        project,
        _("Only the project's organisation, and coordinators, record its funding."),
    )
    if project.state == ReviewState.ACCEPTED:
        state = ALLOWED
    else:
        state = refuse(
            _("Funding is recorded once the coordinators have accepted the project."),
            "not_accepted",
        )
    return first_refusal(who, state)


def sees_review(user, project: Project) -> bool:
    """Who reads a project's review comment: coordinators and its organisation."""
    return is_coordinator(user) or is_owner(user, project)


def project_actions(user, project: Project) -> dict[str, Decision]:
    """Every action on a project, for its buttons: ``{% if actions.submit %}``."""
    return {
        "edit": can_edit(user, project),
        "submit": can_submit(user, project),
        "accept": can_accept(user, project),
        "return": can_return(user, project),
        "funding": can_record_funding(user, project),
    }
