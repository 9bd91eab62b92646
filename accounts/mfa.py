"""Two-factor authentication: who must use it, and the allauth.mfa adapter that keeps it on.

Coordinators and site administrators (and anyone else with access to the Django admin) reach
every organisation's data and the cluster's workflows, so when ``REQUIRE_MFA`` is on they
must protect their login with an authenticator app (``accounts.middleware``) and may not
switch it off again. Everyone else may turn it on from their profile page.
"""

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.utils.translation import gettext_lazy as _


def mfa_required_for(user) -> bool:
    """Whether the portal insists on two-factor authentication for this user."""
    return bool(
        settings.REQUIRE_MFA
        and getattr(user, "is_authenticated", False)
        and user.has_privileged_role
    )


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": _(
            "Your role requires two-factor authentication, so the authenticator app cannot be "
            "switched off. To move to a new phone, ask a site administrator to reset it."
        ),
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if authenticator.type == Authenticator.Type.TOTP and mfa_required_for(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)
