"""Coordinators' decisions on organisations: approve, reject, suspend, reinstate.

Each decision is one atomic step: the organisation row is locked, ``partners.policy``
checks the transition against its current status, the status, reason, time and coordinator
are recorded (nothing is ever deleted), and the organisation's focal point and registrant
are told by email, in their language, once the transaction commits.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.emails import send_to_users
from partners import policy
from partners.access import forget_memberships
from partners.models import (
    CURRENT_MEMBERSHIP,
    MemberRole,
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationStatus,
)


def _locked(organisation: Organisation, by) -> Organisation:
    """The organisation re-read under a row lock, so two coordinators cannot both decide."""
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    # Decide on the coordinator's memberships as they are now, not as the request read them.
    forget_memberships(by)
    return locked


def _require_reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(message, code="reason_required")
    return reason


def review_recipients(organisation: Organisation) -> list:
    """The organisation's current focal point and the person who registered it, once each."""
    users = [
        membership.user
        for membership in Membership.objects.select_related("user").filter(
            CURRENT_MEMBERSHIP, organisation=organisation, role=MemberRole.FOCAL_POINT
        )
    ]
    if organisation.registered_by is not None:
        users.append(organisation.registered_by)
    unique = {}
    for user in users:
        unique.setdefault(user.pk, user)
    return list(unique.values())


def _record(organisation: Organisation, *, status: str, by, reason: str) -> Organisation:
    organisation.status = status
    organisation.status_reason = reason
    organisation.status_changed_at = timezone.now()
    organisation.status_changed_by = by
    # simple-history records the coordinator even outside a request (shell, tasks).
    organisation._history_user = by
    organisation.save(
        update_fields=["status", "status_reason", "status_changed_at", "status_changed_by"]
    )
    return organisation


def _notify(organisation: Organisation, recipients: list, name: str) -> None:
    send_to_users(
        recipients,
        f"partners/review_{name}",
        {"organisation": organisation, "reason": organisation.status_reason},
    )


@transaction.atomic
def organisation_approve(*, organisation: Organisation, by) -> Organisation:
    """Approve a pending organisation: it appears in the directory and its members may report."""
    organisation = _locked(organisation, by)
    policy.can_approve(by, organisation).enforce()
    _record(organisation, status=OrganisationStatus.APPROVED, by=by, reason="")
    _notify(organisation, review_recipients(organisation), "approved")
    return organisation


@transaction.atomic
def organisation_reject(*, organisation: Organisation, by, reason: str) -> Organisation:
    """Reject a pending registration; its memberships end so the people may register again."""
    reason = _require_reason(reason, _("Give the reason for rejecting this organisation."))
    organisation = _locked(organisation, by)
    policy.can_reject(by, organisation).enforce()
    # Read before the memberships end: the focal point is still told why.
    recipients = review_recipients(organisation)
    _record(organisation, status=OrganisationStatus.REJECTED, by=by, reason=reason)
    now = timezone.now()
    for membership in Membership.objects.select_for_update().filter(
        CURRENT_MEMBERSHIP, organisation=organisation
    ):
        membership.status = MembershipStatus.REMOVED
        membership.ended_at = now
        membership._history_user = by
        membership.save(update_fields=["status", "ended_at"])
    _notify(organisation, recipients, "rejected")
    return organisation


@transaction.atomic
def organisation_suspend(*, organisation: Organisation, by, reason: str) -> Organisation:
    """Suspend an approved organisation: it leaves the directory and its members only read."""
    reason = _require_reason(reason, _("Give the reason for suspending this organisation."))
    organisation = _locked(organisation, by)
    policy.can_suspend(by, organisation).enforce()
    _record(organisation, status=OrganisationStatus.SUSPENDED, by=by, reason=reason)
    _notify(organisation, review_recipients(organisation), "suspended")
    return organisation


@transaction.atomic
def organisation_reinstate(*, organisation: Organisation, by, reason: str = "") -> Organisation:
    """Reinstate a suspended organisation as approved; the reason is optional."""
    organisation = _locked(organisation, by)
    policy.can_reinstate(by, organisation).enforce()
    _record(organisation, status=OrganisationStatus.APPROVED, by=by, reason=(reason or "").strip())
    _notify(organisation, review_recipients(organisation), "reinstated")
    return organisation
