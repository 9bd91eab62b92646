"""Loading report rows in bulk, for the large demo dataset and the benchmarks.

Rows are tuples in the order of ``COLUMNS``. On PostgreSQL they go in with COPY (a million
in some twenty seconds); elsewhere with ``bulk_create`` in batches. Nothing else is written:
no history, no validated-version snapshot, no analysis rows (``analysis.services.rebuild_all``
does those afterwards).
"""

from collections.abc import Iterable, Iterator
from itertools import islice

from django.db import connection

from activities.models import ReportRow

COLUMNS = (
    "report_id",
    "activity_id",
    "area_id",
    "implementing_organisation_id",
    "implementing_other",
    "donor",
    "status",
    "girls",
    "boys",
    "women",
    "men",
    "older_people",
    "people_with_disabilities",
    "total",
    "review_comment",
    "order",
)
BATCH = 5000


def _batches(rows: Iterable[tuple]) -> Iterator[list[tuple]]:
    rows = iter(rows)
    while batch := list(islice(rows, BATCH)):
        yield batch


def write_report_rows(rows: Iterable[tuple]) -> int:
    """Insert the rows (tuples in ``COLUMNS`` order); return how many were written."""
    written = 0
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        columns = ", ".join(f'"{name}"' for name in COLUMNS)
        with (
            connection.connection.cursor() as cursor,
            cursor.copy(f"COPY activities_reportrow ({columns}) FROM STDIN") as copy,
        ):
            for values in rows:
                copy.write_row(values)
                written += 1
        return written
    for batch in _batches(rows):
        ReportRow.objects.bulk_create(
            [ReportRow(**dict(zip(COLUMNS, values, strict=True))) for values in batch]
        )
        written += len(batch)
    return written
