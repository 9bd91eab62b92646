"""The cluster's strategy and reference lists shared by indicators, assessments and activities."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.bilingual import bilingual


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
    description_en = models.TextField(_("description (English)"), blank=True)
    description_ar = models.TextField(_("description (Arabic)"), blank=True)
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
