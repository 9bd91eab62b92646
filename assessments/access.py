"""Who may see and change which needs assessment: the one rule every assessment view uses.

- Coordinators (and site administrators) see every assessment.
- Members of the lead organisation see all of its assessments, drafts included.
- Published, unrestricted assessments are public.
- Published, restricted ones are for signed-in members of partner organisations
  (approved, or suspended: those still read) and coordinators.

Anything else is a 404, never a 403 that would confirm it exists. Changing an
assessment is for coordinators and for members of the lead organisation while
that organisation is approved (a suspended one reads only).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from assessments.models import Assessment, AssessmentStatus, Attachment
from partners.access import is_approved_member, is_coordinator, user_organisation


def visible_assessments(user, queryset: QuerySet | None = None) -> QuerySet:
    """The assessments the user may read (of ``queryset`` when given)."""
    queryset = Assessment.objects.all() if queryset is None else queryset
    if is_coordinator(user):
        return queryset
    rule = Q(status=AssessmentStatus.PUBLISHED, is_restricted=False)
    if is_approved_member(user):
        rule |= Q(status=AssessmentStatus.PUBLISHED)
    organisation = user_organisation(user)
    if organisation is not None:
        rule |= Q(lead_organisation=organisation)
    return queryset.filter(rule)


def get_assessment_for_user(user, pk, queryset: QuerySet | None = None) -> Assessment:
    """The assessment if the user may read it; otherwise a 404."""
    try:
        return visible_assessments(user, queryset).get(pk=pk)
    except Assessment.DoesNotExist:
        raise Http404 from None


def is_lead_member(user, assessment: Assessment) -> bool:
    organisation = user_organisation(user)
    return bool(organisation and organisation.pk == assessment.lead_organisation_id)


def can_edit(user, assessment: Assessment) -> bool:
    """May the user change the assessment now (its state aside)?"""
    if is_coordinator(user):
        return True
    # The lead organisation as loaded with the assessment: services load it under a lock.
    return is_lead_member(user, assessment) and assessment.lead_organisation.is_approved


def can_edit_now(user, assessment: Assessment) -> bool:
    """May the user change it in its present state? Members only in draft or returned."""
    if is_coordinator(user):
        return True
    return assessment.is_editable_state and can_edit(user, assessment)


def get_editable_assessment_for_user(user, pk, queryset: QuerySet | None = None) -> Assessment:
    """The assessment if the user may change it.

    A 404 when the user may not see it or it is not their organisation's; a 403
    (``PermissionDenied``) for members of its lead organisation who may not change
    anything, because their organisation is suspended. Whether its present state
    allows a change is checked by the services, which say why not.
    """
    queryset = Assessment.objects.all() if queryset is None else queryset
    assessment = get_assessment_for_user(user, pk, queryset.select_related("lead_organisation"))
    if is_coordinator(user):
        return assessment
    if not is_lead_member(user, assessment):
        raise Http404
    if not can_edit(user, assessment):
        raise PermissionDenied
    return assessment


def get_attachment_for_user(user, pk) -> Attachment:
    """An attachment of an assessment the user may read; otherwise a 404."""
    try:
        return Attachment.objects.select_related("assessment").get(
            pk=pk, assessment__in=visible_assessments(user)
        )
    except Attachment.DoesNotExist:
        raise Http404 from None
