"""Who may see and do what: the one place where records are scoped to a user.

Every view that shows organisation-owned records goes through these helpers,
and later apps reuse them. A record the user may not see is a 404 (``Http404``),
never a 403 that would confirm it exists.
"""

from django.db.models import QuerySet
from django.http import Http404

from partners.models import Membership, MembershipStatus, Organisation, OrganisationStatus


def is_coordinator(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_cluster_coordinator)


def active_membership(user) -> Membership | None:
    """The user's active membership, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_active_membership"):
        user._active_membership = (
            Membership.objects.select_related("organisation")
            .filter(user=user, status=MembershipStatus.ACTIVE)
            .first()
        )
    return user._active_membership


def user_organisation(user) -> Organisation | None:
    membership = active_membership(user)
    return membership.organisation if membership else None


def is_focal_point_of(user, organisation: Organisation) -> bool:
    membership = active_membership(user)
    return bool(
        membership and membership.is_focal_point and membership.organisation_id == organisation.pk
    )


def is_approved_member(user) -> bool:
    """Members of an approved or suspended organisation may read member-only content."""
    organisation = user_organisation(user)
    return bool(
        organisation
        and organisation.status in (OrganisationStatus.APPROVED, OrganisationStatus.SUSPENDED)
    )


def can_submit_for(user, organisation: Organisation) -> bool:
    """Only active members of an approved organisation submit; a suspended one reads only."""
    if is_coordinator(user):
        return True
    own = user_organisation(user)
    return bool(own and own.pk == organisation.pk and own.is_approved)


def scope_to_user(
    queryset: QuerySet, user, *, organisation_field: str = "organisation"
) -> QuerySet:
    """Rows owned by the user's organisation; every row for coordinators; none for others."""
    if is_coordinator(user):
        return queryset
    organisation = user_organisation(user)
    if organisation is None:
        return queryset.none()
    return queryset.filter(**{organisation_field: organisation})


def get_scoped_or_404(queryset: QuerySet, user, pk, *, organisation_field: str = "organisation"):
    try:
        return scope_to_user(queryset, user, organisation_field=organisation_field).get(pk=pk)
    except queryset.model.DoesNotExist:
        raise Http404 from None
