"""The outbox: every email the portal sends, written down before it is sent.

An ``OutboundEmail`` is written in the transaction of the action that causes it (a report
submitted, a reminder recorded, a subscription asked for), so a rolled-back action sends
nothing and a committed one always leaves its emails behind, whatever the mail server or the
broker do. A Celery task sends each row after the commit; a refused attempt is tried again
later with a growing wait, and after ``OUTBOX_MAX_ATTEMPTS`` the row is failed, with the
server's reason, for the coordinators to see and try again.

No audit history on purpose: the rows churn, and a history table would keep every body
(password-reset links included) and every address long after the row itself is purged.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


# Rows a sending may take: waiting, or claimed by a sending that has not finished in time.
OPEN_STATUSES = (EmailStatus.PENDING, EmailStatus.SENDING)


class OutboundEmailQuerySet(models.QuerySet):
    def due(self, now) -> "OutboundEmailQuerySet":
        """Rows whose next attempt has come: waiting ones, and claimed ones whose sending
        outlived its lease (its worker died)."""
        return self.filter(status__in=OPEN_STATUSES, next_attempt_at__lte=now)

    def failed(self) -> "OutboundEmailQuerySet":
        return self.filter(status=EmailStatus.FAILED)

    def retrying(self) -> "OutboundEmailQuerySet":
        """Not sent yet after at least one refused attempt."""
        return self.filter(status__in=OPEN_STATUSES, attempts__gt=0)


class OutboundEmail(models.Model):
    # Names the email among all others: writing the same key twice writes one row and sends
    # one email, so a task or an action that runs again cannot send a second copy.
    key = models.CharField(_("key"), max_length=200, unique=True)
    recipient = models.EmailField(_("recipient"), max_length=254)
    language = models.CharField(_("language"), max_length=10, blank=True)
    subject = models.CharField(_("subject"), max_length=998)
    body = models.TextField(_("body"), blank=True)
    html_body = models.TextField(_("HTML body"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = OutboundEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(status=EmailStatus.SENT, sent_at__isnull=False)
                    | (~Q(status=EmailStatus.SENT) & Q(sent_at__isnull=True))
                ),
                name="outbound_email_sent_at_iff_sent",
            ),
        ]
        indexes = [
            # The beat's minutely look for due rows reads only the open ones.
            models.Index(
                fields=["next_attempt_at"],
                name="outbound_email_due",
                condition=Q(status__in=OPEN_STATUSES),
            ),
            models.Index(fields=["status", "created_at"], name="outbound_email_status"),
        ]

    def __str__(self) -> str:
        # Not the address: objects end up in logs and error reports.
        return f"email {self.pk} ({self.status})"
