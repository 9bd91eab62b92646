"""Measure the dashboard's Coverage tab at scale (issue 26's target: under 150 ms warm).

Run from the repository root (PostgreSQL on 127.0.0.1):

    .venv/bin/python bench/coverage.py                       # 1,000,000 rows, reused if there
    .venv/bin/python bench/coverage.py --scale 100000

It uses the database ``cp_bench_pages_<scale>`` that ``bench/pages.py`` makes, filled by
``seed_demo --scale N`` (the 20 governorates' 300 districts each with a caseload), and makes
and fills it the same way when it is missing or holds another number of rows. Then it prints
the median of ``--repeat`` requests of the Coverage tab through the test client, for a
coordinator (admin1 and admin2) and a visitor (admin1, disclosed), over the last twelve
months and over five years, computed afresh (the analysis cache's and the page cache's
versions replaced before each, as a validation does) and warm, with the queries; and the
same for ``analysis.coverage.coverage`` alone. It asserts nothing and writes only the
coordinator account it signs in as (``bench-coverage@example.invalid``), which it keeps.
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

from bench.pages import manage, recreate, seeded_rows  # noqa: E402

POSTGRES = "postgres://postgres@127.0.0.1:5432"


def prepare(scale: int) -> str:
    name = f"cp_bench_pages_{scale}"
    url = f"{POSTGRES}/{name}"
    if seeded_rows(url) == scale:
        print(f"Reusing {name}: {scale:,} activity rows.")
        return url
    recreate(POSTGRES, name)
    manage(url, "migrate", "-v0")
    started = time.perf_counter()
    manage(url, "seed_demo", "--scale", str(scale))
    print(f"Seeded {name} in {time.perf_counter() - started:.1f} s.")
    return url


def _timed(call, repeat: int, fresh: bool):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from analysis import cache as analysis_cache
    from core import page_cache

    call()
    times = []
    for _ in range(repeat):
        if fresh:
            analysis_cache.bump()
            page_cache.bump()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            result = call()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, len(queries), result


def measure(repeat: int) -> None:
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import User
    from analysis import coverage
    from analysis.selectors import Filters, add_months, month_start

    coordinator, _made = User.objects.get_or_create(
        email="bench-coverage@example.invalid", defaults={"is_coordinator": True}
    )
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    month = month_start(timezone.localdate())
    ranges = {"12 months": add_months(month, -11), "five years": add_months(month, -59)}
    url = reverse("analysis:coverage")
    print("| What | Range | Afresh | Warm | Queries (afresh / warm) |")
    print("|---|---|---|---|---|")
    for label, first in ranges.items():
        query = {"first_month": f"{first:%Y-%m}", "last_month": f"{month:%Y-%m}"}
        for role, user in (("coordinator", coordinator), ("visitor", None)):
            client = Client()
            if user is not None:
                client.force_login(user)

            def page(client=client, query=query, role=role):
                response = client.get(url, query)
                if response.status_code != 200:
                    raise SystemExit(f"{role}: {response.status_code}")
                return response

            fresh, fresh_queries, _r = _timed(page, repeat, True)
            warm, warm_queries, response = _timed(page, repeat, False)
            print(
                f"| tab, {role} | {label} | {fresh:.0f} ms | {warm:.0f} ms |"
                f" {fresh_queries} / {warm_queries} |"
            )
        for role, detailed in (("coordinator", True), ("visitor", False)):
            filters = Filters(first, month, detailed=detailed)
            fresh, fresh_queries, found = _timed(
                lambda f=filters: coverage.coverage(f), repeat, True
            )
            warm, warm_queries, _r = _timed(lambda f=filters: coverage.coverage(f), repeat, False)
            print(
                f"| `coverage()`, {role} | {label} | {fresh:.0f} ms | {warm:.0f} ms |"
                f" {fresh_queries} / {warm_queries} |"
            )
    print(
        f"\nAreas: {len(found.admin1)} admin1 rows for the visitor; "
        f"{response.content.__len__() / 1024:.0f} KB of HTML for the last one."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = prepare(args.scale)

    import django

    django.setup()
    measure(args.repeat)


if __name__ == "__main__":
    main()
