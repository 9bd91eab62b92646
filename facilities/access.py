"""The facility records a user may reach: one that is not theirs to see is a 404.

Facilities are the cluster's shared record: members and coordinators see every one, the
public only when the deployment publishes their locations (``partners.disclosure``). A
status under review or returned is read by coordinators and by the organisation that
recorded it; validated ones by whoever sees the facility. What the user may do with what
they see is ``facilities.policy``'s to say.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from facilities.models import Facility, FacilityStatus, FacilitySupport, FacilityType, ReviewState
from partners.access import scope_rule
from partners.disclosure import sees_facilities


def _get_or_404(queryset: QuerySet, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_facility_for_user(user, pk, queryset: QuerySet[Facility] | None = None) -> Facility:
    """The facility ``pk`` (read through ``queryset`` when given), or a 404 when it does not
    exist or the user sees no facility (``facilities.selectors.visible_facilities``)."""
    if not sees_facilities(user):
        raise Http404
    return _get_or_404(Facility.objects.all() if queryset is None else queryset, pk)


def visible_statuses(user) -> QuerySet[FacilityStatus]:
    """The statuses the user may read: none when facilities are hidden from them."""
    if not sees_facilities(user):
        return FacilityStatus.objects.none()
    rule = scope_rule(user)
    statuses = FacilityStatus.objects.select_related("facility", "organisation", "recorded_by")
    if rule is None:
        return statuses
    return statuses.filter(Q(state=ReviewState.VALIDATED) | rule)


def get_status_for_user(user, pk) -> FacilityStatus:
    return _get_or_404(visible_statuses(user), pk)


def get_type_or_404(pk) -> FacilityType:
    # The type list is the coordinators' page; the view checks who asks first.
    return _get_or_404(FacilityType.objects.all(), pk)


def get_support_or_404(pk) -> FacilitySupport:
    return _get_or_404(FacilitySupport.objects.select_related("facility", "organisation"), pk)
