"""Who may do what with an organisation and its memberships, and when: the partners' policy.

One function per action, each answering a ``core.policy.Decision`` with the reason in the
user's language. The services (``partners/services/``) enforce them, deciding on the rows
they locked; the pages ask them which buttons to show.

- The coordinators' review: approve or reject a pending registration, suspend an approved
  organisation, reinstate a suspended one; never for an organisation the coordinator belongs
  to or registered.
- The focal point's team: edit the profile (not while suspended or rejected), accept a
  request to join (only while approved) or decline it, remove a member, hand the role over.
- A member leaves (the focal point hands the role over first); a requester withdraws their
  request.

Which organisations and memberships a user may see at all is ``partners.access``'s to say.
"""

from django.utils.translation import gettext as _

from core.policy import ALLOWED, Decision, first_refusal, forbid, refuse
from partners.access import active_membership, current_organisation_id, is_coordinator
from partners.models import (
    MemberRole,
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationStatus,
)

# --- the coordinators' review --------------------------------------------------------------------


def _is_involved(user, organisation: Organisation) -> bool:
    """Does the user belong to the organisation, ask to join it, or did they register it?"""
    registered = (
        organisation.registered_by_id is not None and organisation.registered_by_id == user.pk
    )
    return registered or current_organisation_id(user) == organisation.pk


def _reviewer(user, organisation: Organisation) -> Decision:
    if not is_coordinator(user):
        return forbid(_("Only coordinators can review organisations."))
    if _is_involved(user, organisation):
        return refuse(
            _(
                "You cannot decide on an organisation you belong to or registered yourself. "
                "Ask another coordinator to review it."
            ),
            "own_organisation",
        )
    return ALLOWED


def _status_is(organisation: Organisation, status: str, message: str) -> Decision:
    return ALLOWED if organisation.status == status else refuse(message, "wrong_status")


def can_approve(user, organisation: Organisation) -> Decision:
    """Approve a pending registration: it is listed and its members may report."""
    return first_refusal(
        _reviewer(user, organisation),
        _status_is(
            organisation,
            OrganisationStatus.PENDING,
            _("Only an organisation waiting for approval can be approved."),
        ),
    )


def can_reject(user, organisation: Organisation) -> Decision:
    return first_refusal(
        _reviewer(user, organisation),
        _status_is(
            organisation,
            OrganisationStatus.PENDING,
            _("Only an organisation waiting for approval can be rejected."),
        ),
    )


def can_suspend(user, organisation: Organisation) -> Decision:
    return first_refusal(
        _reviewer(user, organisation),
        _status_is(
            organisation,
            OrganisationStatus.APPROVED,
            _("Only an approved organisation can be suspended."),
        ),
    )


def can_reinstate(user, organisation: Organisation) -> Decision:
    return first_refusal(
        _reviewer(user, organisation),
        _status_is(
            organisation,
            OrganisationStatus.SUSPENDED,
            _("Only a suspended organisation can be reinstated."),
        ),
    )


def review_actions(user, organisation: Organisation) -> dict[str, Decision]:
    """Every decision a coordinator may take on the organisation, for the review pages."""
    return {
        "approve": can_approve(user, organisation),
        "reject": can_reject(user, organisation),
        "suspend": can_suspend(user, organisation),
        "reinstate": can_reinstate(user, organisation),
    }


# --- the organisation's profile and team ---------------------------------------------------------


def _focal_point(user, organisation_id: int) -> Decision:
    membership = active_membership(user)
    if membership and membership.is_focal_point and membership.organisation_id == organisation_id:
        return ALLOWED
    return forbid(_("Only the organisation's focal point can do this."))


def can_start_membership(current: Membership | None) -> Decision:
    """Register an organisation or ask to join one: a person belongs to one organisation at a
    time, so ``current`` (their membership or open request, if any) must be settled first."""
    if current is None:
        return ALLOWED
    if current.status == MembershipStatus.REQUESTED:
        return refuse(
            _(
                "You have asked to join %(organisation)s and the request is still open. "
                "Cancel that request first."
            )
            % {"organisation": current.organisation},
            "request_open",
        )
    return refuse(
        _(
            "You already belong to %(organisation)s. A person belongs to one organisation "
            "at a time: leave it first."
        )
        % {"organisation": current.organisation},
        "already_member",
    )


def status_notice(organisation: Organisation) -> str:
    """What the organisation's status means for its members, shown on their organisation's
    page; empty while it is approved."""
    if organisation.status == OrganisationStatus.PENDING:
        return _(
            "The cluster coordinators are reviewing this registration. You will receive an "
            "email when they decide. Until then the organisation is not listed in the "
            "directory and nobody can ask to join it."
        )
    if organisation.status == OrganisationStatus.SUSPENDED:
        return _(
            "The cluster coordinators suspended this organisation. Its members can read "
            "member pages but cannot submit anything, and it cannot accept new members."
        )
    if organisation.status == OrganisationStatus.REJECTED:
        return _("Leave the organisation to register again or to join another one.")
    return ""


def join_closed_reason(organisation: Organisation) -> str:
    """Why nobody can join this organisation now (it is not approved)."""
    if organisation.status == OrganisationStatus.PENDING:
        return _(
            "This organisation is still waiting for the coordinators' approval: "
            "it cannot take members yet."
        )
    if organisation.status == OrganisationStatus.SUSPENDED:
        return _(
            "This organisation is suspended: it cannot take new members until the "
            "cluster coordinators reinstate it."
        )
    return _("This organisation's registration was rejected: it cannot take members.")


def can_edit_profile(user, organisation: Organisation) -> Decision:
    """The focal point keeps the profile up to date, unless it is suspended or rejected."""
    if organisation.status == OrganisationStatus.SUSPENDED:
        state = refuse(
            _(
                "%(organisation)s is suspended: its profile cannot be changed until the "
                "cluster coordinators reinstate it."
            )
            % {"organisation": organisation},
            "suspended",
        )
    elif organisation.status == OrganisationStatus.REJECTED:
        state = refuse(
            _("The registration of %(organisation)s was rejected: its profile cannot be changed.")
            % {"organisation": organisation},
            "rejected",
        )
    else:
        state = ALLOWED
    if not _focal_point(user, organisation.pk):
        return forbid(_("Only the organisation's focal point can edit its profile."))
    return state


def request_is_open(request: Membership | None) -> Decision:
    """Is the request still waiting for an answer? None is a request withdrawn (deleted)."""
    if request is not None and request.status == MembershipStatus.REQUESTED:
        return ALLOWED
    return refuse(_("This request has already been answered or withdrawn."), "not_requested")


def can_take_members(organisation: Organisation) -> Decision:
    """Only an approved organisation accepts new members; requests can still be declined."""
    if organisation.status == OrganisationStatus.SUSPENDED:
        return refuse(
            _(
                "%(organisation)s is suspended: it cannot accept new members until the "
                "cluster coordinators reinstate it. You can still decline the request."
            )
            % {"organisation": organisation},
            "suspended",
        )
    if organisation.status != OrganisationStatus.APPROVED:
        return refuse(join_closed_reason(organisation), "not_open")
    return ALLOWED


def can_accept(user, request: Membership) -> Decision:
    """The focal point accepts a request to join, while the organisation is approved."""
    organisation = request.organisation
    return first_refusal(
        request_is_open(request),
        _focal_point(user, organisation.pk),
        can_take_members(organisation),
    )


def can_decline(user, request: Membership) -> Decision:
    return first_refusal(request_is_open(request), _focal_point(user, request.organisation_id))


def can_cancel(user, request: Membership) -> Decision:
    """The requester withdraws their own open request."""
    return first_refusal(
        request_is_open(request),
        ALLOWED
        if request.user_id == user.pk
        else forbid(_("Only the person who asked can withdraw the request.")),
    )


def _still_member(membership: Membership) -> Decision:
    if membership.status == MembershipStatus.ACTIVE:
        return ALLOWED
    return refuse(
        _("%(user)s is no longer a member of the organisation.") % {"user": membership.user},
        "not_active",
    )


def can_remove(user, membership: Membership) -> Decision:
    """The focal point removes another member; their past work stays attributed to them."""
    if membership.user_id == user.pk:
        itself = refuse(
            _(
                "You cannot remove yourself. Hand the focal point role to another member, "
                "then leave the organisation."
            ),
            "self",
        )
    else:
        itself = ALLOWED
    return first_refusal(
        _focal_point(user, membership.organisation_id), itself, _still_member(membership)
    )


def can_hand_over(user, membership: Membership) -> Decision:
    """The focal point gives the role to another active member."""
    itself = (
        refuse(_("You are already the focal point."), "self")
        if membership.user_id == user.pk
        else ALLOWED
    )
    return first_refusal(
        _focal_point(user, membership.organisation_id), itself, _still_member(membership)
    )


def can_leave(user) -> Decision:
    """A member leaves; the focal point hands the role over first, and as the last member
    answers the open requests to join (nobody else could)."""
    membership = active_membership(user)
    if membership is None:
        return refuse(_("You do not belong to an organisation."), "not_member")
    if membership.role != MemberRole.FOCAL_POINT:
        return ALLOWED
    organisation = membership.organisation
    others = Membership.objects.active().filter(organisation=organisation).exclude(pk=membership.pk)
    if others.exists():
        return refuse(
            _(
                "You are the focal point of %(organisation)s. Hand the role to another "
                "member before you leave, so that somebody answers requests to join and "
                "keeps the profile up to date."
            )
            % {"organisation": organisation},
            "focal_point_must_hand_over",
        )
    if Membership.objects.requested().filter(organisation=organisation).exists():
        return refuse(
            _(
                "You are the last member of %(organisation)s. Answer the open requests "
                "to join it before you leave: nobody else could answer them."
            )
            % {"organisation": organisation},
            "open_requests",
        )
    return ALLOWED


def request_actions(user, request: Membership) -> dict[str, Decision]:
    return {"accept": can_accept(user, request), "decline": can_decline(user, request)}


def member_actions(user, membership: Membership) -> dict[str, Decision]:
    return {
        "remove": can_remove(user, membership),
        "hand_over": can_hand_over(user, membership),
    }
