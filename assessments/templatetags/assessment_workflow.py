"""What the workflow lets a user do with an assessment, for the page's action buttons."""

from django import template

from assessments import access
from assessments.models import Assessment, AssessmentStatus
from partners.access import is_coordinator

register = template.Library()


@register.simple_tag
def assessment_actions(assessment: Assessment, user) -> dict[str, bool]:
    """The buttons to show: ``{% assessment_actions assessment user as actions %}``."""
    coordinator = is_coordinator(user)
    signed_in = getattr(user, "is_authenticated", False)
    editor = bool(signed_in and access.can_edit(user, assessment))
    editable_now = editor and (coordinator or assessment.is_editable_state)
    actions = {
        "edit": editable_now,
        "submit": editor and assessment.is_editable_state,
        "review": coordinator and assessment.status == AssessmentStatus.SUBMITTED,
        "withdraw": coordinator and assessment.status == AssessmentStatus.PUBLISHED,
        "waiting": editor and not coordinator and assessment.status == AssessmentStatus.SUBMITTED,
        "see_comment": bool(
            assessment.review_comment
            and assessment.status == AssessmentStatus.RETURNED
            and (coordinator or access.is_lead_member(user, assessment))
        ),
    }
    actions["any"] = any(actions.values())
    return actions
