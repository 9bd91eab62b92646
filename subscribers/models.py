"""Email subscriptions to the cluster's announcements (the bulletin), and what was sent.

A ``Subscriber`` is an address and a language. It receives nothing until its owner has
followed the confirmation link (double opt-in); unsubscribing deletes the row, so no list of
former subscribers builds up. Subscribers have no audit history on purpose: a history table
would keep every address after its owner asked to be forgotten.

An ``Announcement`` is one message for the confirmed subscribers of one language, recorded
once per ``key``. A ``Delivery`` row is claimed before its email goes out; its unique
constraint is what makes a task that runs twice send each email once.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Language


def normalise_email(address: str) -> str:
    """The form an address is stored and compared in: trimmed and lower case."""
    return address.strip().lower()


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self) -> "SubscriberQuerySet":
        return self.filter(confirmed_at__isnull=False)

    def pending(self) -> "SubscriberQuerySet":
        return self.filter(confirmed_at__isnull=True)


class Subscriber(models.Model):
    # The signed links name the subscriber by this random id, never by the address, so an
    # address does not end up in web server logs.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("email address"), max_length=254, unique=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    requested_at = models.DateTimeField(_("last requested"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        constraints = [
            models.CheckConstraint(
                condition=Q(email=models.functions.Lower("email")),
                name="subscriber_email_normalised",
            ),
        ]
        indexes = [models.Index(fields=["language", "confirmed_at"], name="subscriber_lang_conf")]

    def __str__(self) -> str:
        # Deliberately not the address: objects end up in logs and error reports.
        return f"subscriber {self.pk}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class Announcement(models.Model):
    key = models.CharField(_("key"), max_length=200, unique=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    url = models.URLField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_batch_at = models.DateTimeField(_("last batch sent"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.key

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None


class Delivery(models.Model):
    """One subscriber's copy of one announcement: claimed by a sending run, then sent."""

    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="deliveries"
    )
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="+")
    claim = models.UUIDField(_("claimed by run"))
    claimed_at = models.DateTimeField(_("claimed"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "subscriber"], name="delivery_once_per_subscriber"
            ),
        ]
        indexes = [models.Index(fields=["announcement", "claim"], name="delivery_claim")]

    def __str__(self) -> str:
        return f"{self.announcement} → subscriber {self.subscriber_id}"
