"""Workflow emails, each written in its recipient's language.

Templates live in ``templates/email/<name>_subject.txt`` and ``<name>_body.txt``
(plain text: it reads well on any client and weighs little on slow links).
Each email is rendered at once and written to the outbox (``outbox/``) in the current
transaction: a rolled-back action tells nobody anything, and a committed one is sent after
the commit, tried again while the mail server refuses, and never fails the action.
"""

import uuid
from collections.abc import Callable, Iterable

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from outbox.services import EmailDraft, emails_queue

# Functions that add to every email's context, in the recipient's language: the apps above
# core register theirs (strategy: the cluster's name for the sign-off).
_context_providers: list[Callable[[], dict]] = []


def add_email_context(provider: Callable[[], dict]) -> None:
    if provider not in _context_providers:
        _context_providers.append(provider)


def email_context() -> dict:
    """What every email knows, in the active language."""
    context: dict = {}
    for provider in _context_providers:
        context.update(provider())
    return context


def _render(name: str, language: str, context: dict) -> tuple[str, str]:
    with translation.override(language):
        full = {
            "site_url": settings.SITE_URL,
            "language": language,
            **email_context(),
            **context,
        }
        subject = render_to_string(f"email/{name}_subject.txt", full)
        body = render_to_string(f"email/{name}_body.txt", full)
    subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split())
    return subject, body.strip() + "\n"


def send_to_users(
    users: Iterable, name: str, context: dict | None = None, *, key: str | None = None
) -> int:
    """Email each active user with an address, in the language they chose; returns how many.

    ``key`` names this sending (e.g. ``"reminder-42"``) when the caller may run again, as a
    task does: each user's email is then written once whatever the number of runs. Without it
    every call writes new emails.
    """
    batch = key or f"{name}:{uuid.uuid4().hex}"
    drafts = []
    for user in reachable(users):
        language = getattr(user, "language", None) or settings.LANGUAGE_CODE
        subject, body = _render(name, language, {**(context or {}), "recipient": user})
        drafts.append(
            EmailDraft(
                key=f"{batch}:user-{user.pk}",
                recipient=user.email,
                language=language,
                subject=subject,
                body=body,
            )
        )
    emails_queue(drafts)
    return len(drafts)


def reachable(users: Iterable) -> list:
    """The users an email can reach: active, with an address. A page says someone was
    emailed only when one of these was."""
    return [user for user in users if user is not None and user.is_active and user.email]


def told_by_email(users: Iterable) -> str:
    """How many of ``users`` an action's email reaches, as its message says after it."""
    told = len(reachable(users))
    if not told:
        return _("Nobody could be emailed: tell them yourself.")
    return ngettext(
        "%(count)s person is told by email.", "%(count)s people are told by email.", told
    ) % {"count": told}


def emailed_people(users: Iterable) -> str:
    """Whom an action will email, by name and address, for its confirmation ("" for nobody)."""
    people = reachable(users)
    if not people:
        return ""
    names = ", ".join(f"{user.get_full_name()} <{user.email}>" for user in people)
    return _("Emailed: %(people)s.") % {"people": names}


def absolute_url(path: str) -> str:
    """A link for an email: the site's address plus a path from reverse()."""
    return settings.SITE_URL + path
