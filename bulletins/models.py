"""Bulletins: one number and one period, an edition per language, and the public record.

A ``Bulletin`` has a number, the months it covers and the figures its editions are built
from (a snapshot of ``analysis.snapshot.public_figures``). Each ``Edition`` is the bulletin
in one language of ``LANGUAGES``: the text a coordinator writes, the build of its PDF (status,
attempts, heartbeat on the row, so a dead worker shows) and its publication.

What the public sees is an ``EditionVersion``: the text, figures and PDF of an edition as it
was published, never edited. Editing a published edition changes its working text only; the
public page, PDF and feed entry keep showing the latest version until the coordinator
publishes a revision with a note, which adds a version. Earlier versions' PDFs stay public.
Once any edition is published the bulletin's figures are frozen: other editions and
revisions are built from them, unless a revision asks for today's figures.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.markdown import MarkdownTextField

MAX_HIGHLIGHTS = 4


class BuildStatus(models.TextChoices):
    """The build of an edition's working text; publication is recorded apart from it."""

    DRAFT = "draft", _("Not built yet")
    QUEUED = "queued", _("Waiting to be built")
    BUILDING = "building", _("Building")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Build failed")


IN_PROGRESS = (BuildStatus.QUEUED, BuildStatus.BUILDING)


def edition_languages() -> list[tuple[str, str]]:
    """The languages a bulletin has an edition in: the portal's own."""
    return list(settings.LANGUAGES)


def in_language_order(editions) -> list:
    """Editions in the order of ``LANGUAGES`` (English first here), as every list shows them."""
    codes = [code for code, _name in settings.LANGUAGES]
    return sorted(editions, key=lambda e: codes.index(e.language) if e.language in codes else 99)


class FailureReason(models.TextChoices):
    """Why a build failed. The code is stored; the words are translated when shown."""

    QUEUE_DOWN = "queue_down", _("The task queue cannot be reached")
    NOT_STARTED = "not_started", _("The build did not start")
    STOPPED = "stopped", _("The build stopped answering")
    TOO_MANY_ATTEMPTS = "attempts", _("Too many attempts")
    TOO_LONG = "too_long", _("The build took too long")
    TEMPLATE = "template", _("The print layout has an error")
    DATABASE = "database", _("The database could not be reached")
    STORAGE = "storage", _("The file store could not be reached")
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
    FailureReason.STORAGE: _(
        "The file store could not be reached, so the PDF was not saved. Build again in a few "
        "minutes; if it keeps failing, tell the site administrator."
    ),
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


class Authored(models.Model):
    """Who made and last changed the row, and when."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Bulletin(Authored):
    """One numbered bulletin: the months it covers and the figures its editions print."""

    number = models.PositiveIntegerField(_("number"), unique=True)
    first_month = models.DateField(_("first month"))
    last_month = models.DateField(_("last month"))
    # The figures every edition is built from: taken by the first build after "build all
    # editions" emptied them, so editions built together share them; frozen once an
    # edition is published.
    snapshot = models.JSONField(_("figures snapshot"), default=dict, blank=True)
    snapshot_taken_at = models.DateTimeField(_("figures taken at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["snapshot"])

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
        return str(_("Bulletin %(number)s") % {"number": self.number})

    def get_absolute_url(self) -> str:
        return reverse("bulletins:detail", kwargs={"pk": self.pk})

    def get_public_url(self) -> str:
        return reverse("bulletins:public", kwargs={"number": self.number})

    def figures_frozen(self) -> bool:
        """Once an edition is public, every later build uses the figures it was published
        with (a revision may ask for today's)."""
        return any(edition.is_public for edition in self.editions.all())


class EditionText(models.Model):
    """What a coordinator writes for an edition; a published version keeps a copy."""

    title = models.CharField(_("title"), max_length=200)
    highlights = models.TextField(
        _("highlights"),
        blank=True,
        help_text=_("At most four key messages, one a line."),
    )
    situation_overview = MarkdownTextField(_("situation overview"), blank=True)
    public_health_concerns = MarkdownTextField(_("public health concerns"), blank=True)
    health_response = MarkdownTextField(_("health response"), blank=True)
    gaps_and_challenges = MarkdownTextField(_("gaps and challenges"), blank=True)
    coordination = MarkdownTextField(_("coordination"), blank=True)

    class Meta:
        abstract = True

    @property
    def highlight_list(self) -> list[str]:
        return split_highlights(self.highlights)

    @property
    def is_rtl(self) -> bool:
        return self.language == "ar"


TEXT_FIELDS = (
    "title",
    "highlights",
    "situation_overview",
    "public_health_concerns",
    "health_response",
    "gaps_and_challenges",
    "coordination",
)


class Edition(EditionText, Authored):
    """The bulletin in one language: its working text, the build of its PDF, and whether
    (and when) it was published or withdrawn. The public reads its versions."""

    bulletin = models.ForeignKey(
        Bulletin, on_delete=models.CASCADE, related_name="editions", verbose_name=_("bulletin")
    )
    language = models.CharField(_("language"), max_length=2, choices=edition_languages())
    # Bumped by every change of the text; a build records the one it printed, so an edition
    # whose text changed since its build cannot be published until it is built again.
    text_version = models.PositiveIntegerField(default=1, editable=False)
    built_text_version = models.PositiveIntegerField(null=True, blank=True, editable=False)
    refresh_figures = models.BooleanField(
        _("take today's figures"),
        default=False,
        help_text=_(
            "The revision is built from today's validated figures instead of those the "
            "bulletin was published with."
        ),
    )

    status = models.CharField(
        _("status"), max_length=10, choices=BuildStatus.choices, default=BuildStatus.DRAFT
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

    published_at = models.DateTimeField(_("first published at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.TextField(
        _("reason for withdrawal"),
        blank=True,
        help_text=_("Shown on the bulletin's public page while it is withdrawn."),
    )

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
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        ordering = ["bulletin", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["bulletin", "language"], name="one_edition_per_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bulletin.number} ({self.language}). {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("bulletins:detail", kwargs={"pk": self.bulletin_id})

    def manage_url(self, name: str) -> str:
        return reverse(
            f"bulletins:edition_{name}",
            kwargs={"pk": self.bulletin_id, "language": self.language},
        )

    def get_public_url(self) -> str:
        return reverse(
            "bulletins:edition",
            kwargs={"number": self.bulletin.number, "language": self.language},
        )

    def get_public_pdf_url(self) -> str:
        return reverse(
            "bulletins:edition_pdf",
            kwargs={"number": self.bulletin.number, "language": self.language},
        )

    def get_language_name(self) -> str:
        return str(dict(settings.LANGUAGES).get(self.language, self.language))

    @property
    def is_public(self) -> bool:
        """Published once: its page, PDF and feed entry are public, withdrawn or not."""
        return self.published_at is not None

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def pdf_shows_text(self) -> bool:
        """Its PDF was built from the text as it is now."""
        return bool(self.pdf) and self.built_text_version == self.text_version

    @property
    def current_version(self) -> "EditionVersion | None":
        """The version the public sees: the latest published (prefetch ``versions``)."""
        versions = list(self.versions.all())
        return max(versions, key=lambda version: version.number) if versions else None

    @property
    def has_revision(self) -> bool:
        """A published edition whose text, figures or PDF differ from what the public sees."""
        current = self.current_version
        if current is None:
            return False
        return (
            self.text_version != current.text_version
            or self.refresh_figures
            or (bool(self.pdf) and self.pdf.name != current.pdf.name)
        )

    @property
    def revision_publishable(self) -> bool:
        """A revision built from the current text, with a PDF the public has not seen."""
        current = self.current_version
        return (
            current is not None
            and self.status == BuildStatus.READY
            and self.pdf_shows_text
            and self.pdf.name != current.pdf.name
            and self.figures_as_asked(current)
        )

    def figures_as_asked(self, current: "EditionVersion") -> bool:
        """The last build printed the figures the revision asks for: today's when
        ``refresh_figures`` is ticked, else those it was published with."""
        kept = self.snapshot_taken_at == current.snapshot_taken_at
        return kept != self.refresh_figures

    def stale_reason(self, now: datetime.datetime | None = None) -> str:
        """Why (a FailureReason) a build in progress is presumed dead, or "" while it may
        still be running.

        Read wherever the status is shown, so a dead build shows as failed even before the
        beat's ``fail_stale_builds`` has written it down.
        """
        now = now or timezone.now()
        if self.status == BuildStatus.QUEUED:
            waited = now - (self.queued_at or now)
            if waited > datetime.timedelta(seconds=settings.BULLETIN_QUEUE_TIMEOUT):
                return FailureReason.NOT_STARTED
        elif self.status == BuildStatus.BUILDING:
            last = self.heartbeat_at or self.build_started_at or self.queued_at or now
            if now - last > datetime.timedelta(seconds=settings.BULLETIN_HEARTBEAT_TIMEOUT):
                return FailureReason.STOPPED
        return ""

    def effective_status(self, now: datetime.datetime | None = None) -> tuple[str, str]:
        """(status, reason in words) as the coordinator should see them, staleness included."""
        reason = self.stale_reason(now)
        if reason:
            return BuildStatus.FAILED, reason_text(reason)
        if self.status == BuildStatus.FAILED:
            return self.status, reason_text(self.status_reason, self.status_detail)
        return self.status, ""

    @property
    def shown_status(self) -> str:
        return self.effective_status()[0]

    @property
    def shown_status_label(self) -> str:
        return BuildStatus(self.shown_status).label

    @property
    def shown_reason(self) -> str:
        return self.effective_status()[1]

    @property
    def is_building(self) -> bool:
        return self.shown_status in IN_PROGRESS


class EditionVersion(EditionText):
    """An edition as it was published: the text, figures and PDF the public saw. Never
    edited; a revision adds the next version, with its note."""

    edition = models.ForeignKey(
        Edition, on_delete=models.PROTECT, related_name="versions", verbose_name=_("edition")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    text_version = models.PositiveIntegerField(editable=False)
    snapshot = models.JSONField(_("figures snapshot"), default=dict, blank=True)
    snapshot_taken_at = models.DateTimeField(_("figures taken at"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="bulletins/", blank=True)
    built_at = models.DateTimeField(_("built at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.CharField(
        _("what was revised"),
        max_length=300,
        blank=True,
        help_text=_("One line, shown on the public page: “Revised on <date>: <note>”."),
    )
    figures_refreshed = models.BooleanField(default=False)
    emailed = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("published version")
        verbose_name_plural = _("published versions")
        ordering = ["edition", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="one_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.edition} v{self.number}"

    @property
    def language(self) -> str:
        return self.edition.language

    @property
    def is_revision(self) -> bool:
        return self.number > 1

    def get_pdf_url(self) -> str:
        return reverse(
            "bulletins:version_pdf",
            kwargs={
                "number": self.edition.bulletin.number,
                "language": self.edition.language,
                "version": self.number,
            },
        )


class BulletinRedirect(models.Model):
    """A number that is no longer a bulletin's: it was the other language's bulletin of the
    same months before editions, and now leads there with a permanent redirect."""

    number = models.PositiveIntegerField(_("old number"), unique=True)
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("old bulletin number")
        verbose_name_plural = _("old bulletin numbers")

    def __str__(self) -> str:
        return f"{self.number} → {self.edition}"


def split_highlights(text: str) -> list[str]:
    """The key messages: one a non-blank line, a leading list mark ("-", "*") dropped."""
    messages = []
    for line in (text or "").splitlines():
        line = line.strip().lstrip("-*•").strip()
        if line:
            messages.append(line)
    return messages
