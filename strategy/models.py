"""The cluster's strategy and reference lists shared by indicators, assessments and activities."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.bilingual import bilingual
from core.markdown import MarkdownTextField
from strategy.theme import DEFAULT_ACCENT, check_accent


class HealthDomainQuerySet(models.QuerySet):
    def active(self) -> "HealthDomainQuerySet":
        return self.filter(is_active=True)


class HealthDomain(models.Model):
    """A field of health the cluster works on (communicable diseases, nutrition, …).

    Shared by indicators, assessment findings and activities. A domain in use is
    retired (``is_active=False``) rather than deleted, so past records keep it.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120, blank=True)
    description_en = MarkdownTextField(_("description (English)"), blank=True)
    description_ar = MarkdownTextField(_("description (Arabic)"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    history = HistoricalRecords()
    objects = HealthDomainQuerySet.as_manager()

    name = bilingual("name")
    description = bilingual("description")

    class Meta:
        verbose_name = _("health domain")
        verbose_name_plural = _("health domains")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return str(self.name)


class ClusterProfile(models.Model):
    """Who the cluster is: its name, purpose, co-chairs and contacts. There is one row.

    Read it through ``cluster_profile()``, which creates the row the first time.
    """

    cluster_name_en = models.CharField(
        _("cluster name (English)"), max_length=150, default="Health Cluster"
    )
    cluster_name_ar = models.CharField(
        _("cluster name (Arabic)"), max_length=150, blank=True, default="الكتلة الصحية"
    )
    logo = models.ImageField(
        _("logo"),
        upload_to="cluster/",
        blank=True,
        help_text=_("PNG, JPEG or WebP, at most 1 MB. Shown beside the cluster's name."),
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        default=DEFAULT_ACCENT,
        validators=[check_accent],
        help_text=_(
            "The colour of the home page's band, the key figures and the bulletin's titles. "
            "It must be dark enough for white text on it."
        ),
    )
    country_name_en = models.CharField(_("country (English)"), max_length=120, blank=True)
    country_name_ar = models.CharField(_("country (Arabic)"), max_length=120, blank=True)
    purpose_en = MarkdownTextField(
        _("purpose (English)"), blank=True, help_text=_("Markdown: paragraphs, lists, links.")
    )
    purpose_ar = MarkdownTextField(
        _("purpose (Arabic)"), blank=True, help_text=_("Markdown: paragraphs, lists, links.")
    )
    lead_agency = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("lead agency"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    lead_coordinator_name = models.CharField(_("cluster coordinator"), max_length=150, blank=True)
    lead_coordinator_title_en = models.CharField(
        _("cluster coordinator's title (English)"), max_length=150, blank=True
    )
    lead_coordinator_title_ar = models.CharField(
        _("cluster coordinator's title (Arabic)"), max_length=150, blank=True
    )
    lead_coordinator_email = models.EmailField(_("cluster coordinator's email"), blank=True)
    lead_coordinator_phone = models.CharField(
        _("cluster coordinator's phone"), max_length=40, blank=True
    )
    co_chair = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("Ministry of Health co-chair"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    co_chair_coordinator_name = models.CharField(
        _("co-chair coordinator"), max_length=150, blank=True
    )
    co_chair_coordinator_title_en = models.CharField(
        _("co-chair coordinator's title (English)"), max_length=150, blank=True
    )
    co_chair_coordinator_title_ar = models.CharField(
        _("co-chair coordinator's title (Arabic)"), max_length=150, blank=True
    )
    co_chair_coordinator_email = models.EmailField(_("co-chair coordinator's email"), blank=True)
    co_chair_coordinator_phone = models.CharField(
        _("co-chair coordinator's phone"), max_length=40, blank=True
    )
    im_officer_name = models.CharField(
        _("information management officer"), max_length=150, blank=True
    )
    im_officer_email = models.EmailField(_("information management officer's email"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    cluster_name = bilingual("cluster_name")
    country_name = bilingual("country_name")
    purpose = bilingual("purpose")
    lead_coordinator_title = bilingual("lead_coordinator_title")
    co_chair_coordinator_title = bilingual("co_chair_coordinator_title")

    class Meta:
        verbose_name = _("cluster profile")
        verbose_name_plural = _("cluster profile")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="one_cluster_profile"),
        ]

    def __str__(self) -> str:
        return str(self.cluster_name)

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)


def cluster_profile() -> ClusterProfile:
    """The cluster's one profile, created with its defaults the first time it is asked for."""
    profile, _created = ClusterProfile.objects.get_or_create(pk=1)
    return profile


class StrategyCycle(models.Model):
    """A strategy period (e.g. 2026-2027). One is current; earlier ones stay readable."""

    title_en = models.CharField(_("title (English)"), max_length=200)
    title_ar = models.CharField(_("title (Arabic)"), max_length=200, blank=True)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    summary_en = MarkdownTextField(
        _("summary (English)"), blank=True, help_text=_("Markdown: paragraphs, lists, links.")
    )
    summary_ar = MarkdownTextField(
        _("summary (Arabic)"), blank=True, help_text=_("Markdown: paragraphs, lists, links.")
    )
    people_targeted = models.PositiveIntegerField(
        _("people targeted"),
        null=True,
        blank=True,
        help_text=_(
            "The people the cluster plans to reach with health services in each year of the "
            "cycle (the response plan's figure). The home page shows people reached this "
            "year against it."
        ),
    )
    headline = models.ForeignKey(
        "Indicator",
        verbose_name=_("headline indicator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "The cycle's people reached, measured as people reached once. The home page, the "
            "dashboard and the bulletins show it against the people targeted."
        ),
    )
    is_current = models.BooleanField(
        _("current strategy"),
        default=False,
        help_text=_("The strategy the public strategy page shows. Only one cycle is current."),
    )

    history = HistoricalRecords()

    title = bilingual("title")
    summary = bilingual("summary")

    class Meta:
        verbose_name = _("strategy cycle")
        verbose_name_plural = _("strategy cycles")
        ordering = ["-start_year", "-end_year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")),
                name="cycle_ends_after_it_starts",
                violation_error_message=_("The last year cannot be before the first year."),
            ),
            models.UniqueConstraint(
                fields=["start_year", "end_year"],
                name="one_cycle_per_period",
                violation_error_message=_("A strategy cycle for these years already exists."),
            ),
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="one_current_cycle",
                violation_error_message=_("Another strategy cycle is already the current one."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.period})"

    def get_absolute_url(self) -> str:
        if self.is_current:
            return reverse("strategy:current")
        return reverse(
            "strategy:cycle", kwargs={"start_year": self.start_year, "end_year": self.end_year}
        )

    @property
    def period(self) -> str:
        if self.start_year == self.end_year:
            return str(self.start_year)
        return f"{self.start_year}\N{EN DASH}{self.end_year}"

    def clean(self) -> None:
        super().clean()
        if (
            self.start_year is not None
            and self.end_year is not None
            and self.end_year < self.start_year
        ):
            raise ValidationError(
                {"end_year": _("The last year cannot be before the first year.")},
                code="end_before_start",
            )
        headline = self.headline
        if headline is not None and (
            headline.cycle_id != self.pk or headline.kind != IndicatorKind.PEOPLE_ONCE
        ):
            raise ValidationError(
                {
                    "headline": _(
                        "Choose an indicator of this cycle measured as people reached once."
                    )
                }
            )


class CycleItem(models.Model):
    """What priorities and approaches share: a cycle, a place in its list, a bilingual text."""

    cycle = models.ForeignKey(
        StrategyCycle, verbose_name=_("strategy cycle"), on_delete=models.CASCADE
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_en = models.CharField(_("title (English)"), max_length=250)
    title_ar = models.CharField(_("title (Arabic)"), max_length=250, blank=True)
    description_en = MarkdownTextField(
        _("description (English)"), blank=True, help_text=_("Markdown: paragraphs, lists, links.")
    )
    description_ar = MarkdownTextField(
        _("description (Arabic)"), blank=True, help_text=_("Markdown: paragraphs, lists, links.")
    )

    title = bilingual("title")
    description = bilingual("description")

    class Meta:
        abstract = True
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return str(self.title)


class StrategicPriority(CycleItem):
    history = HistoricalRecords()

    class Meta(CycleItem.Meta):
        verbose_name = _("strategic priority")
        verbose_name_plural = _("strategic priorities")
        default_related_name = "priorities"


class StrategicApproach(CycleItem):
    history = HistoricalRecords()

    class Meta(CycleItem.Meta):
        verbose_name = _("key strategic approach")
        verbose_name_plural = _("key strategic approaches")
        default_related_name = "approaches"


class StrategicObjective(CycleItem):
    code = models.CharField(_("code"), max_length=12, help_text=_("A short code such as SO1."))
    priority = models.ForeignKey(
        StrategicPriority,
        verbose_name=_("strategic priority"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="objectives",
    )

    history = HistoricalRecords()

    class Meta(CycleItem.Meta):
        verbose_name = _("strategic objective")
        verbose_name_plural = _("strategic objectives")
        default_related_name = "objectives"
        ordering = ["order", "code", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "code"],
                name="objective_code_per_cycle",
                violation_error_message=_(
                    "Another objective of this strategy cycle has this code."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.priority_id and self.cycle_id and self.priority.cycle_id != self.cycle_id:
            errors["priority"] = _("Choose a priority of the same strategy cycle.")
        if self.cycle_id and self.code:
            clash = StrategicObjective.objects.filter(
                cycle_id=self.cycle_id, code__iexact=self.code
            ).exclude(pk=self.pk)
            if clash.exists():
                errors["code"] = _("Another objective of this strategy cycle has this code.")
        if errors:
            raise ValidationError(errors)


class IndicatorUnit(models.TextChoices):
    PEOPLE = "people", _("people")
    CONSULTATIONS = "consultations", _("consultations")
    FACILITIES = "facilities", _("health facilities")
    PERCENT = "percent", _("percent")
    OTHER = "other", _("other")


class IndicatorDirection(models.TextChoices):
    INCREASE = "increase", _("increase")
    DECREASE = "decrease", _("decrease")
    MAINTAIN = "maintain", _("maintain")


class IndicatorKind(models.TextChoices):
    """How an indicator is measured from the monthly activity figures."""

    COUNT = "count", _("count")
    PEOPLE_ONCE = "people_once", _("people reached once")
    RATE = "rate", _("rate or proportion")
    LATEST = "latest", _("latest value")


KIND_RULES = {
    IndicatorKind.COUNT: _("The sum over the months and areas chosen."),
    IndicatorKind.PEOPLE_ONCE: _(
        "In each area, the largest figure of any one activity in any one month; summed over "
        "areas, so that nobody is counted twice."
    ),
    IndicatorKind.RATE: _(
        "The total of the numerator activity divided by the total of the denominator "
        "activity, as a percentage, over the areas and months that reported a denominator."
    ),
    IndicatorKind.LATEST: _(
        "In each area, the newest month's figure, if it is at most %(months)s months old; "
        "summed over areas."
    ),
}


def latest_max_age() -> int:
    """How many months old a latest value may be and still count (``LATEST_MAX_AGE``)."""
    return getattr(settings, "LATEST_MAX_AGE", 3)


def kind_rule(kind: str) -> str:
    """The rule of a kind of indicator, as a sentence shown beside its figures."""
    rule = KIND_RULES[IndicatorKind(kind)]
    if kind == IndicatorKind.LATEST:
        return rule % {"months": latest_max_age()}
    return str(rule)


class Indicator(models.Model):
    """A measure of an objective, with its baseline and the target for the cycle."""

    objective = models.ForeignKey(
        StrategicObjective,
        verbose_name=_("strategic objective"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    # Copied from the objective on save, so that the database keeps codes unique per cycle.
    cycle = models.ForeignKey(
        StrategyCycle, on_delete=models.CASCADE, related_name="indicators", editable=False
    )
    code = models.CharField(_("code"), max_length=16, help_text=_("A short code such as 1.1."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_en = models.CharField(_("name (English)"), max_length=300)
    name_ar = models.CharField(_("name (Arabic)"), max_length=300, blank=True)
    unit = models.CharField(
        _("unit"), max_length=16, choices=IndicatorUnit.choices, default=IndicatorUnit.PEOPLE
    )
    unit_label_en = models.CharField(
        _("unit label (English)"),
        max_length=80,
        blank=True,
        help_text=_("Required when the unit is “other”, e.g. “vaccine doses”."),
    )
    unit_label_ar = models.CharField(_("unit label (Arabic)"), max_length=80, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, default=0)
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, help_text=_("The target for the cycle.")
    )
    direction = models.CharField(
        _("direction"),
        max_length=10,
        choices=IndicatorDirection.choices,
        default=IndicatorDirection.INCREASE,
    )
    kind = models.CharField(
        _("how it is measured"),
        max_length=16,
        choices=IndicatorKind.choices,
        default=IndicatorKind.COUNT,
        help_text=_(
            "Count: services delivered, summed over months. People reached once: people "
            "reached by a recurring service, nobody counted twice. Rate or proportion: one "
            "activity's total divided by another's (choose them in the activity catalogue). "
            "Latest value: a stock such as functional health facilities, as of the newest month."
        ),
    )
    domains = models.ManyToManyField(
        HealthDomain, verbose_name=_("health domains"), related_name="indicators", blank=True
    )

    history = HistoricalRecords(m2m_fields=[domains])

    name = bilingual("name")
    unit_label = bilingual("unit_label")

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["order", "code", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "code"],
                name="indicator_code_per_cycle",
                violation_error_message=_(
                    "Another indicator of this strategy cycle has this code."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(baseline__gte=0, target__gte=0),
                name="indicator_figures_not_negative",
                violation_error_message=_("The baseline and the target cannot be negative."),
            ),
            models.CheckConstraint(
                condition=models.Q(direction="increase", target__gt=models.F("baseline"))
                | models.Q(direction="decrease", target__lt=models.F("baseline"))
                | models.Q(direction="maintain", target__gte=models.F("baseline")),
                name="indicator_target_follows_direction",
                violation_error_message=_("The target goes against the indicator's direction."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs):
        self.cycle_id = self.objective.cycle_id
        super().save(*args, **kwargs)

    @property
    def rule(self) -> str:
        return kind_rule(self.kind)

    @property
    def unit_name(self) -> str:
        """The unit as shown: the free label for "other", the named unit otherwise."""
        if self.unit == IndicatorUnit.OTHER and self.unit_label_en:
            return self.unit_label
        return self.get_unit_display()

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.unit == IndicatorUnit.OTHER and not self.unit_label_en.strip():
            errors["unit_label_en"] = _("Name the unit in English when the unit is “other”.")
        if self.kind == IndicatorKind.RATE and self.unit != IndicatorUnit.PERCENT:
            errors["unit"] = _("A rate or proportion is measured in percent.")
        elif self.unit == IndicatorUnit.PERCENT and self.kind != IndicatorKind.RATE:
            errors["kind"] = _(
                "A percentage is a rate or proportion: choose that kind, then its numerator "
                "and denominator activities in the catalogue."
            )
        baseline, target = self.baseline, self.target
        if baseline is not None and baseline < 0:
            errors["baseline"] = _("The baseline cannot be negative.")
        if target is not None and target < 0:
            errors["target"] = _("The target cannot be negative.")
        if self.unit == IndicatorUnit.PERCENT:
            if baseline is not None and baseline > 100:
                errors.setdefault("baseline", _("A percentage baseline cannot be above 100."))
            if target is not None and target > 100:
                errors.setdefault("target", _("A percentage target cannot be above 100."))
        if baseline is not None and target is not None and "target" not in errors:
            message = _target_contradiction(self.direction, baseline, target)
            if message:
                errors["target"] = message
        if self.objective_id and self.code:
            clash = Indicator.objects.filter(
                cycle_id=self.objective.cycle_id, code__iexact=self.code
            ).exclude(pk=self.pk)
            if clash.exists():
                errors["code"] = _("Another indicator of this strategy cycle has this code.")
        if errors:
            raise ValidationError(errors)


def _target_contradiction(direction: str, baseline, target) -> str:
    """The message for a target that goes against the indicator's direction, or ""."""
    if direction == IndicatorDirection.INCREASE and target <= baseline:
        return _(
            "The target must be above the baseline when the indicator should increase. "
            "Raise the target or change the direction."
        )
    if direction == IndicatorDirection.DECREASE and target >= baseline:
        return _(
            "The target must be below the baseline when the indicator should decrease. "
            "Lower the target or change the direction."
        )
    if direction == IndicatorDirection.MAINTAIN and target < baseline:
        return _("The target cannot be below the baseline when the indicator should be maintained.")
    return ""
