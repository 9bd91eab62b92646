"""Who may do what with a needs assessment, and when: the assessment workflow's policy.

One function per action, each answering a ``core.policy.Decision`` with the reason in the
user's language. ``assessments/services.py`` enforces them; the assessment's page asks
``assessment_actions`` which buttons to show (``templates/assessments/workflow/_actions.html``).

- Members of the lead organisation, while it is approved, record it, change it while it is
  a draft or returned, and submit it; a suspended organisation reads only.
- Coordinators change it in any state, publish a submitted one and return a submitted or
  published one (returning a published one withdraws it from the registry).

Who may read an assessment at all is ``assessments.access``'s to say.
"""

from django.utils.translation import gettext as _

from assessments.models import Assessment, AssessmentStatus
from core.policy import ALLOWED, Decision, first_refusal, forbid, refuse
from partners.access import is_coordinator, user_organisation
from partners.models import Organisation


def is_lead_member(user, assessment: Assessment) -> bool:
    organisation = user_organisation(user)
    return bool(organisation and organisation.pk == assessment.lead_organisation_id)


def _status(assessment: Assessment) -> str:
    return assessment.get_status_display().lower()


def _may_change(user, assessment: Assessment) -> Decision:
    """A coordinator, or a member of the lead organisation while it is approved."""
    if is_coordinator(user):
        return ALLOWED
    if not is_lead_member(user, assessment):
        return forbid(
            _("Only members of the lead organisation and coordinators can change or submit it.")
        )
    # The lead organisation as loaded with the assessment: services load it under a lock.
    if not assessment.lead_organisation.is_approved:
        return forbid(
            _(
                "Your organisation is suspended: you can read its assessments but not change "
                "or submit them."
            )
        )
    return ALLOWED


def _coordinator(user) -> Decision:
    if is_coordinator(user):
        return ALLOWED
    return forbid(_("Only coordinators review assessments."))


def can_create(user, organisation: Organisation | None) -> Decision:
    """Record a new assessment led by ``organisation`` (a member's own organisation).

    Coordinators record one for any organisation; that it is approved is checked with the
    form's other fields."""
    if is_coordinator(user):
        return ALLOWED
    own = user_organisation(user)
    is_own = organisation is not None and own is not None and own.pk == organisation.pk
    if is_own and organisation.is_approved:
        return ALLOWED
    return forbid(_("Only members of an approved partner organisation record needs assessments."))


def can_edit(user, assessment: Assessment) -> Decision:
    """Change the description, findings or files: members only while it is a draft or
    returned, coordinators in any state."""
    decision = _may_change(user, assessment)
    if not decision or is_coordinator(user) or assessment.is_editable_state:
        return decision
    return refuse(
        _(
            "This assessment is %(status)s; it can be changed only while it is a draft or "
            "after it has been returned for changes."
        )
        % {"status": _status(assessment)},
        "wrong_status",
    )


def can_submit(user, assessment: Assessment) -> Decision:
    """Send a draft or returned assessment to the coordinators for review."""
    if not assessment.is_editable_state:
        state = refuse(
            _("Only a draft or a returned assessment can be submitted; this one is %(status)s.")
            % {"status": _status(assessment)},
            "wrong_status",
        )
    else:
        state = ALLOWED
    return first_refusal(_may_change(user, assessment), state)


def can_publish(user, assessment: Assessment) -> Decision:
    """Publish a submitted assessment in the registry."""
    if assessment.status != AssessmentStatus.SUBMITTED:
        state = refuse(
            _("Only a submitted assessment can be published; this one is %(status)s.")
            % {"status": _status(assessment)},
            "wrong_status",
        )
    else:
        state = ALLOWED
    return first_refusal(_coordinator(user), state)


def can_return(user, assessment: Assessment) -> Decision:
    """Return a submitted assessment with a comment, or withdraw a published one."""
    if assessment.status not in (AssessmentStatus.SUBMITTED, AssessmentStatus.PUBLISHED):
        state = refuse(
            _("Only a submitted or published assessment can be returned; this one is %(status)s.")
            % {"status": _status(assessment)},
            "wrong_status",
        )
    else:
        state = ALLOWED
    return first_refusal(_coordinator(user), state)


def assessment_actions(user, assessment: Assessment) -> dict:
    """Every action of the assessment's page, for its buttons, and what it says besides."""
    actions = {
        "edit": can_edit(user, assessment),
        "submit": can_submit(user, assessment),
        "publish": can_publish(user, assessment),
        "return": can_return(user, assessment),
    }
    coordinator = is_coordinator(user)
    actions["waiting"] = bool(
        not coordinator
        and assessment.status == AssessmentStatus.SUBMITTED
        and _may_change(user, assessment)
    )
    actions["see_comment"] = bool(
        assessment.review_comment
        and assessment.status == AssessmentStatus.RETURNED
        and (coordinator or is_lead_member(user, assessment))
    )
    actions["any"] = any(actions.values())
    return actions
