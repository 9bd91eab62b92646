"""Membership of an organisation: asking to join, answering, removing, leaving, the focal point.

A person holds one requested or active membership at a time and an organisation
one active focal point (both are database constraints). Ended memberships are
kept with their end date, so work a person did stays attributed to them; only a
request its author withdraws is deleted (the audit history keeps it). Every
function locks the rows it decides on, checks the transition against what it
finds, and sends its emails once the transaction commits.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.emails import send_to_users
from partners.models import (
    MemberRole,
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationStatus,
)
from partners.services.registration import lock_user_without_membership


def join_closed_error(organisation: Organisation) -> ValidationError:
    """Why nobody can join this organisation now (it is not approved)."""
    if organisation.status == OrganisationStatus.PENDING:
        message = _(
            "This organisation is still waiting for the coordinators' approval: "
            "it cannot take members yet."
        )
    elif organisation.status == OrganisationStatus.SUSPENDED:
        message = _(
            "This organisation is suspended: it cannot take new members until the "
            "cluster coordinators reinstate it."
        )
    else:
        message = _("This organisation's registration was rejected: it cannot take members.")
    return ValidationError(message, code="not_open")


def _locked_request(membership: Membership) -> Membership:
    """The request re-read under a row lock; an error if it was answered or withdrawn."""
    locked = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("organisation", "user")
        .filter(pk=membership.pk)
        .first()
    )
    if locked is None or locked.status != MembershipStatus.REQUESTED:
        raise ValidationError(
            _("This request has already been answered or withdrawn."), code="not_requested"
        )
    return locked


def _require_focal_point(*, organisation: Organisation, by) -> Membership:
    focal = Membership.objects.filter(
        organisation=organisation,
        user=by,
        status=MembershipStatus.ACTIVE,
        role=MemberRole.FOCAL_POINT,
    ).first()
    if focal is None:
        raise PermissionDenied(_("Only the organisation's focal point can do this."))
    return focal


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
        raise join_closed_error(organisation)
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
    membership = _locked_request(membership)
    _require_focal_point(organisation=membership.organisation, by=by)
    organisation = Organisation.objects.select_for_update().get(pk=membership.organisation_id)
    if organisation.status == OrganisationStatus.SUSPENDED:
        raise ValidationError(
            _(
                "%(organisation)s is suspended: it cannot accept new members until the "
                "cluster coordinators reinstate it. You can still decline the request."
            ),
            code="suspended",
            params={"organisation": organisation},
        )
    if organisation.status != OrganisationStatus.APPROVED:
        raise join_closed_error(organisation)
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
    membership = _locked_request(membership)
    _require_focal_point(organisation=membership.organisation, by=by)
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
    membership = _locked_request(membership)
    if membership.user_id != by.pk:
        raise PermissionDenied(_("Only the person who asked can withdraw the request."))
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
    _require_focal_point(organisation=membership.organisation, by=by)
    if membership.user_id == by.pk:
        raise ValidationError(
            _(
                "You cannot remove yourself. Hand the focal point role to another member, "
                "then leave the organisation."
            ),
            code="self",
        )
    if membership.status != MembershipStatus.ACTIVE:
        raise ValidationError(
            _("%(user)s is no longer a member of the organisation."),
            code="not_active",
            params={"user": membership.user},
        )
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
    if membership is None:
        raise ValidationError(_("You do not belong to an organisation."), code="not_member")
    organisation = membership.organisation
    if membership.role == MemberRole.FOCAL_POINT:
        others = Membership.objects.filter(
            organisation=organisation, status=MembershipStatus.ACTIVE
        ).exclude(pk=membership.pk)
        if others.exists():
            raise ValidationError(
                _(
                    "You are the focal point of %(organisation)s. Hand the role to another "
                    "member before you leave, so that somebody answers requests to join and "
                    "keeps the profile up to date."
                ),
                code="focal_point_must_hand_over",
                params={"organisation": organisation},
            )
        if Membership.objects.requested().filter(organisation=organisation).exists():
            raise ValidationError(
                _(
                    "You are the last member of %(organisation)s. Answer the open requests "
                    "to join it before you leave: nobody else could answer them."
                ),
                code="open_requests",
                params={"organisation": organisation},
            )
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
    current = next(
        (
            row
            for row in active.values()
            if row.user_id == by.pk and row.role == MemberRole.FOCAL_POINT
        ),
        None,
    )
    if current is None:
        raise PermissionDenied(_("Only the organisation's focal point can do this."))
    if target.pk == current.pk:
        raise ValidationError(_("You are already the focal point."), code="self")
    if target.pk not in active:
        raise ValidationError(
            _("%(user)s is no longer a member of the organisation."),
            code="not_active",
            params={"user": target.user},
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
