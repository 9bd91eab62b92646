"""How django-allauth fits the portal: where each role lands after login, the signup language,
and its emails (address confirmation, password reset, notices) sent through the outbox.

Enabled with ``ACCOUNT_ADAPTER``. It lives in the composition root because the landing page
depends on the user's organisation (``partners``), which ``accounts`` sits below.
"""

import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from accounts.models import Language
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
        """Render allauth's email as allauth does, but write it to the outbox instead of
        sending it in the request: a mail server that refuses never fails a sign-up or a
        password reset, and the email is tried again."""
        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {
                "request": request,
                "email": email,
                "current_site": get_current_site(request),
                **context,
            },
        )
        email_queue_message(
            message,
            key=f"account-{template_prefix.rsplit('/', 1)[-1]}-{uuid.uuid4().hex}",
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
