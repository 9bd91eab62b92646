"""Monthly activity reports (4W): who does what, where, when, for how many people.

A partner organisation reports once per reporting period; each row is an activity of the
catalogue in an admin area, delivered by an implementing organisation, with the people or
services reached. Coordinators validate reports; only validated rows count in the figures.
"""

from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.bilingual import bilingual


class ReportingPeriod(models.Model):
    """A month to report on: open from ``opens_at`` and locked after ``deadline``."""

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    opens_at = models.DateTimeField(_("opens at"))
    deadline = models.DateTimeField(_("deadline"))
    # Coordinators turn it on once partners have entered their projects: every row of the
    # period's reports must then name one before the report is submitted.
    projects_required = models.BooleanField(
        _("rows must name their project"),
        default=False,
        help_text=_(
            "Each row of a report for this month must name the project it belongs to before "
            "the report can be submitted. Drafts may be saved without."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["-year", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="one_period_per_month"),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="period_month_1_to_12"
            ),
            models.CheckConstraint(
                condition=Q(deadline__gt=F("opens_at")), name="period_deadline_after_opening"
            ),
        ]

    def __str__(self) -> str:
        from django.utils.formats import date_format

        return date_format(self.first_day, "YEAR_MONTH_FORMAT")

    @property
    def first_day(self):
        import datetime

        return datetime.date(self.year, self.month, 1)

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now <= self.deadline

    def is_locked(self, now=None) -> bool:
        return (now or timezone.now()) > self.deadline


class PeriodReopening(models.Model):
    """A coordinator lets one organisation submit late for a locked period, until a date."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="reopenings")
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, related_name="period_reopenings"
    )
    until = models.DateTimeField(_("open until"))
    reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("period reopening")
        verbose_name_plural = _("period reopenings")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "organisation"], name="one_reopening_per_period_and_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} / {self.period}"


class ActivityUnit(models.TextChoices):
    PEOPLE = "people", _("people")
    CONSULTATIONS = "consultations", _("consultations")
    FACILITIES = "facilities", _("facilities supported")
    KITS = "kits", _("kits")
    SESSIONS = "sessions", _("sessions")
    OTHER = "other", _("other")


class Collects(models.TextChoices):
    """What a report row of an activity holds, besides older people and disabilities."""

    GROUPS = "groups", _("People by sex and age")
    COUNT = "count", _("A single count")
    # The groups and a total entered apart: people not broken down count in the total only.
    BOTH = "both", _("People by sex and age, and a total")


SEX_AND_AGE = ("girls", "boys", "women", "men")
SEX_AND_AGE_LABELS = {
    "girls": _("girls"),
    "boys": _("boys"),
    "women": _("women"),
    "men": _("men"),
}


def names_text(names: Iterable[str]) -> str:
    """Names joined as a sentence says them: "girls", "girls and boys", "girls, boys and men"."""
    names = [str(name) for name in names]
    if len(names) < 2:
        return "".join(names)
    return gettext("%(first)s and %(last)s") % {
        "first": pgettext("list separator", ", ").join(names[:-1]),
        "last": names[-1],
    }


def groups_text(groups: Iterable[str]) -> str:
    """Sex-and-age groups in words, in the order of the report's columns: "girls and boys"."""
    chosen = set(groups)
    return names_text(SEX_AND_AGE_LABELS[name] for name in SEX_AND_AGE if name in chosen)


def figures_text(collects: str, groups: Iterable[str]) -> str:
    """What an activity collects, in words: "girls and boys", "women, and a total"."""
    if collects == Collects.COUNT:
        return gettext("a single count")
    if collects == Collects.BOTH:
        return gettext("%(groups)s, and a total") % {"groups": groups_text(groups)}
    return groups_text(groups)


class Activity(models.Model):
    """An activity of the catalogue: it measures one indicator and serves health domains.

    It declares the figures a report row of it holds (``collects``): people by sex and age
    for the groups that apply, which add up to the total; a single count; or both, the
    groups and a total that also counts the people not broken down.
    """

    code = models.CharField(_("code"), max_length=30, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_ar = models.TextField(_("description (Arabic)"), blank=True)
    indicator = models.ForeignKey(
        "strategy.Indicator",
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    domains = models.ManyToManyField(
        "strategy.HealthDomain", verbose_name=_("health domains"), related_name="activities"
    )
    # An activity may feed other indicators than its own: the people it reaches may count in
    # the cycle's headline, and its total may be the numerator or denominator of a rate.
    also_counts_towards = models.ManyToManyField(
        "strategy.Indicator",
        verbose_name=_("also counts towards"),
        related_name="also_counted_activities",
        blank=True,
        help_text=_("Other indicators this activity's figures add to, such as the headline."),
    )
    numerator_of = models.ManyToManyField(
        "strategy.Indicator",
        verbose_name=_("numerator of"),
        related_name="numerator_activities",
        blank=True,
        help_text=_("Rates whose numerator is this activity's total (e.g. cholera deaths)."),
    )
    denominator_of = models.ManyToManyField(
        "strategy.Indicator",
        verbose_name=_("denominator of"),
        related_name="denominator_activities",
        blank=True,
        help_text=_("Rates whose denominator is this activity's total (e.g. cholera cases)."),
    )
    unit = models.CharField(_("unit"), max_length=20, choices=ActivityUnit.choices)
    collects = models.CharField(
        _("figures collected"),
        max_length=6,
        choices=Collects.choices,
        default=Collects.GROUPS,
        help_text=_(
            "People by sex and age add up to the total. With both, the total is entered "
            "apart and also counts the people not broken down by sex and age."
        ),
    )
    counts_girls = models.BooleanField(_("counts girls"), default=True)
    counts_boys = models.BooleanField(_("counts boys"), default=True)
    counts_women = models.BooleanField(_("counts women"), default=True)
    counts_men = models.BooleanField(_("counts men"), default=True)
    counts_older_people = models.BooleanField(_("also counts older people"), default=False)
    counts_disability = models.BooleanField(
        _("also counts people with disabilities"), default=False
    )
    is_active = models.BooleanField(_("in the catalogue"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords(
        m2m_fields=[domains, also_counts_towards, numerator_of, denominator_of]
    )

    name = bilingual("name")
    description = bilingual("description")

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["order", "code"]
        constraints = [
            # A single count has no groups; people by sex and age have at least one.
            models.CheckConstraint(
                condition=Q(
                    collects=Collects.COUNT,
                    counts_girls=False,
                    counts_boys=False,
                    counts_women=False,
                    counts_men=False,
                )
                | (
                    Q(collects__in=[Collects.GROUPS, Collects.BOTH])
                    & (
                        Q(counts_girls=True)
                        | Q(counts_boys=True)
                        | Q(counts_women=True)
                        | Q(counts_men=True)
                    )
                ),
                name="activity_groups_fit_what_it_collects",
                violation_error_message=_(
                    "Choose the groups an activity counts by sex and age, and none for a "
                    "single count."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def groups(self) -> tuple[str, ...]:
        """The sex-and-age groups it counts, in the order of the report's columns."""
        return tuple(name for name in SEX_AND_AGE if getattr(self, f"counts_{name}"))

    @property
    def total_is_entered(self) -> bool:
        """Is the total typed in? Otherwise it is the sum of the groups."""
        return self.collects != Collects.GROUPS

    @property
    def figures(self) -> tuple[str, ...]:
        """The figures a report row of it holds, in the order of the report's columns."""
        return (
            *self.groups,
            *(("older_people",) if self.counts_older_people else ()),
            *(("people_with_disabilities",) if self.counts_disability else ()),
            "total",
        )

    def figures_text(self) -> str:
        """What it collects, in words: "girls and boys", "a single count", "women, and a total"."""
        return figures_text(self.collects, self.groups)


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    VALIDATED = "validated", _("Validated")
    CORRECTION_REQUESTED = "correction", _("Correction requested")


class Report(models.Model):
    """One organisation's report for one period."""

    organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("reporting organisation"),
        on_delete=models.PROTECT,
        related_name="activity_reports",
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="reports"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    review_comment = models.TextField(_("coordinator's comment"), blank=True)
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    entered_by_coordinator = models.BooleanField(
        _("entered by a coordinator on the partner's behalf"), default=False
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("activity report")
        verbose_name_plural = _("activity reports")
        ordering = ["-period__year", "-period__month", "organisation__name_en"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "period"], name="one_report_per_org_and_period"
            )
        ]
        indexes = [models.Index(fields=["period", "status"])]

    def __str__(self) -> str:
        return f"{self.organisation} / {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("activities:report", kwargs={"pk": self.pk})


class ValidatedVersion(models.Model):
    """The rows of a report as a coordinator validated them, kept when it is corrected."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField(_("version"))
    rows = models.JSONField(_("rows"))
    validated_at = models.DateTimeField()
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["report", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["report", "version"], name="one_snapshot_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.version}"


class RowStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")


POSITIVE = ("girls", "boys", "women", "men", "older_people", "people_with_disabilities", "total")

# The most rows a report holds: what its edit page can show and save in one form, and so
# the most an Excel import accepts (bench/README.md, "report_pages.py", has the figures).
REPORT_MAX_ROWS = 500


class ReportRow(models.Model):
    """One line of a report: an activity in an area, by an implementing organisation.

    ``total`` is the people or services reached. It holds the figures its activity collects
    (``Activity.figures``) and leaves the others empty: for people by sex and age the total
    equals the sum of the groups; for both, it is at least that sum, the rest being people
    not broken down. Older people and people with disabilities are counted among the total,
    not added to it. A row keeps its figures when the catalogue later changes. A row may name
    the health facility where the activity took place; its area is then that facility's. It
    may name the project it belongs to, and must when its period requires it.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="rows")
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.PROTECT, related_name="rows"
    )
    area = models.ForeignKey(
        "locations.AdminArea", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    implementing_organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("implementing partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="implemented_rows",
    )
    implementing_other = models.CharField(
        _("implementing organisation not in the directory"), max_length=200, blank=True
    )
    donor = models.CharField(_("donor"), max_length=200, blank=True)
    # Where the activity took place, when in a facility of the registry: the row's area is
    # then the facility's district (``services.reports.row_place``), so its figures count there.
    facility = models.ForeignKey(
        "facilities.Facility",
        verbose_name=_("health facility"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_rows",
    )
    # The project of the reporting organisation the activity belongs to: one accepted into the
    # plan that covers the row's area and month (``services.reports.row_project_problem``).
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rows",
    )
    status = models.CharField(_("status"), max_length=10, choices=RowStatus.choices)
    girls = models.PositiveIntegerField(_("girls"), null=True, blank=True)
    boys = models.PositiveIntegerField(_("boys"), null=True, blank=True)
    women = models.PositiveIntegerField(_("women"), null=True, blank=True)
    men = models.PositiveIntegerField(_("men"), null=True, blank=True)
    older_people = models.PositiveIntegerField(_("older people"), null=True, blank=True)
    people_with_disabilities = models.PositiveIntegerField(
        _("people with disabilities"), null=True, blank=True
    )
    total = models.PositiveIntegerField(_("total reached"))
    review_comment = models.TextField(_("coordinator's comment on this row"), blank=True)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report row")
        verbose_name_plural = _("report rows")
        ordering = ["report", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(implementing_organisation__isnull=False) | ~Q(implementing_other=""),
                name="row_has_an_implementer",
            ),
        ]
        indexes = [models.Index(fields=["activity", "area"])]

    def __str__(self) -> str:
        return f"{self.activity.code} / {self.area.pcode}"

    @property
    def implementer_name(self) -> str:
        if self.implementing_organisation_id:
            return str(self.implementing_organisation.name)
        return self.implementing_other


class UnfinishedRow(models.Model):
    """A row of a draft kept as it was typed, while it is incomplete or not right.

    A draft saves whatever is typed: the rows that pass the checks become report rows, the
    others are kept here with their text as entered and marked on the rows page, and the
    report cannot be submitted until each is finished or deleted. ``row`` is the saved row
    whose change is unfinished (that row keeps its last complete values meanwhile); a new row
    has none and is shown after the saved rows.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="unfinished_rows")
    row = models.OneToOneField(
        ReportRow, on_delete=models.CASCADE, null=True, blank=True, related_name="unfinished"
    )
    values = models.JSONField(_("values as typed"))
    saved_at = models.DateTimeField(auto_now=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("unfinished row")
        verbose_name_plural = _("unfinished rows")
        ordering = ["report", "pk"]

    def __str__(self) -> str:
        return f"{self.report}: {self.values.get('activity', '')}"


class PendingImport(models.Model):
    """A validated Excel upload waiting for the user to confirm what it will change."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="pending_imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    file_name = models.CharField(max_length=255)
    rows = models.JSONField(_("rows read from the file"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} → {self.report}"


class ReminderKind(models.TextChoices):
    BEFORE_DEADLINE = "before", _("Before the deadline")
    ON_DEADLINE = "deadline", _("On the deadline")
    MANUAL = "manual", _("Sent by a coordinator")


class ReminderSent(models.Model):
    """One reminder to one organisation for one period, so it is never sent twice."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="reminders")
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            # Manual reminders may repeat; the scheduled ones go once each.
            models.UniqueConstraint(
                fields=["period", "organisation", "kind"],
                condition=~Q(kind="manual"),
                name="one_scheduled_reminder_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.organisation} / {self.period}"
