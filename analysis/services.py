"""Writes of the analysis tables: one report's figures refreshed, or the whole table rebuilt."""

import datetime

from django.db import connection, transaction

from activities.models import ReportingPeriod, ReportRow, ReportStatus
from analysis.models import FIGURES, Reach

BATCH_SIZE = 2000


def _admin_ids(area) -> tuple[int | None, int | None]:
    """The admin1 and admin2 areas an area lies in (itself included), as ids."""
    chain = {}
    node = area
    while node is not None:
        chain[node.level] = node.pk
        node = node.parent
    return chain.get(1), chain.get(2)


def _fact(row: ReportRow, month: datetime.date) -> Reach:
    admin1_id, admin2_id = _admin_ids(row.area)
    return Reach(
        report_id=row.report_id,
        month=month,
        organisation_id=row.report.organisation_id,
        implementing_organisation_id=row.implementing_organisation_id,
        implementing_other=row.implementing_other,
        activity_id=row.activity_id,
        indicator_id=row.activity.indicator_id,
        area_id=row.area_id,
        admin1_id=admin1_id,
        admin2_id=admin2_id,
        **{name: getattr(row, name) for name in FIGURES},
    )


@transaction.atomic
def refresh_report(report_id: int) -> int:
    """Replace one report's figures: its rows when it is validated, none otherwise."""
    Reach.objects.filter(report_id=report_id).delete()
    rows = ReportRow.objects.filter(
        report_id=report_id, report__status=ReportStatus.VALIDATED
    ).select_related("report__period", "activity", "area__parent__parent__parent")
    facts = [_fact(row, row.report.period.first_day) for row in rows]
    Reach.objects.bulk_create(facts, batch_size=BATCH_SIZE)
    return len(facts)


_INSERT = """
INSERT INTO analysis_reach (
    report_id, month, organisation_id, implementing_organisation_id, implementing_other,
    activity_id, indicator_id, area_id, admin1_id, admin2_id,
    girls, boys, women, men, older_people, people_with_disabilities, total
)
SELECT r.report_id, %s, rep.organisation_id, r.implementing_organisation_id,
       r.implementing_other, r.activity_id, act.indicator_id, r.area_id,
       CASE a.level WHEN 1 THEN a.id WHEN 2 THEN p.id WHEN 3 THEN g.id END,
       CASE a.level WHEN 2 THEN a.id WHEN 3 THEN p.id END,
       r.girls, r.boys, r.women, r.men, r.older_people, r.people_with_disabilities, r.total
FROM activities_reportrow r
JOIN activities_report rep ON rep.id = r.report_id
JOIN activities_activity act ON act.id = r.activity_id
JOIN locations_adminarea a ON a.id = r.area_id
LEFT JOIN locations_adminarea p ON p.id = a.parent_id
LEFT JOIN locations_adminarea g ON g.id = p.parent_id
WHERE rep.period_id = %s AND rep.status = %s
"""


@transaction.atomic
def rebuild_all() -> int:
    """Rebuild the whole table from the validated reports, one set-based insert per month.

    For loading data in bulk (the large demo dataset, a restore): the rows are copied inside
    the database, never through Python.
    """
    Reach.objects.all().delete()
    with connection.cursor() as cursor:
        for period in ReportingPeriod.objects.all():
            cursor.execute(_INSERT, [period.first_day, period.pk, ReportStatus.VALIDATED])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE analysis_reach")
    return Reach.objects.count()


def reassign_indicator(*, activity_id: int, indicator_id: int) -> int:
    """Follow an activity moved to another indicator."""
    return (
        Reach.objects.filter(activity_id=activity_id)
        .exclude(indicator_id=indicator_id)
        .update(indicator_id=indicator_id)
    )
