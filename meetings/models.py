"""The cluster's coordination meetings: when and where, the agenda and the minutes.

Times are stored in UTC and entered and shown in the cluster's time zone
(``settings.TIME_ZONE``). A meeting is public unless it is marked for members only; its
minutes (a PDF) are served through a view that applies the same rule.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.bilingual import bilingual
from core.markdown import MarkdownTextField


class MeetingKind(models.TextChoices):
    GENERAL = "general", _("General coordination meeting")
    HUB = "hub", _("Sub-national hub meeting")
    TECHNICAL = "twg", _("Technical working group")
    ADVISORY = "sag", _("Strategic advisory group")


class MeetingQuerySet(models.QuerySet):
    def public(self) -> "MeetingQuerySet":
        return self.filter(is_members_only=False)

    def upcoming(self, now=None) -> "MeetingQuerySet":
        """Meetings that have not ended yet, the soonest first."""
        return self.filter(ends_at__gt=now or timezone.now()).order_by("starts_at", "pk")

    def past(self, now=None) -> "MeetingQuerySet":
        """Meetings that have ended, the latest first."""
        return self.filter(ends_at__lte=now or timezone.now()).order_by("-starts_at", "-pk")


def minutes_path(instance: "Meeting", filename: str) -> str:
    # The stored name is the portal's own; the uploaded name is never reused.
    return f"meetings/minutes/{instance.uid}-{uuid.uuid4().hex[:8]}.pdf"


class Meeting(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_ar = models.CharField(_("title (Arabic)"), max_length=200, blank=True)
    kind = models.CharField(
        _("kind of meeting"),
        max_length=10,
        choices=MeetingKind.choices,
        default=MeetingKind.GENERAL,
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place_en = models.CharField(_("place (English)"), max_length=250, blank=True)
    place_ar = models.CharField(_("place (Arabic)"), max_length=250, blank=True)
    online_url = models.URLField(
        _("online meeting link"),
        blank=True,
        help_text=_("The address to join online, if the meeting can be followed remotely."),
    )
    agenda_en = MarkdownTextField(_("agenda (English)"), blank=True)
    agenda_ar = MarkdownTextField(_("agenda (Arabic)"), blank=True)
    minutes = models.FileField(_("minutes"), upload_to=minutes_path, blank=True, max_length=200)
    minutes_uploaded_at = models.DateTimeField(_("minutes uploaded at"), null=True, blank=True)
    is_members_only = models.BooleanField(
        _("for members only"),
        default=False,
        help_text=_(
            "Only signed-in members of partner organisations and coordinators see the meeting "
            "and its minutes. It is left out of the public calendar."
        ),
    )
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = MeetingQuerySet.as_manager()

    title = bilingual("title")
    place = bilingual("place")
    agenda = bilingual("agenda")

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="meeting_ends_after_it_starts",
                violation_error_message=_("The meeting ends before it starts."),
            ),
        ]
        indexes = [models.Index(fields=["ends_at", "starts_at"])]

    def __str__(self) -> str:
        return str(self.title)

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", kwargs={"pk": self.pk})

    @property
    def is_past(self) -> bool:
        return self.ends_at <= timezone.now()
