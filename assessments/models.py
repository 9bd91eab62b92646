"""Needs assessments: who assessed which areas, how, and how severe the needs are.

An assessment is led by one organisation (others may join it), covers several
admin areas and records findings as a severity (1 to 5) and the people in need per
area and health domain. It moves draft → submitted → published, or back to
returned with a coordinator's comment; reports and tools are attached as files.
"""

import secrets
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.bilingual import bilingual


class AssessmentType(models.TextChoices):
    RAPID = "rapid", _("Rapid assessment")
    MIRA = "mira", _("Multi-cluster initial rapid assessment (MIRA)")
    SECTORAL = "sectoral", _("Detailed sectoral assessment")
    HERAMS = "herams", _("HeRAMS health facility survey")
    PHSA = "phsa", _("Public health situation analysis")
    OTHER = "other", _("Other")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned for changes")
    PUBLISHED = "published", _("Published")


# States in which the lead organisation may change the assessment.
EDITABLE_STATUSES = (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)


class Severity(models.IntegerChoices):
    MINIMAL = 1, _("Minimal")
    STRESSED = 2, _("Stressed")
    SEVERE = 3, _("Severe")
    EXTREME = 4, _("Extreme")
    CATASTROPHIC = 5, _("Catastrophic")


class AssessmentQuerySet(models.QuerySet):
    def published(self) -> "AssessmentQuerySet":
        return self.filter(status=AssessmentStatus.PUBLISHED)

    def public(self) -> "AssessmentQuerySet":
        """Published and open to everybody: the only ones counted in public figures."""
        return self.filter(status=AssessmentStatus.PUBLISHED, is_restricted=False)

    def submitted(self) -> "AssessmentQuerySet":
        return self.filter(status=AssessmentStatus.SUBMITTED)


class Assessment(models.Model):
    title_en = models.CharField(_("title (English)"), max_length=250)
    title_ar = models.CharField(_("title (Arabic)"), max_length=250, blank=True)
    type = models.CharField(_("type"), max_length=10, choices=AssessmentType.choices)
    lead_organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("lead organisation"),
        on_delete=models.PROTECT,
        related_name="led_assessments",
    )
    participating_organisations = models.ManyToManyField(
        "partners.Organisation",
        verbose_name=_("participating organisations"),
        blank=True,
        related_name="joined_assessments",
    )
    areas = models.ManyToManyField(
        "locations.AdminArea", verbose_name=_("areas covered"), related_name="assessments"
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    methodology = models.TextField(_("methodology"), blank=True)
    sample = models.TextField(_("sample"), blank=True)
    population_covered = models.PositiveIntegerField(_("population covered"), null=True, blank=True)
    key_findings_en = models.TextField(_("key findings (English)"), blank=True)
    key_findings_ar = models.TextField(_("key findings (Arabic)"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.DRAFT,
    )
    is_restricted = models.BooleanField(
        _("restricted to members"),
        default=False,
        help_text=_(
            "Published but visible only to signed-in members of partner organisations; "
            "never counted in public figures."
        ),
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    # Cells of the findings grid saved as typed while not right ("<area pk>-<domain pk>":
    # {"severity": …, "pin": …}): kept, marked, and finished or emptied before submission.
    unfinished_findings = models.JSONField(_("unfinished findings"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(
        m2m_fields=[participating_organisations, areas], excluded_fields=["unfinished_findings"]
    )
    objects = AssessmentQuerySet.as_manager()

    title = bilingual("title")
    key_findings = bilingual("key_findings")

    class Meta:
        verbose_name = _("needs assessment")
        verbose_name_plural = _("needs assessments")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="assessment_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(population_covered__isnull=True) | Q(population_covered__gt=0),
                name="assessment_population_positive",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[choice.value for choice in AssessmentStatus]),
                name="assessment_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status=AssessmentStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="assessment_published_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "is_restricted"], name="assessment_status_idx"),
            models.Index(fields=["type"], name="assessment_type_idx"),
            models.Index(fields=["start_date"], name="assessment_start_idx"),
        ]

    def __str__(self) -> str:
        return str(self.title)

    def get_absolute_url(self) -> str:
        return reverse("assessments:detail", args=[self.pk])

    @property
    def is_editable_state(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_published(self) -> bool:
        return self.status == AssessmentStatus.PUBLISHED

    @property
    def is_public(self) -> bool:
        return self.is_published and not self.is_restricted


class Finding(models.Model):
    """The severity of needs and the people in need in one area for one health domain."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="findings", verbose_name=_("assessment")
    )
    area = models.ForeignKey(
        "locations.AdminArea",
        on_delete=models.PROTECT,
        related_name="assessment_findings",
        verbose_name=_("area"),
    )
    domain = models.ForeignKey(
        "strategy.HealthDomain",
        on_delete=models.PROTECT,
        related_name="assessment_findings",
        verbose_name=_("health domain"),
    )
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices)
    people_in_need = models.PositiveIntegerField(_("people in need"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["assessment", "area__path", "domain__order", "domain__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "area", "domain"], name="finding_one_per_area_domain"
            ),
            models.CheckConstraint(
                condition=Q(severity__gte=1, severity__lte=5), name="finding_severity_1_to_5"
            ),
        ]
        indexes = [models.Index(fields=["domain", "severity"], name="finding_domain_sev_idx")]

    def __str__(self) -> str:
        return f"{self.area} / {self.domain}: {self.severity}"


class AttachmentKind(models.TextChoices):
    REPORT = "report", _("Report")
    TOOL = "tool", _("Questionnaire or tool")
    OTHER = "other", _("Other")


def attachment_path(instance: "Attachment", filename: str) -> str:
    """A private path with a random name: the original name is kept in the database only."""
    suffix = PurePath(filename).suffix.lower()[:6]
    return f"private/assessments/{secrets.token_hex(16)}{suffix}"


class Attachment(models.Model):
    """A report, questionnaire or other file attached to an assessment (PDF, DOCX, XLSX)."""

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("assessment"),
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=AttachmentKind.choices, default=AttachmentKind.REPORT
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["kind", "original_name", "pk"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("assessments:attachment", args=[self.pk])
