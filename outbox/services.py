"""Writing emails to the outbox, and sending them from it.

The portal's actions call ``emails_queue`` (or ``email_queue_message`` for a ready
``EmailMessage``) inside their own transaction; nothing is sent before it commits, and then a
task per email is queued (``deliver_email``, which calls ``email_deliver``). When the broker
cannot be reached the rows simply wait: the beat's minutely ``emails_requeue_due`` queues
every row whose turn has come. Coordinators try a failed email again with ``email_retry``.
In the embedded mode (no broker) the same tasks run in-process after the commit, and the
development server's own beat (``core/embedded_beat.py``) tries refused ones again; a mail
server's refusal is recorded on the row there too and never reaches the request. A temporary
refusal (4xx, no answer) is tried again with backoff; a permanent one (5xx) fails at once.

Delivery is at least once. Before talking to the mail server a sending claims its row in a
committed UPDATE (status "sending", one more attempt, a lease of ``SENDING_LEASE``), and it
marks the row sent once the server has accepted the message. Two sendings of one row cannot
both claim it, and the same key written twice is one row, so a duplicate happens only when a
worker dies after the server accepted the message and before the row was marked sent: once
the lease has run out the beat sends it again. The copy carries the same Message-ID, so mail
clients that deduplicate show it once.
"""

import datetime
import hashlib
import logging
import smtplib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.utils import DNS_NAME
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

from outbox.models import EmailStatus, OutboundEmail

logger = logging.getLogger(__name__)

# The hard time limit of one sending (outbox.tasks.deliver_email); EMAIL_TIMEOUT bounds each
# step of the SMTP conversation well within it.
DELIVERY_SOFT_TIME_LIMIT = 90
DELIVERY_TIME_LIMIT = 120
# A claimed row whose sending has not finished after this long is taken to be lost with its
# worker and becomes due again. Longer than the hard time limit, so that a sending still
# running is never taken over.
SENDING_LEASE = datetime.timedelta(minutes=10)
# The beat leaves rows younger than this that were never tried to the task queued when they
# were written, so that a busy queue does not get a second task for each of them.
FRESH = datetime.timedelta(minutes=1)
# Rows queued by one run of the beat, the oldest due first; the next run takes the rest.
REQUEUE_BATCH = 500
# The longest line a header may have (RFC 5322), the subject's column too.
SUBJECT_MAX_LENGTH = 998
# How much of a mail server's answer is kept as the reason.
ERROR_MAX_LENGTH = 1000


@dataclass(frozen=True)
class EmailDraft:
    """One email to one address, rendered and ready to be written to the outbox."""

    key: str
    recipient: str
    language: str
    subject: str
    body: str
    html_body: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)


def max_attempts() -> int:
    return settings.OUTBOX_MAX_ATTEMPTS


def retry_delay(attempts: int) -> datetime.timedelta:
    """The wait after the ``attempts``-th refused attempt: OUTBOX_RETRY_DELAY, doubled after
    each further one, never more than OUTBOX_RETRY_MAX_DELAY."""
    seconds = settings.OUTBOX_RETRY_DELAY * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, settings.OUTBOX_RETRY_MAX_DELAY))


# Writing --------------------------------------------------------------------------------------


def emails_queue(drafts: Iterable[EmailDraft]) -> list[OutboundEmail]:
    """Write the emails to the outbox in the current transaction; they are sent once it commits.

    Idempotent on each draft's key: a key written before (by this action run twice, or a task
    run again) writes and sends nothing new. Returns the rows written now.
    """
    written = []
    with transaction.atomic():
        for draft in drafts:
            email, created = OutboundEmail.objects.get_or_create(
                key=draft.key,
                defaults={
                    "recipient": draft.recipient,
                    "language": draft.language,
                    # One line, whatever the caller gave: a header cannot hold a line break.
                    "subject": " ".join(str(draft.subject).split())[:SUBJECT_MAX_LENGTH],
                    "body": draft.body,
                    "html_body": draft.html_body,
                    "headers": dict(draft.headers),
                },
            )
            if created:
                written.append(email)
        if written:
            transaction.on_commit(partial(queue_deliveries, [email.pk for email in written]))
    return written


def email_queue(**fields) -> OutboundEmail | None:
    """``emails_queue`` for one email; None when its key was written before."""
    written = emails_queue([EmailDraft(**fields)])
    return written[0] if written else None


def email_queue_message(message: EmailMessage, *, key: str, language: str) -> list[OutboundEmail]:
    """Write a Django ``EmailMessage`` (its text, an HTML alternative and its headers) to the
    outbox, one row per address in ``to``; the sender is always DEFAULT_FROM_EMAIL."""
    if message.cc or message.bcc or message.attachments or not message.to:
        raise ValueError("The outbox keeps emails with recipients in 'to' and no attachments.")
    html = next(
        (
            content
            for content, mimetype in getattr(message, "alternatives", [])
            if mimetype == "text/html"
        ),
        "",
    )
    addresses = list(message.to)
    return emails_queue(
        EmailDraft(
            key=key if len(addresses) == 1 else f"{key}:{n}",
            recipient=address,
            language=language,
            subject=message.subject,
            body=message.body,
            html_body=html,
            headers=message.extra_headers,
        )
        for n, address in enumerate(addresses)
    )


def queue_deliveries(email_ids: list[int]) -> int:
    """Queue a sending task per email; stop at the first broker error (the rest wait for the
    beat). Never raises: it runs after the action has committed. Returns how many were queued.

    In the embedded mode the tasks run here, in-process.
    """
    from outbox.tasks import deliver_email

    queued = 0
    for email_id in email_ids:
        try:
            # No publishing retries: the beat retries, and the request should not wait.
            deliver_email.apply_async(args=[email_id], retry=False)
        except (BrokerError, RedisError, OSError):
            logger.warning(
                "The broker cannot be reached: %d email(s) wait in the outbox for the beat.",
                len(email_ids) - queued,
            )
            break
        except Exception:
            # In-process sending (embedded mode): whatever went wrong, the action stands.
            logger.exception("Sending email %s failed; the beat will try it again.", email_id)
        queued += 1
    return queued


# Sending --------------------------------------------------------------------------------------


def _message_id(email: OutboundEmail) -> str:
    # The same for every attempt, so that a duplicate copy reads as the same message.
    digest = hashlib.sha256(email.key.encode()).hexdigest()[:16]
    return f"<outbox.{email.pk}.{digest}@{DNS_NAME}>"


def _message(email: OutboundEmail) -> EmailMultiAlternatives:
    headers = dict(email.headers)
    if not any(name.lower() == "message-id" for name in headers):
        headers["Message-ID"] = _message_id(email)
    message = EmailMultiAlternatives(
        subject=email.subject, body=email.body, to=[email.recipient], headers=headers
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    return message


def _claim(email_id: int, now: datetime.datetime) -> bool:
    """Take the row for one sending, if it is due; committed at once (autocommit)."""
    return bool(
        OutboundEmail.objects.due(now)
        .filter(pk=email_id, attempts__lt=max_attempts())
        .update(
            status=EmailStatus.SENDING,
            attempts=F("attempts") + 1,
            last_attempt_at=now,
            next_attempt_at=now + SENDING_LEASE,
        )
    )


def _text(message: bytes | str) -> str:
    return message.decode(errors="replace") if isinstance(message, bytes) else str(message)


def _reason(error: BaseException) -> str:
    """The mail server's answer as it gave it ("451 4.3.0 Try again later"), or the error's."""
    if isinstance(error, smtplib.SMTPResponseException):
        text = f"{error.smtp_code} {_text(error.smtp_error)}"
    elif isinstance(error, smtplib.SMTPRecipientsRefused):
        text = "; ".join(f"{code} {_text(answer)}" for code, answer in error.recipients.values())
    else:
        text = str(error) or repr(error)
    return f"{' '.join(text.split())} ({type(error).__name__})"[:ERROR_MAX_LENGTH]


def _is_permanent(error: BaseException) -> bool:
    """A 5xx answer (RFC 5321): the mail server will refuse this message the same way every
    time, so it is not tried again on its own; a coordinator can, once the cause is fixed."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _answer in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


def email_deliver(*, email_id: int) -> str:
    """Send one email from the outbox, if it is due; never raises for a refusal.

    Returns what happened: "sent", "retry" (refused, tried again after ``retry_delay``),
    "failed" (refused for good, with a 5xx answer, or for the last allowed time) or
    "skipped" (not due: sent already,
    failed, claimed by another sending, or its next attempt has not come).
    """
    now = timezone.now()
    if not _claim(email_id, now):
        return "skipped"
    email = OutboundEmail.objects.get(pk=email_id)
    try:
        with get_connection() as connection:
            connection.send_messages([_message(email)])
    except Exception as error:
        # SMTPException and OSError are the mail server refusing or not answering; anything
        # else (a soft time limit, a header the backend refuses) is recorded the same way
        # rather than lost, and logged in full.
        if not isinstance(error, OSError):
            logger.exception("Sending email %s failed unexpectedly.", email_id)
        return _record_failure(email, _reason(error), permanent=_is_permanent(error))
    # The body is not needed any more, and may hold a password-reset or confirmation link.
    OutboundEmail.objects.filter(pk=email.pk, status=EmailStatus.SENDING).update(
        status=EmailStatus.SENT,
        sent_at=timezone.now(),
        last_error="",
        body="",
        html_body="",
        headers={},
    )
    return "sent"


def _record_failure(email: OutboundEmail, reason: str, *, permanent: bool = False) -> str:
    now = timezone.now()
    if permanent or email.attempts >= max_attempts():
        fields = {"status": EmailStatus.FAILED}
        outcome = "failed"
        logger.warning("Email %s failed after %d attempts: %s", email.pk, email.attempts, reason)
    else:
        fields = {
            "status": EmailStatus.PENDING,
            "next_attempt_at": now + retry_delay(email.attempts),
        }
        outcome = "retry"
        logger.info("Email %s refused (attempt %d): %s", email.pk, email.attempts, reason)
    OutboundEmail.objects.filter(pk=email.pk, status=EmailStatus.SENDING).update(
        last_error=reason, **fields
    )
    return outcome


# The beat ---------------------------------------------------------------------------------------


def emails_requeue_due(*, now: datetime.datetime | None = None) -> int:
    """Queue a sending for every row whose turn has come; run by the beat every minute.

    Rows that used up their attempts while claimed (their last sending never finished) are
    failed here. Returns how many were queued.
    """
    now = now or timezone.now()
    OutboundEmail.objects.due(now).filter(attempts__gte=max_attempts()).update(
        status=EmailStatus.FAILED,
        last_error="Interrupted: the last allowed attempt never finished (its worker stopped).",
    )
    due = list(
        OutboundEmail.objects.due(now)
        .exclude(attempts=0, created_at__gt=now - FRESH)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:REQUEUE_BATCH]
    )
    return queue_deliveries(due) if due else 0


def emails_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the rows sent or failed more than OUTBOX_RETENTION_DAYS ago; nightly.

    Their keys go with them: by then no action or task sends the same email again.
    """
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.OUTBOX_RETENTION_DAYS)
    sent, _counts = OutboundEmail.objects.filter(
        status=EmailStatus.SENT, sent_at__lt=cutoff
    ).delete()
    failed, _counts = OutboundEmail.objects.filter(
        status=EmailStatus.FAILED, last_attempt_at__lt=cutoff
    ).delete()
    return sent + failed


# Trying again ---------------------------------------------------------------------------------


def email_retry(*, email_id: int, by) -> OutboundEmail:
    """Start an unsent email over, now: its attempts count from nought again.

    For a coordinator, once the mail server or the address is put right. Refused for an
    email that was sent or is being sent.
    """
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None:
            raise OutboundEmail.DoesNotExist
        if email.status == EmailStatus.SENT or (
            email.status == EmailStatus.SENDING and email.next_attempt_at > timezone.now()
        ):
            raise ValidationError(
                _("This email is no longer waiting: it was sent, or it is being sent now.")
            )
        email.status = EmailStatus.PENDING
        email.attempts = 0
        email.next_attempt_at = timezone.now()
        email.save(update_fields=["status", "attempts", "next_attempt_at"])
        logger.info("Email %s started over by user %s.", email.pk, getattr(by, "pk", None))
        transaction.on_commit(partial(queue_deliveries, [email.pk]))
    return email


def emails_retry_failed(*, by) -> int:
    """Start every failed email over (after an outage of the mail server). Returns how many."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            OutboundEmail.objects.failed()
            .select_for_update()
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        OutboundEmail.objects.filter(pk__in=ids).update(
            status=EmailStatus.PENDING, attempts=0, next_attempt_at=now
        )
        logger.info(
            "%d failed email(s) started over by user %s.", len(ids), getattr(by, "pk", None)
        )
        if ids:
            transaction.on_commit(partial(queue_deliveries, ids))
    return len(ids)
