"""Membership of an organisation: asking to join, answering, removing, leaving, the focal point.

A person holds one requested or active membership at a time and an organisation
one active focal point (both are database constraints). Ended memberships are
kept with their end date, so work a person did stays attributed to them; only a
request its author withdraws is deleted (the audit history keeps it). Every
function locks the rows it decides on, asks ``partners.policy`` about what it
finds, and sends its emails once the transaction commits.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.emails import send_to_users
from partners import policy
from partners.access import forget_memberships
from partners.models import (
    MemberRole,
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationStatus,
)
from partners.services.registration import lock_user_without_membership


def _locked_request(membership: Membership, by) -> Membership:
    """The request re-read under a row lock; an error if it was answered or withdrawn."""
    locked = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("organisation", "user")
        .filter(pk=membership.pk)
        .first()
    )
    policy.request_is_open(locked).enforce()
    # Decide on the acting user's memberships as they are now, not as the request read them.
    forget_memberships(by)
    return locked


def _save(membership: Membership, by, fields: list[str]) -> Membership:
    membership._history_user = by
    membership.save(update_fields=fields)
    return membership


@transaction.atomic
def membership_request(*, user, organisation: Organisation, message: str = "") -> Membership:
    """Ask to join an approved organisation; its focal point is told by email."""
    lock_user_without_membership(user)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.status != OrganisationStatus.APPROVED:
        raise ValidationError(policy.join_closed_reason(organisation), code="not_open")
    focal = (
        Membership.objects.select_related("user")
        .filter(
            organisation=organisation,
            status=MembershipStatus.ACTIVE,
            role=MemberRole.FOCAL_POINT,
        )
        .first()
    )
    if focal is None:
        raise ValidationError(
            _(
                "This organisation has no focal point to answer your request at the moment. "
                "Contact the cluster coordinators."
            ),
            code="no_focal_point",
        )
    membership = Membership(
        user=user,
        organisation=organisation,
        role=MemberRole.STAFF,
        status=MembershipStatus.REQUESTED,
        message=(message or "").strip(),
    )
    membership._history_user = user
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError:
        raise ValidationError(
            _("You already belong to an organisation or asked to join one."),
            code="already_member",
        ) from None
    send_to_users(
        [focal.user],
        "partners/join_requested",
        {"organisation": organisation, "requester": user, "membership": membership},
    )
    return membership


@transaction.atomic
def membership_accept(*, membership: Membership, by) -> Membership:
    """The focal point accepts a request: the requester becomes staff of the organisation."""
    membership = _locked_request(membership, by)
    organisation = Organisation.objects.select_for_update().get(pk=membership.organisation_id)
    membership.organisation = organisation
    policy.can_accept(by, membership).enforce()
    membership.status = MembershipStatus.ACTIVE
    membership.role = MemberRole.STAFF
    membership.decided_at = timezone.now()
    membership.decided_by = by
    _save(membership, by, ["status", "role", "decided_at", "decided_by"])
    send_to_users(
        [membership.user],
        "partners/join_accepted",
        {"organisation": organisation, "membership": membership},
    )
    return membership


@transaction.atomic
def membership_decline(*, membership: Membership, by) -> Membership:
    """The focal point declines a request; the requester is told and may ask elsewhere."""
    membership = _locked_request(membership, by)
    policy.can_decline(by, membership).enforce()
    membership.status = MembershipStatus.DECLINED
    membership.decided_at = timezone.now()
    membership.decided_by = by
    _save(membership, by, ["status", "decided_at", "decided_by"])
    send_to_users(
        [membership.user],
        "partners/join_declined",
        {"organisation": membership.organisation, "membership": membership},
    )
    return membership


@transaction.atomic
def membership_cancel(*, membership: Membership, by) -> None:
    """The requester withdraws their own open request."""
    membership = _locked_request(membership, by)
    policy.can_cancel(by, membership).enforce()
    membership._history_user = by
    membership.delete()


@transaction.atomic
def membership_remove(*, membership: Membership, by) -> Membership:
    """The focal point removes a member; their past work stays attributed to them."""
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("organisation", "user")
        .get(pk=membership.pk)
    )
    forget_memberships(by)
    policy.can_remove(by, membership).enforce()
    membership.status = MembershipStatus.REMOVED
    membership.ended_at = timezone.now()
    _save(membership, by, ["status", "ended_at"])
    send_to_users(
        [membership.user],
        "partners/member_removed",
        {"organisation": membership.organisation, "membership": membership},
    )
    return membership


@transaction.atomic
def membership_leave(*, user) -> Membership:
    """A member leaves their organisation.

    The focal point hands the role over first; as the last member they may leave,
    once no request to join is left for nobody to answer.
    """
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(user=user, status=MembershipStatus.ACTIVE)
        .first()
    )
    forget_memberships(user)
    policy.can_leave(user).enforce()
    membership.status = MembershipStatus.LEFT
    membership.ended_at = timezone.now()
    return _save(membership, user, ["status", "ended_at"])


@transaction.atomic
def focal_point_hand_over(*, membership: Membership, by) -> Membership:
    """The focal point gives the role to another active member of the organisation.

    The organisation's active memberships are locked in a fixed order, then the
    current focal point is demoted before the new one is promoted, so the
    one-focal-point constraint holds at every statement.
    """
    target = Membership.objects.select_related("user", "organisation").get(pk=membership.pk)
    active = {
        row.pk: row
        for row in Membership.objects.select_for_update()
        .filter(organisation_id=target.organisation_id, status=MembershipStatus.ACTIVE)
        .order_by("pk")
    }
    if target.pk not in active and target.status == MembershipStatus.ACTIVE:
        # It ended between the two reads; an ended membership never becomes active again.
        target.refresh_from_db(fields=["status"])
    forget_memberships(by)
    policy.can_hand_over(by, target).enforce()
    current = next(
        row
        for row in active.values()
        if row.user_id == by.pk and row.role == MemberRole.FOCAL_POINT
    )
    current.role = MemberRole.STAFF
    _save(current, by, ["role"])
    promoted = active[target.pk]
    promoted.role = MemberRole.FOCAL_POINT
    _save(promoted, by, ["role"])
    send_to_users(
        [target.user],
        "partners/focal_point_received",
        {"organisation": target.organisation, "previous": by},
    )
    return promoted


def end_memberships_of_erased_user(sender, *, user, **kwargs) -> None:
    """An account was deleted: its active membership ends as if the person had left, and an
    open request to join is dropped; the organisation's records stay theirs."""
    now = timezone.now()
    for membership in Membership.objects.select_for_update().filter(
        user=user, status__in=(MembershipStatus.ACTIVE, MembershipStatus.REQUESTED)
    ):
        if membership.status == MembershipStatus.REQUESTED:
            membership.delete()
            continue
        membership.status = MembershipStatus.LEFT
        membership.ended_at = now
        membership.save(update_fields=["status", "ended_at"])
