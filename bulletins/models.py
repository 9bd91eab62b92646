"""Bulletins: what a coordinator writes, the figures frozen for it, and its PDF build.

A bulletin covers a range of months in one language. Each build takes a snapshot of the
period's public figures (``analysis.snapshot.public_figures``) and stores it here with the
PDF; once a bulletin has been published its snapshot is frozen, so rebuilding it gives the
same figures. The build's progress is kept on the row (status, attempts, heartbeat), so the
status page can tell a build that is running from one whose worker died.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

MAX_HIGHLIGHTS = 4


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    QUEUED = "queued", _("Waiting to be built")
    BUILDING = "building", _("Building")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Build failed")
    # Set by publication (bulletin_publish, bulletin_withdraw); both keep the snapshot.
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


IN_PROGRESS = (BulletinStatus.QUEUED, BulletinStatus.BUILDING)
FROZEN = (BulletinStatus.PUBLISHED, BulletinStatus.WITHDRAWN)


class BulletinLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    ARABIC = "ar", _("Arabic")


class FailureReason(models.TextChoices):
    """Why a build failed. The code is stored; the words are translated when shown."""

    QUEUE_DOWN = "queue_down", _("The task queue cannot be reached")
    NOT_STARTED = "not_started", _("The build did not start")
    STOPPED = "stopped", _("The build stopped answering")
    TOO_MANY_ATTEMPTS = "attempts", _("Too many attempts")
    TOO_LONG = "too_long", _("The build took too long")
    TEMPLATE = "template", _("The print layout has an error")
    DATABASE = "database", _("The database could not be reached")
    UNEXPECTED = "unexpected", _("Unexpected error")


# The plain words shown for each reason; %(detail)s is the stored detail.
REASON_TEXTS = {
    FailureReason.QUEUE_DOWN: _(
        "The task queue cannot be reached, so the build was not started. "
        "Try again in a few minutes; if it keeps failing, tell the site administrator."
    ),
    FailureReason.NOT_STARTED: _(
        "The build did not start; the task queue may be down. Build again, and tell the "
        "site administrator if it happens twice."
    ),
    FailureReason.STOPPED: _(
        "The build stopped answering: the server building it was probably restarted. Build again."
    ),
    FailureReason.TOO_MANY_ATTEMPTS: _(
        "The build was given up after %(detail)s attempts: each one ended the process "
        "building it. Tell the site administrator before building again."
    ),
    FailureReason.TOO_LONG: _(
        "The build took longer than %(detail)s minutes and was stopped. Try again; if it "
        "happens again, shorten the narrative or tell the site administrator."
    ),
    FailureReason.TEMPLATE: _(
        "The bulletin's print layout has an error, so no PDF was made. Tell the site "
        "administrator (%(detail)s)."
    ),
    FailureReason.DATABASE: _("The database could not be reached during the build. Build again."),
    FailureReason.UNEXPECTED: _(
        "The PDF could not be made because of an unexpected error (%(detail)s). Build again; "
        "if it fails again, tell the site administrator."
    ),
}


def reason_text(code: str, detail: str = "") -> str:
    """The failure reason in plain words, in the active language."""
    if not code:
        return ""
    text = REASON_TEXTS.get(code)
    if text is None:
        return detail
    return str(text) % {"detail": detail} if "%(detail)s" in str(text) else str(text)


class Bulletin(models.Model):
    number = models.PositiveIntegerField(_("number"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(
        _("language"), max_length=2, choices=BulletinLanguage.choices, default="en"
    )
    first_month = models.DateField(_("first month"))
    last_month = models.DateField(_("last month"))
    highlights = models.TextField(
        _("highlights"),
        blank=True,
        help_text=_("At most four key messages, one a line."),
    )
    situation_overview = models.TextField(_("situation overview"), blank=True)
    public_health_concerns = models.TextField(_("public health concerns"), blank=True)
    health_response = models.TextField(_("health response"), blank=True)
    gaps_and_challenges = models.TextField(_("gaps and challenges"), blank=True)
    coordination = models.TextField(_("coordination"), blank=True)

    status = models.CharField(
        _("status"), max_length=10, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT
    )
    status_reason = models.CharField(
        _("reason"), max_length=12, choices=FailureReason.choices, blank=True
    )
    status_detail = models.CharField(_("detail"), max_length=300, blank=True)
    snapshot = models.JSONField(_("figures snapshot"), default=dict, blank=True)
    snapshot_taken_at = models.DateTimeField(_("figures taken at"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="bulletins/", blank=True)
    built_at = models.DateTimeField(_("built at"), null=True, blank=True)
    build_token = models.UUIDField(null=True, blank=True, editable=False)
    build_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    build_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.TextField(
        _("reason for withdrawal"),
        blank=True,
        help_text=_("Shown on the bulletin's public page while it is withdrawn."),
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The build's bookkeeping changes every few seconds through queryset updates; the
    # history keeps what people write and decide.
    history = HistoricalRecords(
        excluded_fields=[
            "snapshot",
            "build_token",
            "build_attempts",
            "queued_at",
            "build_started_at",
            "heartbeat_at",
        ]
    )

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["-number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_month__gte=F("first_month")),
                name="bulletin_last_month_not_before_first",
            ),
            models.CheckConstraint(
                condition=Q(first_month__day=1) & Q(last_month__day=1),
                name="bulletin_months_are_first_days",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("bulletins:detail", kwargs={"pk": self.pk})

    @property
    def highlight_list(self) -> list[str]:
        return split_highlights(self.highlights)

    @property
    def is_rtl(self) -> bool:
        return self.language == BulletinLanguage.ARABIC

    def get_public_url(self) -> str:
        return reverse("bulletins:public", kwargs={"number": self.number})

    @property
    def is_public(self) -> bool:
        """Published once: its page, PDF and feed entry are public, withdrawn or not."""
        return self.published_at is not None

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def snapshot_is_frozen(self) -> bool:
        """A published (or withdrawn) bulletin keeps the figures it was published with.

        ``published_at`` stays set while such a bulletin is rebuilt, when its status is
        briefly queued or building.
        """
        return self.status in FROZEN or self.published_at is not None

    def status_after_build(self) -> str:
        if self.withdrawn_at is not None:
            return BulletinStatus.WITHDRAWN
        if self.published_at is not None:
            return BulletinStatus.PUBLISHED
        return BulletinStatus.READY

    def stale_reason(self, now: datetime.datetime | None = None) -> str:
        """Why (a FailureReason) a build in progress is presumed dead, or "" while it may
        still be running.

        Read wherever the status is shown, so a dead build shows as failed even before the
        beat's ``fail_stale_builds`` has written it down.
        """
        now = now or timezone.now()
        if self.status == BulletinStatus.QUEUED:
            waited = now - (self.queued_at or now)
            if waited > datetime.timedelta(seconds=settings.BULLETIN_QUEUE_TIMEOUT):
                return FailureReason.NOT_STARTED
        elif self.status == BulletinStatus.BUILDING:
            last = self.heartbeat_at or self.build_started_at or self.queued_at or now
            if now - last > datetime.timedelta(seconds=settings.BULLETIN_HEARTBEAT_TIMEOUT):
                return FailureReason.STOPPED
        return ""

    def effective_status(self, now: datetime.datetime | None = None) -> tuple[str, str]:
        """(status, reason in words) as the coordinator should see them, staleness included."""
        reason = self.stale_reason(now)
        if reason:
            return BulletinStatus.FAILED, reason_text(reason)
        if self.status == BulletinStatus.FAILED:
            return self.status, reason_text(self.status_reason, self.status_detail)
        return self.status, ""

    @property
    def shown_status(self) -> str:
        return self.effective_status()[0]

    @property
    def shown_status_label(self) -> str:
        return BulletinStatus(self.shown_status).label

    @property
    def shown_reason(self) -> str:
        return self.effective_status()[1]

    @property
    def is_building(self) -> bool:
        return self.shown_status in IN_PROGRESS


def split_highlights(text: str) -> list[str]:
    """The key messages: one a non-blank line, a leading list mark ("-", "*") dropped."""
    messages = []
    for line in (text or "").splitlines():
        line = line.strip().lstrip("-*•").strip()
        if line:
            messages.append(line)
    return messages
