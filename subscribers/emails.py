"""The emails of the subscriptions, each in its subscriber's language.

Every one of them, the confirmation request included, carries a one-click unsubscribe link
in its footer and in the ``List-Unsubscribe`` and ``List-Unsubscribe-Post`` headers
(RFC 8058), so a mail client can offer its own unsubscribe button. Templates live in
``templates/email/subscribers/`` (plain text, like the portal's other emails).
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core.emails import absolute_url, email_context
from subscribers.models import Announcement, Subscriber
from subscribers.tokens import confirmation_days, confirmation_token, unsubscribe_token


def unsubscribe_url(subscriber: Subscriber, language: str) -> str:
    with translation.override(language):
        path = reverse(
            "subscribers:unsubscribe", kwargs={"token": unsubscribe_token(subscriber.uid)}
        )
    return absolute_url(path)


def confirmation_url(subscriber: Subscriber, language: str) -> str:
    token = confirmation_token(subscriber.uid, language)
    with translation.override(language):
        path = reverse("subscribers:confirm", kwargs={"token": token})
    return absolute_url(path)


def _subject(text: str) -> str:
    # One line, whatever the caller gave: a header cannot hold a line break.
    return settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(str(text).split())


def _message(
    subscriber: Subscriber, language: str, name: str, context: dict, subject: str | None = None
) -> EmailMessage:
    unsubscribe = unsubscribe_url(subscriber, language)
    with translation.override(language):
        full = {
            "site_url": settings.SITE_URL,
            "language": language,
            "unsubscribe_url": unsubscribe,
            **email_context(),
            **context,
        }
        if subject is None:
            subject = render_to_string(f"email/subscribers/{name}_subject.txt", full)
        body = render_to_string(f"email/subscribers/{name}_body.txt", full)
    return EmailMessage(
        subject=_subject(subject),
        body=body.strip() + "\n",
        to=[subscriber.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )


def confirmation_message(subscriber: Subscriber, language: str) -> EmailMessage:
    """Asks the owner of the address to confirm (a new subscription or a change of language)."""
    return _message(
        subscriber,
        language,
        "confirm",
        {
            "confirm_url": confirmation_url(subscriber, language),
            "days": confirmation_days(),
            "changing_language": subscriber.is_confirmed and subscriber.language != language,
        },
    )


def already_subscribed_message(subscriber: Subscriber) -> EmailMessage:
    """Tells a confirmed subscriber who asked again that nothing changed, and how to leave."""
    return _message(subscriber, subscriber.language, "already_subscribed", {})


def announcement_message(announcement: Announcement, subscriber: Subscriber) -> EmailMessage:
    message = _message(
        subscriber,
        announcement.language,
        "announcement",
        {"announcement": announcement},
        subject=announcement.subject,
    )
    message.extra_headers["Precedence"] = "bulk"
    return message
