"""Time the public figures endpoint (``/api/v1/figures/``, each indicator per admin1 area and
month) on the database DATABASE_URL names, cold and warm.

Run from the repository root, on a database loaded with the large dataset:

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/cp_bench_pages_1000000
    export REDIS_URL=redis://127.0.0.1:6379/7   # optional: the analysis cache in Redis
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/api_figures.py --months 12
    .venv/bin/python bench/api_figures.py --months 12 --per-cell   # the old way, once

For the public (anonymous) and for a coordinator's scope (every figure, no disclosure
queries): "cold" replaces the analysis cache's figures version before each request, as a
validation does, so the whole grid is computed again; "warm" answers from the cache. The
range is the last ``--months`` months with figures. Two warm-up runs, then ``--runs`` timed
ones: the median and the 90th percentile, and the number of queries. ``--per-cell`` also
times, once, the former computation cell by cell (``tests/analysis/per_cell.py``) for the
same range, cold, for comparison.

It prints figures and asserts nothing; the coordinator it creates is rolled back.
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

from django.conf import settings  # noqa: E402

settings.DEBUG = False

from django.db import connection, transaction  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from accounts.models import User  # noqa: E402
from analysis import cache as analysis_cache  # noqa: E402
from analysis.models import Reach  # noqa: E402
from analysis.selectors import Filters, add_months  # noqa: E402
from api.v1.figures import FigureList  # noqa: E402
from bench.common import Rollback  # noqa: E402

# The anonymous callers' throttle would answer 429 after a few dozen requests: the bench
# times the figures, not the throttle.
FigureList.throttle_classes = []

FIGURES = "/api/v1/figures/"


def _time(client: APIClient, params: dict, *, cold: bool, runs: int) -> tuple[list, int, int]:
    """Durations in ms of ``runs`` requests after two warm-ups, the queries of the last one
    and the number of lines it returned."""
    durations, queries, lines = [], 0, 0
    for number in range(runs + 2):
        if cold:
            analysis_cache.bump_figures()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(FIGURES, params, HTTP_X_FORWARDED_PROTO="https")
            elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != 200:
            raise SystemExit(response.content[:300])
        if number >= 2:
            durations.append(elapsed)
        queries, lines = len(captured.captured_queries), len(response.json())
    return durations, queries, lines


def _line(label: str, durations: list, queries: int, lines: int) -> None:
    ordered = sorted(durations)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    print(
        f"{label:<24} median {statistics.median(ordered):8.1f} ms   p90 {p90:8.1f} ms   "
        f"{queries:4d} queries   {lines} lines"
    )


def _per_cell(first, last) -> None:
    from tests.analysis import per_cell

    analysis_cache.bump_figures()
    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        cells = per_cell.cells(Filters(first_month=first, last_month=last))
        elapsed = time.perf_counter() - start
    print(
        f"{'per cell (former), cold':<24} {elapsed:8.1f} s, {len(captured.captured_queries)} "
        f"queries, {len(cells)} cells"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--per-cell", action="store_true")
    options = parser.parse_args()
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    last = Reach.objects.aggregate(last=Max("month"))["last"]
    first = add_months(last, 1 - options.months)
    params = {"first_month": f"{first:%Y-%m}", "last_month": f"{last:%Y-%m}"}
    print(f"Database: {connection.settings_dict['NAME']}, {Reach.objects.count():,} figures")
    print(f"Range: {params['first_month']} to {params['last_month']}")
    try:
        with transaction.atomic():
            coordinator = User.objects.create_user(
                email="bench-api-figures@example.invalid", password=None, is_coordinator=True
            )
            for scope, user in (("public", None), ("coordinator", coordinator)):
                client = APIClient()
                if user is not None:
                    client.force_authenticate(user)
                for cold in (True, False):
                    label = f"{scope}, {'cold' if cold else 'warm'}"
                    _line(label, *_time(client, params, cold=cold, runs=options.runs))
            if options.per_cell:
                _per_cell(first, last)
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
