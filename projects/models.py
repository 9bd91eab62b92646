"""Partners' projects: the response plan's project list, with each project's funding over time
and how its budget splits across the strategy's objectives and the admin areas.

A partner drafts a project and submits it; coordinators accept it into the plan or return it
with a comment. Funding received is recorded as dated updates from a source, so the figures
can be reconciled with OCHA's Financial Tracking Service; the project's funding received is
its latest update's amount.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.formats import number_format
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from activities.models import SEX_AND_AGE, SEX_AND_AGE_LABELS
from core.bilingual import bilingual


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    ACCEPTED = "accepted", _("Accepted into the plan")
    RETURNED = "returned", _("Returned for correction")


class Project(models.Model):
    title_en = models.CharField(_("title (English)"), max_length=250)
    title_ar = models.CharField(_("title (Arabic)"), max_length=250, blank=True)
    organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    implementing_partners = models.ManyToManyField(
        "partners.Organisation",
        verbose_name=_("implementing partners"),
        blank=True,
        related_name="projects_implemented",
    )
    plan_code = models.CharField(
        _("response plan code"),
        max_length=40,
        blank=True,
        help_text=_("The humanitarian response plan's project code, where it has one."),
    )
    donors = models.CharField(_("donors"), max_length=500, blank=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    status = models.CharField(
        _("status"), max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED
    )
    budget_required_usd = models.DecimalField(
        _("budget required (US$)"), max_digits=14, decimal_places=2
    )
    objectives = models.ManyToManyField(
        "strategy.StrategicObjective",
        verbose_name=_("strategic objectives served"),
        blank=True,
        related_name="projects",
    )
    state = models.CharField(
        _("review"), max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[implementing_partners, objectives])

    title = bilingual("title")

    class Meta:
        ordering = ["-start", "-pk"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="project_ends_after_it_starts"
            ),
            models.CheckConstraint(
                condition=Q(budget_required_usd__gte=0), name="project_budget_not_negative"
            ),
            models.UniqueConstraint(
                fields=["plan_code"],
                condition=~Q(plan_code=""),
                name="project_plan_code_unique",
                violation_error_message=_("Another project has this response plan code."),
            ),
        ]
        indexes = [models.Index(fields=["state", "submitted_at"], name="project_state_idx")]

    def __str__(self) -> str:
        return str(self.title)

    @property
    def row_code(self) -> str:
        """How a 4W row names the project: its plan code, else the portal's "P-12"."""
        return row_code(self.pk, self.plan_code)


# The portal's own identifier of a project without a response plan code, as 4W rows name it.
PORTAL_CODE_PREFIX = "P-"


def row_code(pk: int | None, plan_code: str) -> str:
    """The identifier a 4W row, its template and its exports give a project."""
    if plan_code:
        return plan_code
    return f"{PORTAL_CODE_PREFIX}{pk}" if pk else ""


class FundingUpdate(models.Model):
    """The funding a project had received on a day, by one source; the latest one counts."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="funding"
    )
    date = models.DateField(_("as of"))
    amount_received_usd = models.DecimalField(
        _("funding received (US$)"),
        max_digits=14,
        decimal_places=2,
        help_text=_(
            "Everything received so far: commitments and paid contributions, never pledges, "
            "as OCHA's Financial Tracking Service counts them."
        ),
    )
    source = models.CharField(_("source"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("funding update")
        verbose_name_plural = _("funding updates")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_received_usd__gte=0), name="funding_update_not_negative"
            ),
        ]
        indexes = [models.Index(F("project"), F("date").desc(), name="funding_latest_idx")]

    def __str__(self) -> str:
        return f"{self.project} {self.date}: {self.amount_received_usd}"


class ProjectShare(models.Model):
    """A part of the project's budget going to one objective, or to one admin area. The shares
    of each kind add up to 100 once the project is submitted."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="shares"
    )
    objective = models.ForeignKey(
        "strategy.StrategicObjective",
        verbose_name=_("strategic objective"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    area = models.ForeignKey(
        "locations.AdminArea",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    share_percent = models.DecimalField(_("share (per cent)"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["project", "pk"]
        verbose_name = _("budget share")
        verbose_name_plural = _("budget shares")
        constraints = [
            models.CheckConstraint(
                condition=Q(share_percent__gt=0, share_percent__lte=100),
                name="project_share_percent_in_range",
            ),
            # A share is of one kind: an objective's or an area's.
            models.CheckConstraint(
                condition=Q(objective__isnull=True, area__isnull=False)
                | Q(objective__isnull=False, area__isnull=True),
                name="project_share_one_kind",
            ),
            models.UniqueConstraint(
                fields=["project", "objective"],
                condition=Q(objective__isnull=False),
                name="project_share_objective_once",
            ),
            models.UniqueConstraint(
                fields=["project", "area"],
                condition=Q(area__isnull=False),
                name="project_share_area_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.objective or self.area}: {self.share_percent} %"


class PlannedActivity(models.Model):
    """An activity of the catalogue the project plans to carry out in an area over some months,
    with its target in the activity's unit, and by sex and age where the activity counts
    people so."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="planned_activities",
    )
    activity = models.ForeignKey(
        "activities.Activity",
        verbose_name=_("activity"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    area = models.ForeignKey(
        "locations.AdminArea",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Months are kept as their first day.
    first_month = models.DateField(_("first month"))
    last_month = models.DateField(_("last month"))
    target = models.PositiveIntegerField(_("target"))
    girls = models.PositiveIntegerField(_("girls"), null=True, blank=True)
    boys = models.PositiveIntegerField(_("boys"), null=True, blank=True)
    women = models.PositiveIntegerField(_("women"), null=True, blank=True)
    men = models.PositiveIntegerField(_("men"), null=True, blank=True)

    class Meta:
        ordering = ["project", "first_month", "pk"]
        verbose_name = _("planned activity")
        verbose_name_plural = _("planned activities")
        constraints = [
            models.CheckConstraint(condition=Q(target__gt=0), name="planned_target_positive"),
            models.CheckConstraint(
                condition=Q(last_month__gte=F("first_month")),
                name="planned_period_ends_after_it_starts",
            ),
            models.UniqueConstraint(
                fields=["project", "activity", "area", "first_month", "last_month"],
                name="planned_activity_once_per_area_and_period",
                violation_error_message=_(
                    "The project plans this activity in this area over these months already."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} / {self.area}: {self.target}"

    def groups_text(self) -> str:
        """The target's sex-and-age groups given, in words: "girls 120, boys 110"."""
        return pgettext("list separator", ", ").join(
            gettext("%(group)s %(count)s")
            % {
                "group": SEX_AND_AGE_LABELS[name],
                "count": number_format(getattr(self, name), force_grouping=True),
            }
            for name in SEX_AND_AGE
            if getattr(self, name) is not None
        )
