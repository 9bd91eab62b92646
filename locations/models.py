"""Administrative areas (OCHA common operational datasets): admin0 → admin3, keyed by p-code."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.bilingual import bilingual


class AdminLevel(models.IntegerChoices):
    ADMIN0 = 0, _("Country")
    ADMIN1 = 1, _("Admin level 1")
    ADMIN2 = 2, _("Admin level 2")
    ADMIN3 = 3, _("Admin level 3")


class AdminAreaQuerySet(models.QuerySet):
    def at_level(self, level: int) -> "AdminAreaQuerySet":
        return self.filter(level=level)

    def within(self, area: "AdminArea") -> "AdminAreaQuerySet":
        """The area itself and every area inside it."""
        return self.filter(path__startswith=area.path)


class AdminArea(models.Model):
    """One area of the tree.

    ``path`` holds the p-codes from the root, so a subtree is one prefix.
    """

    pcode = models.CharField(_("p-code"), max_length=32, unique=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=AdminLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)
    path = models.CharField(max_length=255, editable=False, db_index=True)

    history = HistoricalRecords()
    objects = AdminAreaQuerySet.as_manager()

    name = bilingual("name")

    class Meta:
        verbose_name = _("admin area")
        verbose_name_plural = _("admin areas")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=0, level__lte=3), name="adminarea_level_0_to_3"
            ),
            models.CheckConstraint(
                condition=Q(level=0) | Q(parent__isnull=False),
                name="adminarea_parent_unless_country",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.pcode})"

    def save(self, *args, **kwargs):
        self.path = (self.parent.path if self.parent_id else "/") + f"{self.pcode}/"
        super().save(*args, **kwargs)

    def ancestors(self) -> "AdminAreaQuerySet":
        codes = [code for code in self.path.strip("/").split("/") if code != self.pcode]
        return AdminArea.objects.filter(pcode__in=codes).order_by("level")


class AreaBoundary(models.Model):
    """An area's boundary, kept apart from the area: the area is read with every report row
    and finding, its geometry only by the maps.

    ``geometry`` is the boundary as loaded (a GeoJSON polygon or multipolygon in longitude and
    latitude, checked by shapely: ``locations/boundaries.py``); ``outline`` the same simplified
    with the other areas of its level, for drawing, neighbours keeping their shared edges.
    """

    area = models.OneToOneField(
        AdminArea, on_delete=models.CASCADE, related_name="boundary", verbose_name=_("area")
    )
    geometry = models.JSONField(_("boundary"))
    outline = models.JSONField(_("outline for drawing"), null=True, blank=True)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        verbose_name = _("area boundary")
        verbose_name_plural = _("area boundaries")

    def __str__(self) -> str:
        return str(self.area)


class AreaPopulation(models.Model):
    """An area's population in a year, as an OCHA COD-PS table gives it
    (``locations/population.py``); loading the same area and year again replaces it."""

    area = models.ForeignKey(
        AdminArea, on_delete=models.CASCADE, related_name="populations", verbose_name=_("area")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    total = models.PositiveIntegerField(_("total population"))
    female = models.PositiveIntegerField(_("female"), null=True, blank=True)
    male = models.PositiveIntegerField(_("male"), null=True, blank=True)
    children = models.PositiveIntegerField(_("children under 18"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("area population")
        verbose_name_plural = _("area populations")
        ordering = ["area", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="one_population_per_area_year"),
            models.CheckConstraint(
                condition=Q(year__gte=1950, year__lte=2100), name="areapopulation_year_1950_to_2100"
            ),
            models.CheckConstraint(
                condition=Q(children__isnull=True) | Q(children__lte=F("total")),
                name="areapopulation_children_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.year}: {self.total}"
