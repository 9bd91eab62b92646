"""How django-allauth fits the portal: where each role lands after login, the signup language,
and its emails (address confirmation, password reset, notices) sent through the outbox.

Enabled with ``ACCOUNT_ADAPTER``. It lives in the composition root because the landing page
depends on the user's organisation (``partners``), which ``accounts`` sits below.
"""

import uuid
from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest
from django.urls import reverse, translate_url
from django.utils import translation

from accounts.models import Language, User
from core.emails import email_context
from outbox.services import email_queue_message
from partners.access import active_membership


def landing_url(user) -> str:
    """Where the user's day starts.

    Coordinators, site administrators and focal points start on My tasks; partner
    staff on their organisation's page; someone without an organisation on the
    page where they register one or ask to join one.
    """
    if user.is_cluster_coordinator:
        return reverse("my_tasks")
    membership = active_membership(user)
    if membership is None:
        return reverse("partners:start")
    if membership.is_focal_point:
        return reverse("my_tasks")
    return reverse("partners:detail", args=[membership.organisation_id])


def request_language(request: HttpRequest) -> str:
    """The language of the page the request came from (its URL prefix), else the default."""
    language = translation.get_language_from_path(request.path_info) or getattr(
        request, "LANGUAGE_CODE", ""
    )
    language = (language or "")[:2]
    return language if language in Language.values else settings.LANGUAGE_CODE


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return landing_url(request.user)

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        if request.user.is_authenticated:
            return landing_url(request.user)
        return super().get_signup_redirect_url(request)

    def save_user(self, request: HttpRequest, user, form, commit: bool = True):
        """Save a new user with the language of the page they signed up on, for their emails."""
        user = super().save_user(request, user, form, commit=False)
        user.language = request_language(request)
        if commit:
            user.save()
        return user

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render allauth's email in the portal's words (``templates/account/email/``), in
        the recipient's language, with every link on ``SITE_URL``, and write it to the outbox
        instead of sending it in the request: a mail server that refuses never fails a
        sign-up or a password reset, and the email is tried again."""
        request = allauth_context.request
        language = recipient_language(context.get("user"), email)
        # Before the override: a path resolves only in the language of its prefix.
        context = {name: on_site(value, name, language) for name, value in context.items()}
        with translation.override(language):
            message = self.render_mail(
                template_prefix,
                email,
                {
                    "request": request,
                    "email": email,
                    "current_site": get_current_site(request),
                    "site_url": settings.SITE_URL,
                    **email_context(),
                    **context,
                },
            )
        email_queue_message(
            message,
            key=f"account-{template_prefix.rsplit('/', 1)[-1]}-{uuid.uuid4().hex}",
            language=language,
        )


def recipient_language(user, email: str) -> str:
    """The language the recipient chose, found by the address when allauth names no user
    (someone signing up again with an address already taken); else the page's."""
    if user is None:
        user = User.objects.filter(email__iexact=email).first()
    language = getattr(user, "language", "") or translation.get_language() or ""
    return language[:2] if language[:2] in Language.values else settings.LANGUAGE_CODE


def on_site(value, name: str, language: str):
    """A link allauth built from the request's host, moved to ``SITE_URL`` and to the
    recipient's language: behind a proxy or on another port the host a request names is not
    where readers should go, and a reset asked from an English page is read in Arabic."""
    if not (name.endswith("_url") and isinstance(value, str)):
        return value
    parts = urlsplit(value)
    if not parts.scheme:
        return value
    path = translate_url(parts.path, language)
    return settings.SITE_URL + urlunsplit(("", "", path, parts.query, parts.fragment))
