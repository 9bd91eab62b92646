"""Workflow emails, each written in its recipient's language.

Templates live in ``templates/email/<name>_subject.txt`` and ``<name>_body.txt``
(plain text: it reads well on any client and weighs little on slow links).
Sending happens after the transaction commits, so a rolled-back action never
tells anybody anything.
"""

from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def _render(name: str, language: str, context: dict) -> tuple[str, str]:
    with translation.override(language):
        full = {"site_url": settings.SITE_URL, "language": language, **context}
        subject = render_to_string(f"email/{name}_subject.txt", full)
        body = render_to_string(f"email/{name}_body.txt", full)
    subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split())
    return subject, body.strip() + "\n"


def send_to_users(users: Iterable, name: str, context: dict | None = None) -> None:
    """Email each user in the language they chose, once the current transaction commits."""
    for user in users:
        if user is None or not user.is_active or not user.email:
            continue
        language = getattr(user, "language", None) or settings.LANGUAGE_CODE
        transaction.on_commit(
            partial(_send, user.email, name, language, {**(context or {}), "recipient": user})
        )


def _send(address: str, name: str, language: str, context: dict) -> None:
    subject, body = _render(name, language, context)
    EmailMessage(subject=subject, body=body, to=[address]).send()


def absolute_url(path: str) -> str:
    """A link for an email: the site's address plus a path from reverse()."""
    return settings.SITE_URL + path
