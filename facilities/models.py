"""Health facilities, their status over time, the partners supporting them, and attacks on
health care.

A facility is a place with a stable code (the HeRAMS or Ministry code, or one the portal
gives), in one admin area (found from its coordinates when it has them). Its status is kept as
HeRAMS keeps it, in three separate dimensions (functionality, building condition,
accessibility), each record dated, sourced and reviewed: a partner supporting the facility
records it, a coordinator validates or returns it; the current status is the newest validated
record no older than ``LATEST_MAX_AGE`` months. Attacks on health care are incidents in the
shape of WHO's Surveillance System for Attacks on health care (SSA): reported by partners,
verified by coordinators, shown to the public only verified and counted.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.bilingual import bilingual


class FacilityType(models.Model):
    """A kind of facility; the list is the coordinators' to edit."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120, blank=True)
    is_hospital = models.BooleanField(
        _("counts as a hospital"),
        default=False,
        help_text=_("Counted in the share of hospitals functioning."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    name = bilingual("name")

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("facility type")
        verbose_name_plural = _("facility types")

    def __str__(self) -> str:
        return str(self.name)


class Ownership(models.TextChoices):
    PUBLIC = "public", _("Public")
    PRIVATE = "private", _("Private")
    NGO = "ngo", _("NGO")
    UN = "un", _("UN")


class Facility(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)
    type = models.ForeignKey(
        FacilityType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="facilities"
    )
    ownership = models.CharField(_("ownership"), max_length=10, choices=Ownership.choices)
    area = models.ForeignKey(
        "locations.AdminArea",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="facilities",
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=6, null=True, blank=True
    )
    domains = models.ManyToManyField(
        "strategy.HealthDomain",
        verbose_name=_("services offered"),
        blank=True,
        related_name="facilities",
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    history = HistoricalRecords()

    name = bilingual("name")

    class Meta:
        ordering = ["code"]
        verbose_name = _("health facility")
        verbose_name_plural = _("health facilities")
        constraints = [
            models.CheckConstraint(
                condition=Q(longitude__isnull=True, latitude__isnull=True)
                | Q(
                    longitude__gte=-180,
                    longitude__lte=180,
                    latitude__gte=-90,
                    latitude__lte=90,
                ),
                name="facility_coordinates_both_and_in_range",
            ),
        ]
        indexes = [models.Index(fields=["area"], name="facility_area_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def has_location(self) -> bool:
        return self.longitude is not None and self.latitude is not None


class Functionality(models.TextChoices):
    FULLY = "fully", _("Fully functioning")
    PARTIALLY = "partially", _("Partially functioning")
    NOT = "not", _("Not functioning")


class BuildingCondition(models.TextChoices):
    NOT_DAMAGED = "intact", _("Not damaged")
    PARTIALLY = "partially", _("Partially damaged")
    FULLY = "fully", _("Fully damaged")


class Accessibility(models.TextChoices):
    FULLY = "fully", _("Fully accessible")
    PARTIALLY = "partially", _("Partially accessible")
    NOT = "not", _("Not accessible")


class Cause(models.TextChoices):
    """Why a facility is not fully functioning (HeRAMS' causes)."""

    STAFF = "staff", _("Lack of staff")
    SUPPLIES = "supplies", _("Lack of medical supplies")
    EQUIPMENT = "equipment", _("Lack of medical equipment")
    FINANCES = "finances", _("Lack of finances")
    UTILITIES = "utilities", _("Lack of utilities (power, fuel, water)")
    DAMAGE = "damage", _("Damage")
    INSECURITY = "insecurity", _("Insecurity")
    ACCESS = "access", _("No access")


class ReviewState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted for review")
    VALIDATED = "validated", _("Validated")
    RETURNED = "returned", _("Returned for correction")


class FacilityStatusQuerySet(models.QuerySet):
    def validated(self) -> "FacilityStatusQuerySet":
        return self.filter(state=ReviewState.VALIDATED)


class FacilityStatus(models.Model):
    """A facility's status on a day, from one source; the history is kept."""

    facility = models.ForeignKey(
        Facility, verbose_name=_("facility"), on_delete=models.CASCADE, related_name="statuses"
    )
    as_of = models.DateField(_("status on"))
    functionality = models.CharField(
        _("functionality"), max_length=10, choices=Functionality.choices
    )
    building = models.CharField(
        _("building condition"), max_length=10, choices=BuildingCondition.choices
    )
    accessibility = models.CharField(
        _("accessibility"), max_length=10, choices=Accessibility.choices
    )
    # Cause codes (``Cause``); empty when fully functioning. A list, read whole with the record.
    causes = models.JSONField(_("causes"), default=list, blank=True)
    beds = models.PositiveIntegerField(_("beds"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200)
    organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("reported by (organisation)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="facility_statuses",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    state = models.CharField(
        _("review"), max_length=10, choices=ReviewState.choices, default=ReviewState.SUBMITTED
    )
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
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = FacilityStatusQuerySet.as_manager()

    class Meta:
        ordering = ["-as_of", "-pk"]
        verbose_name = _("facility status")
        verbose_name_plural = _("facility statuses")
        indexes = [
            models.Index(F("facility"), F("as_of").desc(), name="facility_status_latest_idx"),
            models.Index(fields=["state", "as_of"], name="facility_status_state_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.facility.code} {self.as_of}: {self.get_functionality_display()}"


class SupportKind(models.TextChoices):
    RUNNING = "running", _("Runs the facility")
    STAFF = "staff", _("Staff")
    SUPPLIES = "supplies", _("Medicines and supplies")
    FINANCIAL = "financial", _("Running costs")
    REHABILITATION = "rehabilitation", _("Rehabilitation and equipment")
    TECHNICAL = "technical", _("Technical support and training")
    OTHER = "other", _("Other")


class FacilitySupport(models.Model):
    """A partner's support to a facility over a period (no end: still supporting)."""

    facility = models.ForeignKey(
        Facility, verbose_name=_("facility"), on_delete=models.CASCADE, related_name="supports"
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="facility_supports",
    )
    kind = models.CharField(_("kind of support"), max_length=20, choices=SupportKind.choices)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["facility", "start"]
        verbose_name = _("facility support")
        verbose_name_plural = _("facility supports")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="facility_support_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.facility.code} ({self.get_kind_display()})"


# --- attacks on health care -------------------------------------------------------------------


class AttackType(models.Model):
    """A type of attack from SSA's list (loaded by the migration); an incident has one or
    several."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    name = bilingual("name")

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("type of attack")
        verbose_name_plural = _("types of attack")

    def __str__(self) -> str:
        return str(self.name)


class Resource(models.TextChoices):
    FACILITY = "facility", _("Health facility")
    TRANSPORT = "transport", _("Health transport")
    PERSONNEL = "personnel", _("Health personnel")
    PATIENTS = "patients", _("Patients")
    SUPPLIES = "supplies", _("Supplies")
    WAREHOUSE = "warehouse", _("Warehouse")


class Certainty(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    PROBABLE = "probable", _("Probable")
    POSSIBLE = "possible", _("Possible")


class IncidentState(models.TextChoices):
    REPORTED = "reported", _("Reported, to be verified")
    VERIFIED = "verified", _("Verified")
    DISMISSED = "dismissed", _("Dismissed")


class IncidentQuerySet(models.QuerySet):
    def verified(self) -> "IncidentQuerySet":
        return self.filter(state=IncidentState.VERIFIED)


class Incident(models.Model):
    """An attack on health care. Its description and source are for coordinators only."""

    date = models.DateField(_("date"))
    area = models.ForeignKey(
        "locations.AdminArea",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    facility = models.ForeignKey(
        Facility,
        verbose_name=_("facility affected"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
    )
    attack_types = models.ManyToManyField(
        AttackType, verbose_name=_("types of attack"), related_name="incidents"
    )
    # Resource codes (``Resource``) affected.
    resources = models.JSONField(_("resources affected"), default=list, blank=True)
    health_workers_killed = models.PositiveIntegerField(_("health workers killed"), default=0)
    health_workers_injured = models.PositiveIntegerField(_("health workers injured"), default=0)
    patients_killed = models.PositiveIntegerField(_("patients killed"), default=0)
    patients_injured = models.PositiveIntegerField(_("patients injured"), default=0)
    description = models.TextField(_("what happened"), blank=True)
    source = models.CharField(_("source"), max_length=300)
    certainty = models.CharField(_("certainty"), max_length=10, choices=Certainty.choices)
    state = models.CharField(
        _("verification"),
        max_length=10,
        choices=IncidentState.choices,
        default=IncidentState.REPORTED,
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("reported by (organisation)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("attack on health care")
        verbose_name_plural = _("attacks on health care")
        indexes = [models.Index(fields=["state", "date"], name="incident_state_date_idx")]

    def __str__(self) -> str:
        return f"{self.date} {self.area}"
