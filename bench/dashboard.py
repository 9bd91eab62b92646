"""Time the dashboard pages and the queries behind them on the database DATABASE_URL names.

Run from the repository root, on a database loaded with the large dataset:

    createdb -h 127.0.0.1 -U postgres cp_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/cp_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py seed_demo --scale 1000000
    .venv/bin/python bench/dashboard.py                 # pages, then selectors
    .venv/bin/python bench/dashboard.py --parallel 0    # without parallel workers
    .venv/bin/python bench/dashboard.py --explain gaps  # EXPLAIN ANALYZE a selector's SQL

Pages: each dashboard page rendered through the Django test client, as a coordinator (the
detailed scope, admin2 and organisations: the heaviest) with every figure computed again
("coordinator": the analysis cache's version is replaced before each request, as a
validation does) and with the figures cached since the last validation ("coordinator
(warm)"), and, for the public pages, as an
anonymous visitor, rendered ("public": the anonymous page cache's version is bumped before
each request, as a write does) and served from that cache ("public (cached)"); over the
default range (the last twelve months) and over the five years.
Two warm-up runs, then ten timed ones: the median and the 90th percentile, the number of
queries, and the page's SQL run again as raw SQL (the same text, through a cursor) to show
what the ORM and the templates add.

Selectors: each function of ``analysis.selectors`` and ``analysis.coordination`` the pages
call, timed the same way, against the exact SQL it sent (captured with
``CaptureQueriesContext``) run raw.

It prints figures and asserts nothing. It creates a coordinator account inside a transaction
rolled back at the end, so the database is left as it was. DEBUG is off as in production.
"""

import argparse
import datetime
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cluster_portal.settings")
import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

settings.DEBUG = False

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import translation  # noqa: E402

from accounts.models import User  # noqa: E402
from analysis import cache as analysis_cache  # noqa: E402
from analysis import coordination, measures, selectors  # noqa: E402
from analysis.forms import default_range  # noqa: E402
from analysis.models import Reach  # noqa: E402
from core import page_cache  # noqa: E402
from strategy.selectors import current_cycle  # noqa: E402

PAGES = (
    # (URL name, seen by the public too)
    ("analysis:overview", True),
    ("analysis:areas", True),
    ("analysis:people", True),
    ("analysis:presence", False),
    ("analysis:gaps", False),
    ("analysis:overlaps", False),
)
YEARS = 5


class Rollback(Exception):
    """Raised to undo the bench's account and sessions."""


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _times(call: Callable[[], object], *, warmup: int, runs: int) -> list[float]:
    for _ in range(warmup):
        call()
    found = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        found.append((time.perf_counter() - start) * 1000)
    return found


def _captured(call: Callable[[], object]) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        call()
    return [query["sql"] for query in context.captured_queries]


# A queryset read with .iterator() is a server-side cursor: its query is run bare instead.
DECLARE = re.compile(r'^DECLARE "[^"]+" [A-Z ]*?CURSOR (?:WITH(?:OUT)? HOLD )?FOR (.*)$', re.DOTALL)


def _raw(statements: list[str]) -> Callable[[], None]:
    """Run the captured SQL again, as text, fetching every row as the ORM would."""
    bare = [DECLARE.sub(r"\1", sql) for sql in statements if not sql.startswith(("FETCH", "CLOSE"))]

    def run() -> None:
        with connection.cursor() as cursor:
            for sql in bare:
                cursor.execute(sql)
                if cursor.description is not None:
                    cursor.fetchall()

    return run


def _line(label: str, scope: str, span: str, times: list[float], raw: list[float], queries: int):
    median, raw_median = statistics.median(times), statistics.median(raw)
    ratio = median / raw_median if raw_median else float("nan")
    print(
        f"{label:<34} {scope:<15} {span:<9} {median:8.1f} {_percentile(times, 0.9):8.1f} "
        f"{queries:7d} {raw_median:9.1f} {ratio:6.2f}"
    )


def _header(title: str) -> None:
    print()
    print(title)
    print(
        f"{'':<34} {'scope':<15} {'range':<9} {'median':>8} {'p90':>8} {'queries':>7} "
        f"{'raw SQL':>9} {'ratio':>6}"
    )
    print(f"{'':<34} {'':<15} {'':<9} {'ms':>8} {'ms':>8} {'':>7} {'ms':>9} {'':>6}")


def _ranges() -> dict[str, tuple[datetime.date, datetime.date]]:
    first, last = default_range()
    return {
        "12 months": (first, last),
        f"{YEARS} years": (selectors.add_months(last, 1 - 12 * YEARS), last),
    }


def bench_pages(clients: dict[str, Client], *, warmup: int, runs: int) -> None:
    _header("Pages (Django test client, whole response)")
    for name, public in PAGES:
        try:
            url = reverse(name)
        except NoReverseMatch:
            print(f"{name:<34} not built yet: skipped (see the selectors below)")
            continue
        for scope, client in clients.items():
            if scope.startswith("public") and not public:
                continue
            # A new cache version before each request: the page is rendered, not served; the
            # analysis results are computed again, except for "coordinator (warm)".
            fresh = scope == "public"
            cold = scope != "coordinator (warm)"
            for span, (first, last) in _ranges().items():
                query = {"first_month": f"{first:%Y-%m}", "last_month": f"{last:%Y-%m}"}
                given = query if span != "12 months" else {}

                def get(url=url, client=client, given=given, fresh=fresh, cold=cold) -> None:
                    if fresh:
                        page_cache.bump()
                    if cold:
                        analysis_cache.bump_figures()
                    response = client.get(url, given)
                    if response.status_code != 200:
                        raise RuntimeError(f"{url} answered {response.status_code}")

                times = _times(get, warmup=warmup, runs=runs)
                statements = _captured(get)
                raw = _times(_raw(statements), warmup=1, runs=runs)
                _line(name.split(":")[1], scope, span, times, raw, len(statements))


def _selectors(cycle) -> list[tuple[str, bool, Callable]]:
    """(name, public too, call with Filters) for each query the pages make."""
    return [
        ("selectors.key_figures", True, selectors.key_figures),
        (
            "selectors.assessments_in_range",
            True,
            lambda f: selectors.assessments_in_range(f).count(),
        ),
        (
            "measures.indicator_progress",
            True,
            lambda f: measures.indicator_progress(f, selectors.cycle_indicators(cycle, f)),
        ),
        ("measures.headline", True, lambda f: measures.headline(f, cycle)),
        ("selectors.people_by_month", True, selectors.people_by_month),
        ("selectors.by_area", True, selectors.by_area),
        ("selectors.severity_by_area", True, selectors.severity_by_area),
        ("selectors.by_sex_and_age", True, selectors.by_sex_and_age),
        ("selectors.by_organisation", False, selectors.by_organisation),
        ("selectors.reporting_partners", True, selectors.reporting_partners),
        ("coordination.presence", False, coordination.presence),
        ("coordination.overlaps", False, coordination.overlaps),
        (
            "coordination.gaps",
            False,
            lambda f: coordination.gaps(coordination.GapRules.default()),
        ),
        (
            "coordination.gaps(public)",
            True,
            lambda f: coordination.gaps(coordination.GapRules.default(), public=True),
        ),
    ]  # fmt: skip


def bench_selectors(*, warmup: int, runs: int, only: str = "") -> None:
    _header("Selectors (ORM call and the Python around it, against its own SQL run raw)")
    cycle = current_cycle()
    for name, public, call in _selectors(cycle):
        if only and only not in name:
            continue
        for scope, detailed in (("coordinator", True), ("public", False)):
            if scope == "public" and not public:
                continue
            for span, (first, last) in _ranges().items():
                filters = selectors.Filters(first_month=first, last_month=last, detailed=detailed)

                def run(call=call, filters=filters) -> object:
                    analysis_cache.bump_figures()  # computed, never read from the cache
                    return call(filters)

                times = _times(run, warmup=warmup, runs=runs)
                statements = _captured(run)
                raw = _times(_raw(statements), warmup=1, runs=runs)
                _line(name, scope, span, times, raw, len(statements))


def explain(only: str) -> None:
    """EXPLAIN ANALYZE every statement of the selectors whose name contains ``only``."""
    cycle = current_cycle()
    first, last = _ranges()[f"{YEARS} years"]
    filters = selectors.Filters(first_month=first, last_month=last, detailed=True)
    for name, _public, call in _selectors(cycle):
        if only not in name:
            continue
        for sql in _captured(lambda call=call: call(filters)):
            print(f"\n--- {name} ({YEARS} years, detailed)\n{sql}\n")
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                print("\n".join(row[0] for row in cursor.fetchall()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="timed runs (default 10)")
    parser.add_argument("--warmup", type=int, default=2, help="warm-up runs (default 2)")
    parser.add_argument(
        "--parallel", type=int, help="SET max_parallel_workers_per_gather for the session"
    )
    parser.add_argument("--only", default="", help="selectors whose name contains this only")
    parser.add_argument("--no-pages", action="store_true", help="selectors only")
    parser.add_argument("--explain", metavar="NAME", help="EXPLAIN ANALYZE matching selectors")
    options = parser.parse_args()
    setup_test_environment()  # lets the test client in (ALLOWED_HOSTS) with the real settings
    translation.activate("en")

    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"Validated figures (analysis rows): {Reach.objects.count():,}")
    if options.parallel is not None:
        with connection.cursor() as cursor:
            cursor.execute(f"SET max_parallel_workers_per_gather = {int(options.parallel)}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW max_parallel_workers_per_gather")
            print(f"max_parallel_workers_per_gather: {cursor.fetchone()[0]}")
    for span, (first, last) in _ranges().items():
        print(f"Range {span}: {first:%Y-%m} to {last:%Y-%m}")
    if options.explain:
        explain(options.explain)
        return
    try:
        with transaction.atomic():
            coordinator = User.objects.create_user(
                email="bench-dashboard@example.invalid", password=None, is_coordinator=True
            )
            clients = {
                "coordinator": Client(),
                "coordinator (warm)": Client(),
                "public": Client(),
                "public (cached)": Client(),
            }
            clients["coordinator"].force_login(coordinator)
            clients["coordinator (warm)"].force_login(coordinator)
            if not options.no_pages:
                bench_pages(clients, warmup=options.warmup, runs=options.runs)
            bench_selectors(warmup=options.warmup, runs=options.runs, only=options.only)
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
