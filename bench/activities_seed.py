"""Time the demo activity reports seed on the database that DATABASE_URL names.

Run from the repository root:

    .venv/bin/python bench/activities_seed.py            # measure, then roll everything back
    .venv/bin/python bench/activities_seed.py --keep     # measure and keep the demo data
    .venv/bin/python bench/activities_seed.py --runs 5   # best and median of five timings

The locations, partners and strategy seeds run first (timed apart), because the activity
reports are built on them. Each timing runs inside a transaction that is rolled back, so
the database is left as it was unless ``--keep`` is given; the first run times a seed into
a database without demo reports, the second run of the same transaction times the
idempotent pass that finds everything present.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cluster_portal.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from activities.models import Report, ReportRow, ValidatedVersion  # noqa: E402
from demo import activities as activities_demo  # noqa: E402
from demo import locations as locations_demo  # noqa: E402
from demo import partners as partners_demo  # noqa: E402
from demo import strategy as strategy_demo  # noqa: E402


class Rollback(Exception):
    """Raised to undo one measured run."""


def _timed(step) -> float:
    start = time.perf_counter()
    step()
    return time.perf_counter() - start


def _measure(keep: bool) -> dict:
    figures = {}
    try:
        with transaction.atomic():
            figures["prerequisites"] = _timed(
                lambda: (locations_demo.seed(), partners_demo.seed(), strategy_demo.seed())
            )
            rows_before = ReportRow.objects.count()
            figures["first"] = _timed(activities_demo.seed)
            figures["rows"] = ReportRow.objects.count() - rows_before
            figures["reports"] = Report.objects.count()
            figures["versions"] = ValidatedVersion.objects.count()
            history_before = ReportRow.history.count() + Report.history.count()
            figures["second"] = _timed(activities_demo.seed)
            figures["history_added_by_second"] = (
                ReportRow.history.count() + Report.history.count() - history_before
            )
            if not keep:
                raise Rollback
    except Rollback:
        pass
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="measured runs (default 3)")
    parser.add_argument("--keep", action="store_true", help="keep the data of the last run")
    options = parser.parse_args()
    runs = [_measure(keep=options.keep and n == options.runs - 1) for n in range(options.runs)]
    first = [run["first"] for run in runs]
    second = [run["second"] for run in runs]
    last = runs[-1]
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"cpus: {os.cpu_count()}   runs: {options.runs}")
    print(f"prerequisite seeds (locations, partners, strategy): {last['prerequisites']:.2f} s")
    print(
        f"activities seed, first run: best {min(first):.2f} s, "
        f"median {statistics.median(first):.2f} s"
    )
    print(
        f"activities seed, second run: best {min(second):.3f} s, "
        f"median {statistics.median(second):.3f} s"
    )
    print(
        f"written by the first run: {last['rows']} rows in {last['reports']} reports, "
        f"{last['versions']} validated versions"
    )
    print(f"rows per second (first run, best): {last['rows'] / min(first):.0f}")
    print(f"history rows added by the second run: {last['history_added_by_second']}")
    print("kept" if options.keep else "rolled back: the database is unchanged")


if __name__ == "__main__":
    main()
