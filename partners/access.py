"""Who may see what: the one place where records are scoped to a user.

Every view that shows organisation-owned records goes through these helpers,
and later apps reuse them. A record the user may not see is a 404 (``Http404``),
never a 403 that would confirm it exists. What a user may do with a record they see is
the workflow's to say, in its app's ``policy.py``.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from partners.models import (
    CURRENT_MEMBERSHIP,
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationStatus,
)


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


def current_organisation_id(user) -> int | None:
    """The organisation the user belongs to or asked to join (one at most: a database
    constraint), cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_current_organisation_id"):
        user._current_organisation_id = (
            Membership.objects.filter(CURRENT_MEMBERSHIP, user=user)
            .values_list("organisation_id", flat=True)
            .first()
        )
    return user._current_organisation_id


def forget_memberships(user) -> None:
    """Drop what this request read of the user's memberships, so the next question reads
    them again: a service deciding on the rows it has just locked."""
    cached = getattr(user, "__dict__", {})
    for name in ("_active_membership", "_current_organisation_id"):
        cached.pop(name, None)


def user_organisation(user) -> Organisation | None:
    membership = active_membership(user)
    return membership.organisation if membership else None


def is_approved_member(user) -> bool:
    """Members of an approved or suspended organisation may read member-only content."""
    organisation = user_organisation(user)
    return bool(
        organisation
        and organisation.status in (OrganisationStatus.APPROVED, OrganisationStatus.SUSPENDED)
    )


def reads_member_content(user) -> bool:
    """Coordinators and members of an approved (or suspended) organisation: who may read what
    the cluster keeps for its members (restricted assessments, members' meetings, contacts,
    figures below the public level)."""
    return is_coordinator(user) or is_approved_member(user)


def scope_rule(user, *, organisation_field: str = "organisation") -> Q | None:
    """The filter of the rows the user's scope holds, to combine with other rules: None (no
    filter) for coordinators, the rows owned by the user's organisation for members, no row
    for anybody else."""
    if is_coordinator(user):
        return None
    organisation = user_organisation(user)
    if organisation is None:
        return Q(pk__in=[])
    return Q(**{organisation_field: organisation.pk})


def scope_to_user(
    queryset: QuerySet, user, *, organisation_field: str = "organisation"
) -> QuerySet:
    """Rows owned by the user's organisation; every row for coordinators; none for others."""
    rule = scope_rule(user, organisation_field=organisation_field)
    return queryset if rule is None else queryset.filter(rule)


def get_scoped_or_404(queryset: QuerySet, user, pk, *, organisation_field: str = "organisation"):
    """The row ``pk`` of ``queryset`` if the user's scope holds it; otherwise a 404, the same
    for a row of another organisation as for one that does not exist."""
    try:
        return scope_to_user(queryset, user, organisation_field=organisation_field).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError):
        raise Http404 from None


def focal_point_membership(user) -> Membership:
    """The user's membership if they are the focal point of an organisation; otherwise a 404."""
    membership = active_membership(user)
    if membership is None or not membership.is_focal_point:
        raise Http404
    return membership


def get_membership_for_focal_point(user, pk) -> Membership:
    """A membership (or request to join) of the organisation the user is focal point of;
    any other, or any for someone who is not a focal point, is a 404."""
    own = focal_point_membership(user)
    try:
        return Membership.objects.select_related("user", "organisation").get(
            pk=pk, organisation_id=own.organisation_id
        )
    except (Membership.DoesNotExist, ValueError):
        raise Http404 from None


def is_own_organisation(user, organisation: Organisation) -> bool:
    """Is it the organisation the user is a member of, or the one they registered?"""
    if not getattr(user, "is_authenticated", False):
        return False
    own = user_organisation(user)
    return (own is not None and own.pk == organisation.pk) or (
        organisation.registered_by_id == user.pk
    )


def get_organisation_for_user(user, pk, queryset: QuerySet | None = None) -> Organisation:
    """An organisation whose profile the user may see, or a 404: an approved one for
    everybody, any for coordinators, and their own (as member or registrant) for others."""
    queryset = Organisation.objects.all() if queryset is None else queryset
    try:
        organisation = queryset.get(pk=pk)
    except (Organisation.DoesNotExist, ValueError):
        raise Http404 from None
    if organisation.is_approved or is_coordinator(user) or is_own_organisation(user, organisation):
        return organisation
    raise Http404


def may_see_contacts(user, organisation: Organisation) -> bool:
    """Contacts of an organisation are for members, coordinators and its own people."""
    return reads_member_content(user) or is_own_organisation(user, organisation)
