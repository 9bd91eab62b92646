"""Session limits and the two-factor requirement, applied to every request of a signed-in user.

``SessionTimeoutMiddleware`` signs a user out after ``SESSION_IDLE_TIMEOUT`` seconds without a
request (``SESSION_PRIVILEGED_IDLE_TIMEOUT`` for coordinators and site administrators, if
shorter) and ``SESSION_ABSOLUTE_TIMEOUT`` seconds after they signed in, whatever they do.
``MFARequiredMiddleware`` keeps a coordinator or site administrator without an authenticator
app on the page that sets one up (see ``accounts.mfa``).
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.mfa import has_totp, mfa_required_for

SESSION_STARTED = "accounts.session_started"
SESSION_LAST_SEEN = "accounts.session_last_seen"
# The last-seen time is written at most this often, so most requests do not save the session.
LAST_SEEN_RESOLUTION = 60


def _now() -> int:
    return int(timezone.now().timestamp())


def stamp_session(request: HttpRequest) -> None:
    """Start the session clocks; called when a user signs in."""
    now = _now()
    request.session[SESSION_STARTED] = now
    request.session[SESSION_LAST_SEEN] = now


def idle_timeout_for(user) -> int:
    """Seconds without a request after which this user's session ends."""
    if user.has_privileged_role:
        return min(settings.SESSION_IDLE_TIMEOUT, settings.SESSION_PRIVILEGED_IDLE_TIMEOUT)
    return settings.SESSION_IDLE_TIMEOUT


def on_user_logged_in(sender, request: HttpRequest | None, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        stamp_session(request)


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            expired = self._expired(request)
            if expired:
                logout(request)
                messages.info(request, expired)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)

    @staticmethod
    def _expired(request: HttpRequest) -> str:
        """Why the session has ended, or an empty string while it is still valid."""
        session = request.session
        now = _now()
        started = session.get(SESSION_STARTED)
        last_seen = session.get(SESSION_LAST_SEEN)
        if not isinstance(started, int) or not isinstance(last_seen, int):
            # A session from before these clocks existed: they start now.
            stamp_session(request)
            return ""
        if now - started > settings.SESSION_ABSOLUTE_TIMEOUT:
            return _("For your security, sessions last a limited time. Please sign in again.")
        if now - last_seen > idle_timeout_for(request.user):
            return _("You were signed out after a period of inactivity. Please sign in again.")
        if now - last_seen >= LAST_SEEN_RESOLUTION:
            session[SESSION_LAST_SEEN] = now
        return ""


# What a user who must set up two-factor authentication may still open.
MFA_SETUP_URL_NAMES = frozenset(
    {
        "mfa_index",
        "mfa_activate_totp",
        "mfa_reauthenticate",
        "mfa_authenticate",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_generate_recovery_codes",
        "account_reauthenticate",
        "account_logout",
        "privacy",
        "healthz",
        "robots_txt",
        "set_language",
    }
)


class MFARequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if mfa_required_for(user) and not self._allowed(request) and not has_totp(user):
            messages.warning(
                request,
                _(
                    "Your role gives you access to every organisation's data, so your account "
                    "must be protected by two-factor authentication. Set up an authenticator "
                    "app on your phone to continue."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _allowed(request: HttpRequest) -> bool:
        path = request.path_info
        if path.startswith(settings.STATIC_URL):
            return True
        try:
            match = resolve(path)
        except Resolver404:
            return True  # a 404 page reveals nothing
        return match.view_name in MFA_SETUP_URL_NAMES
