"""Writes of the analysis table: one report's figures refreshed, or the whole table rebuilt."""

import datetime

from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum

from activities.models import ActivityUnit, ReportingPeriod, ReportRow, ReportStatus
from analysis import cache
from analysis.models import FIGURES, Reach
from locations.models import AdminArea

BATCH_SIZE = 2000
GRAIN = ("activity", "area", "implementing_organisation", "implementing_other")


def _admin_ids(area_ids: set[int]) -> dict[int, tuple[int | None, int | None]]:
    """The admin1 and admin2 areas each area lies in (itself included), as ids."""
    areas = AdminArea.objects.select_related("parent__parent").in_bulk(area_ids)
    found = {}
    for pk, area in areas.items():
        chain, node = {}, area
        while node is not None:
            chain[node.level] = node.pk
            node = node.parent if node.level > 1 else None
        found[pk] = (chain.get(1), chain.get(2))
    return found


@transaction.atomic
def refresh_report(report_id: int) -> int:
    """Replace one report's figures: its rows summed when it is validated, none otherwise."""
    Reach.objects.filter(report_id=report_id).delete()
    rows = (
        ReportRow.objects.filter(report_id=report_id, report__status=ReportStatus.VALIDATED)
        .order_by()
        .values(*GRAIN)
        .annotate(
            # A figure nobody gave stays unknown (NULL) rather than becoming 0.
            **{f"sum_{name}": Sum(name) for name in FIGURES},
            count=Count("pk"),
            indicator=F("activity__indicator"),
            unit=F("activity__unit"),
            organisation=F("report__organisation"),
            year=F("report__period__year"),
            month=F("report__period__month"),
        )
    )
    rows = list(rows)
    admin = _admin_ids({row["area"] for row in rows})
    facts = [
        Reach(
            report_id=report_id,
            month=datetime.date(row["year"], row["month"], 1),
            organisation_id=row["organisation"],
            implementing_organisation_id=row["implementing_organisation"],
            implementing_other=row["implementing_other"],
            activity_id=row["activity"],
            indicator_id=row["indicator"],
            area_id=row["area"],
            admin1_id=admin[row["area"]][0],
            admin2_id=admin[row["area"]][1],
            people=row["unit"] == ActivityUnit.PEOPLE,
            rows=row["count"],
            **{name: row[f"sum_{name}"] for name in FIGURES},
        )
        for row in rows
    ]
    Reach.objects.bulk_create(facts, batch_size=BATCH_SIZE)
    cache.bump_figures()
    return len(facts)


_INSERT = """
INSERT INTO analysis_reach (
    report_id, month, organisation_id, implementing_organisation_id, implementing_other,
    activity_id, indicator_id, area_id, admin1_id, admin2_id, people, rows,
    girls, boys, women, men, older_people, people_with_disabilities, total
)
SELECT r.report_id, %s, rep.organisation_id, r.implementing_organisation_id,
       r.implementing_other, r.activity_id, act.indicator_id, r.area_id,
       CASE a.level WHEN 1 THEN a.id WHEN 2 THEN p.id WHEN 3 THEN g.id END,
       CASE a.level WHEN 2 THEN a.id WHEN 3 THEN p.id END,
       act.unit = %s, COUNT(*),
       SUM(r.girls), SUM(r.boys), SUM(r.women), SUM(r.men), SUM(r.older_people),
       SUM(r.people_with_disabilities), SUM(r.total)
FROM activities_reportrow r
JOIN activities_report rep ON rep.id = r.report_id
JOIN activities_activity act ON act.id = r.activity_id
JOIN locations_adminarea a ON a.id = r.area_id
LEFT JOIN locations_adminarea p ON p.id = a.parent_id
LEFT JOIN locations_adminarea g ON g.id = p.parent_id
WHERE rep.period_id = %s AND rep.status = %s
GROUP BY r.report_id, rep.organisation_id, r.implementing_organisation_id,
         r.implementing_other, r.activity_id, act.indicator_id, act.unit, r.area_id,
         a.level, a.id, p.id, g.id
"""


@transaction.atomic
def rebuild_all() -> int:
    """Rebuild the whole table from the validated reports, one set-based insert per month.

    For loading data in bulk (the large demo dataset, a restore): the rows are summed inside
    the database, never through Python.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Unlike DELETE, leaves no dead rows for the dashboards' scans to wade through. The
            # deferred foreign key checks of rows written earlier in the transaction run first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("TRUNCATE analysis_reach")
        else:
            Reach.objects.all().delete()
        for period in ReportingPeriod.objects.all():
            cursor.execute(
                _INSERT,
                [period.first_day, ActivityUnit.PEOPLE, period.pk, ReportStatus.VALIDATED],
            )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE analysis_reach")
        transaction.on_commit(vacuum, robust=True)
    cache.bump_figures()
    return Reach.objects.count()


def vacuum() -> None:
    """Mark the rebuilt table's pages all-visible, as autovacuum would later: until then
    the dashboards cannot answer from the covering indexes alone, and a five-year range
    takes 1.5 times as long (VACUUM runs outside a transaction, hence after the commit;
    robustly, since autovacuum would do it anyway: a failure is logged, the rebuild stands)."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) analysis_reach")


def reassign_activity(*, activity_id: int, indicator_id: int, people: bool) -> int:
    """Follow an activity moved to another indicator, or now counting something else."""
    moved = (
        Reach.objects.filter(activity_id=activity_id)
        .filter(~Q(indicator_id=indicator_id) | ~Q(people=people))
        .update(indicator_id=indicator_id, people=people)
    )
    cache.bump()
    return moved
