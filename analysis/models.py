"""The figures of validated activity reports, flattened for aggregation.

One ``Reach`` row per validated report, activity, area and implementing organisation, its
figures summed over the report's rows (a report may give several rows for the same activity
and place: by donor, by facility), with the month as a date, the activity's indicator and
whether it counts people, and the admin1 and admin2 areas resolved once, at validation. Every
dashboard query is then a scan of one narrow table grouped in PostgreSQL, instead of joins
over the reports, their periods, the catalogue and the area tree; at a million report rows
the table holds about a quarter as many. The table is derived data: ``analysis.services``
rebuilds it from the reports at any time, and refreshes one report's rows whenever its
figures start or stop counting.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

FIGURES = ("girls", "boys", "women", "men", "older_people", "people_with_disabilities", "total")


class Reach(models.Model):
    report = models.ForeignKey(
        "activities.Report", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    month = models.DateField(_("month"))
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    implementing_organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
        db_index=False,
    )
    implementing_other = models.CharField(max_length=200, blank=True)
    activity = models.ForeignKey(
        "activities.Activity", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    indicator = models.ForeignKey(
        "strategy.Indicator", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    area = models.ForeignKey(
        "locations.AdminArea", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    admin1 = models.ForeignKey(
        "locations.AdminArea", on_delete=models.CASCADE, null=True, related_name="+"
    )
    admin2 = models.ForeignKey(
        "locations.AdminArea", on_delete=models.CASCADE, null=True, related_name="+"
    )
    girls = models.PositiveIntegerField(null=True)
    boys = models.PositiveIntegerField(null=True)
    women = models.PositiveIntegerField(null=True)
    men = models.PositiveIntegerField(null=True)
    older_people = models.PositiveIntegerField(null=True)
    people_with_disabilities = models.PositiveIntegerField(null=True)
    total = models.PositiveIntegerField()
    people = models.BooleanField(default=True)  # the activity counts people, not services
    rows = models.PositiveIntegerField(default=1)  # report rows summed into this one

    class Meta:
        verbose_name = _("validated figure")
        verbose_name_plural = _("validated figures")
        indexes = [
            models.Index(fields=["report"], name="reach_report_idx"),
            models.Index(fields=["month", "activity"], name="reach_month_activity_idx"),
            models.Index(fields=["indicator", "month"], name="reach_indicator_month_idx"),
            models.Index(fields=["activity", "area", "month"], name="reach_overlap_idx"),
            # People reached once reads the people-counting figures by area, activity and
            # month: read in this order from the index alone, they need no hashing (the
            # headline over five years at 1,000,000 rows: 174 -> 58 ms). ``total`` is a key
            # column rather than an INCLUDE, which SQLite does not have.
            models.Index(
                fields=["people", "area", "activity", "month", "total"],
                name="reach_people_cells_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.activity_id}/{self.area_id}: {self.total}"
