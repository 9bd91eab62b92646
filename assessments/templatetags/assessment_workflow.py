"""What the workflow lets a user do with an assessment, for the page's action buttons."""

from django import template

from assessments import policy
from assessments.models import Assessment

register = template.Library()


@register.simple_tag
def assessment_actions(assessment: Assessment, user) -> dict:
    """The buttons to show, as ``assessments.policy`` decides them:
    ``{% assessment_actions assessment user as actions %}``."""
    return policy.assessment_actions(user, assessment)
