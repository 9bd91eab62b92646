"""Who may hold a personal API token, and whether a token presented to the API is accepted.

A token reads with its owner's scope, so it is given to the people who read more than the
public: members with an active membership of an approved organisation, and coordinators
(site administrators included). Coordinators and site administrators reach every
organisation's data, and a token outlives any session: they must have two-factor
authentication set up before they make one, whether or not ``REQUIRE_MFA`` is on.

The same rule is asked again at every request (``token_accepted``): a token of an account
that lost its membership, whose organisation is no longer approved, or that was deactivated,
is refused with a 401 that says so, though the token itself was never revoked.
"""

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.mfa import has_totp
from api.models import ApiToken
from core.policy import ALLOWED, Decision, forbid
from partners.access import is_coordinator, user_organisation
from partners.models import OrganisationStatus


def _holds_a_scope(user) -> Decision:
    if not getattr(user, "is_authenticated", False):
        return forbid(_("Sign in to use API tokens."))
    if not user.is_active:
        return forbid(_("This account is deactivated."))
    if is_coordinator(user):
        return ALLOWED
    organisation = user_organisation(user)
    if organisation is None:
        return forbid(
            _(
                "API tokens are for members of a partner organisation and coordinators: "
                "this account has no active membership."
            )
        )
    if organisation.status != OrganisationStatus.APPROVED:
        return forbid(
            _("API tokens are for members of approved organisations: %(name)s is not approved.")
            % {"name": organisation.name}
        )
    return ALLOWED


def can_create_token(user) -> Decision:
    decision = _holds_a_scope(user)
    if not decision:
        return decision
    if user.has_privileged_role and not has_totp(user):
        return forbid(
            _(
                "Your role reaches every organisation's data: set up two-factor "
                "authentication before you create an API token."
            )
        )
    return ALLOWED


def can_revoke_token(user, token: ApiToken) -> Decision:
    """Only the owner revokes a token (anyone else's is a 404 before this is asked)."""
    if token.user_id != user.pk:
        return forbid(_("This is not your token."))
    if token.is_revoked:
        return forbid(_("This token is already revoked."))
    return ALLOWED


def token_accepted(token: ApiToken | None, now=None) -> Decision:
    """Whether the API accepts a request with this token (None: no token has that secret)."""
    now = now or timezone.now()
    if token is None:
        return forbid(_("The API token is not valid."))
    if token.is_revoked:
        return forbid(_("This API token was revoked."))
    if token.is_expired(now):
        return forbid(
            _("This API token expired on %(date)s.")
            % {"date": formats.date_format(timezone.localtime(token.expires_at), "DATE_FORMAT")}
        )
    decision = _holds_a_scope(token.user)
    if not decision:
        return forbid(_("This API token is refused: %(reason)s") % {"reason": decision.reason})
    return ALLOWED
