"""Two-level aggregates the ORM cannot nest by itself, kept as small SQL expressions.

An indicator that adds up as "the largest monthly figure per area" needs three steps: the sum
of each area's month, the largest month of each area, the sum over areas. ``SumOfAreaPeaks``
wraps an ORM subquery that does the first step and lets PostgreSQL do the other two.
"""

from django.db.models import IntegerField, Subquery


class SumOfAreaPeaks(Subquery):
    """``(SELECT SUM(peak) FROM (SELECT MAX(v) ... GROUP BY area) ...)`` over a subquery
    selecting ``peak_area`` and ``v`` (a month's figure for that area)."""

    template = (
        "(SELECT SUM(_peaks.peak) FROM (SELECT MAX(_months.v) AS peak "
        "FROM (%(subquery)s) _months GROUP BY _months.peak_area) _peaks)"
    )
    output_field = IntegerField()
