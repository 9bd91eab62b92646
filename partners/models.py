"""Partner organisations of the cluster and their members."""

import re
import unicodedata
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.bilingual import bilingual


def name_key(name: str) -> str:
    """Compare names ignoring case, spaces and punctuation.

    "Save-the Children" and "save the children" give the same key.
    """
    folded = unicodedata.normalize("NFKC", name).casefold()
    return re.sub(r"[\W_]+", "", folded)


class OrganisationType(models.TextChoices):
    UN_AGENCY = "un", _("UN agency")
    INTERNATIONAL_NGO = "ingo", _("International NGO")
    NATIONAL_NGO = "nngo", _("National NGO")
    GOVERNMENT = "gov", _("Government")
    RED_CROSS = "rcrc", _("Red Cross / Red Crescent")
    ACADEMIC = "academic", _("Academic and research")
    DONOR = "donor", _("Donor")
    NETWORK = "network", _("Network")
    OTHER = "other", _("Other")


class OrganisationStatus(models.TextChoices):
    PENDING = "pending", _("Pending approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SUSPENDED = "suspended", _("Suspended")


class OrganisationQuerySet(models.QuerySet):
    def approved(self) -> "OrganisationQuerySet":
        return self.filter(status=OrganisationStatus.APPROVED)

    def pending(self) -> "OrganisationQuerySet":
        return self.filter(status=OrganisationStatus.PENDING)


def logo_path(instance: "Organisation", filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "img"
    return f"partners/logos/{instance.name_key[:40]}.{extension}"


class Organisation(models.Model):
    # The organisation's identifier outside the portal (the API, open data): made once, never
    # changed, and never given to another organisation, even after this one is deleted (a
    # random UUID is not reused). The database id is not promised to anyone.
    public_id = models.UUIDField(
        _("public identifier"), default=uuid.uuid4, unique=True, editable=False
    )
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)
    name_key = models.CharField(max_length=200, unique=True, editable=False)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    type = models.CharField(_("type"), max_length=10, choices=OrganisationType.choices)
    website = models.URLField(_("website"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150)
    contact_email = models.EmailField(_("contact email"))
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    logo = models.ImageField(_("logo"), upload_to=logo_path, blank=True)
    areas = models.ManyToManyField(
        "locations.AdminArea", verbose_name=_("areas where it works"), related_name="organisations"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OrganisationStatus.choices,
        default=OrganisationStatus.PENDING,
    )
    status_reason = models.TextField(_("reason"), blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registered_organisations",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[areas])
    objects = OrganisationQuerySet.as_manager()

    name = bilingual("name")

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name_en"]
        indexes = [models.Index(fields=["status", "type"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else str(self.name)

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.name_en)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("partners:detail", args=[self.pk])

    @property
    def is_approved(self) -> bool:
        return self.status == OrganisationStatus.APPROVED

    @property
    def is_suspended(self) -> bool:
        return self.status == OrganisationStatus.SUSPENDED


class MemberRole(models.TextChoices):
    STAFF = "staff", _("Partner staff")
    FOCAL_POINT = "focal", _("Focal point")


class MembershipStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACTIVE = "active", _("Active")
    DECLINED = "declined", _("Declined")
    LEFT = "left", _("Left")
    REMOVED = "removed", _("Removed")


# A user holds at most one membership that is requested or active.
CURRENT_MEMBERSHIP = Q(status__in=[MembershipStatus.REQUESTED, MembershipStatus.ACTIVE])


class MembershipQuerySet(models.QuerySet):
    def active(self) -> "MembershipQuerySet":
        return self.filter(status=MembershipStatus.ACTIVE)

    def requested(self) -> "MembershipQuerySet":
        return self.filter(status=MembershipStatus.REQUESTED)


class Membership(models.Model):
    """A user's place in an organisation. Ended memberships stay, so past work keeps its author."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(
        _("role"), max_length=10, choices=MemberRole.choices, default=MemberRole.STAFF
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MembershipStatus.choices,
        default=MembershipStatus.REQUESTED,
    )
    message = models.TextField(_("message to the focal point"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=CURRENT_MEMBERSHIP,
                name="one_current_membership_per_user",
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status=MembershipStatus.ACTIVE, role=MemberRole.FOCAL_POINT),
                name="one_focal_point_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.organisation} ({self.get_role_display()})"

    @property
    def is_focal_point(self) -> bool:
        return self.status == MembershipStatus.ACTIVE and self.role == MemberRole.FOCAL_POINT
