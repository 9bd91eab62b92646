"""Who may see which needs assessment: the one rule every assessment view reads through.

- Coordinators (and site administrators) see every assessment.
- Members of the lead organisation see all of its assessments, drafts included
  (``partners.access``, the one scoping module, says which organisation is theirs).
- Published, unrestricted assessments are public.
- Published, restricted ones are for signed-in members of partner organisations
  (approved, or suspended: those still read) and coordinators.

Anything else is a 404, never a 403 that would confirm it exists. What a user may do with
an assessment they see is ``assessments.policy``'s to say.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from assessments import policy
from assessments.models import Assessment, AssessmentStatus, Attachment
from partners.access import is_approved_member, is_coordinator, scope_rule


def visible_assessments(user, queryset: QuerySet | None = None) -> QuerySet:
    """The assessments the user may read (of ``queryset`` when given)."""
    queryset = Assessment.objects.all() if queryset is None else queryset
    if is_coordinator(user):
        return queryset
    rule = Q(status=AssessmentStatus.PUBLISHED, is_restricted=False)
    if is_approved_member(user):
        rule |= Q(status=AssessmentStatus.PUBLISHED)
    return queryset.filter(rule | scope_rule(user, organisation_field="lead_organisation"))


def get_assessment_for_user(user, pk, queryset: QuerySet | None = None) -> Assessment:
    """The assessment if the user may read it; otherwise a 404."""
    try:
        return visible_assessments(user, queryset).get(pk=pk)
    except Assessment.DoesNotExist:
        raise Http404 from None


def get_editable_assessment_for_user(user, pk, queryset: QuerySet | None = None) -> Assessment:
    """The assessment if the user is one who may change it.

    A 404 when the user may not see it or it is not their organisation's; a 403
    (``PermissionDenied``) for members of its lead organisation who may not change
    anything, because their organisation is suspended. Whether its present state allows a
    change is ``assessments.policy.can_edit``'s to say, before the page and in the services.
    """
    queryset = Assessment.objects.all() if queryset is None else queryset
    assessment = get_assessment_for_user(user, pk, queryset.select_related("lead_organisation"))
    if not (is_coordinator(user) or policy.is_lead_member(user, assessment)):
        raise Http404
    decision = policy.can_edit(user, assessment)
    if decision.forbidden:
        raise PermissionDenied(decision.reason)
    return assessment


def get_attachment_for_user(user, pk) -> Attachment:
    """An attachment of an assessment the user may read; otherwise a 404."""
    try:
        return Attachment.objects.select_related("assessment").get(
            pk=pk, assessment__in=visible_assessments(user)
        )
    except Attachment.DoesNotExist:
        raise Http404 from None
