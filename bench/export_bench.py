"""Stream the validated activity rows export on the database that DATABASE_URL names.

Run from the repository root (the database migrated first):

    .venv/bin/python bench/export_bench.py                    # 100,000 then 1,000,000 rows
    .venv/bin/python bench/export_bench.py --rows 200000      # a smaller total
    .venv/bin/python bench/export_bench.py --no-trace         # time without tracemalloc

It creates its own organisation, coordinator, areas, activities and two reporting periods
(in 2099, a year no real period uses), loads the rows of two validated reports with
PostgreSQL's COPY (bulk_create on SQLite): a tenth of them in the first period, the rest in
the second. It then downloads the CSV export through the Django test client, as a
coordinator, filtered to the first period (a tenth of the rows) and then to both, reading
the streamed body chunk by chunk as a browser would. For each it prints the rows, bytes,
time and memory: the peak of Python allocations during the download (tracemalloc) and the
process's peak resident size (ru_maxrss). A streaming export keeps both flat whatever the
number of rows.

Everything runs in one transaction that is rolled back at the end, so the database is left
as it was (the bench's rows never reach another session).
"""

import argparse
import datetime
import os
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cluster_portal.settings")
import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# As in production: with DEBUG on, Django keeps the text of recent queries in memory.
settings.DEBUG = False

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from activities.bulk import write_report_rows  # noqa: E402
from activities.models import (  # noqa: E402
    Activity,
    Report,
    ReportingPeriod,
    ReportRow,
    ReportStatus,
)
from bench.common import Rollback, maxrss, mib  # noqa: E402
from locations.models import AdminArea, AdminLevel  # noqa: E402
from partners.models import Organisation, OrganisationStatus, OrganisationType  # noqa: E402
from strategy.models import HealthDomain, Indicator, StrategicObjective, StrategyCycle  # noqa: E402

BENCH_YEAR = 2099


def _world():
    country = AdminArea.objects.create(pcode="BENCHX", level=AdminLevel.ADMIN0, name_en="Bench")
    areas = []
    for one in range(4):
        admin1 = AdminArea.objects.create(
            pcode=f"BENCHX{one}", level=AdminLevel.ADMIN1, parent=country, name_en=f"Bench {one}"
        )
        for two in range(5):
            admin2 = AdminArea.objects.create(
                pcode=f"BENCHX{one}{two}",
                level=AdminLevel.ADMIN2,
                parent=admin1,
                name_en=f"Bench {one}.{two}",
                name_ar=f"مقعد {one}.{two}",
            )
            areas.append(admin2)
            areas.append(
                AdminArea.objects.create(
                    pcode=f"BENCHX{one}{two}A",
                    level=AdminLevel.ADMIN3,
                    parent=admin2,
                    name_en=f"Bench {one}.{two}.A",
                )
            )
    organisation = Organisation.objects.create(
        name_en="Bench Export Organisation",
        acronym="BEO",
        type=OrganisationType.INTERNATIONAL_NGO,
        contact_name="Bench",
        contact_email="bench-export@example.invalid",
        status=OrganisationStatus.APPROVED,
    )
    cycle = StrategyCycle.objects.create(
        title_en="Bench cycle", start_year=BENCH_YEAR, end_year=BENCH_YEAR
    )
    objective = StrategicObjective.objects.create(cycle=cycle, code="BSO", title_en="Bench")
    domains = list(HealthDomain.objects.all()[:3])
    activities = []
    for number in range(10):
        indicator = Indicator.objects.create(
            objective=objective, code=f"B.{number}", name_en=f"Bench indicator {number}", target=1
        )
        activity = Activity.objects.create(
            code=f"BENCH{number}",
            name_en=f"Bench activity {number}",
            indicator=indicator,
            unit="people",
        )
        activity.domains.set(domains[: number % 3 + 1])
        activities.append(activity)
    now = timezone.now()
    reports = []
    for month in (1, 2):
        period = ReportingPeriod.objects.create(
            year=BENCH_YEAR,
            month=month,
            opens_at=now - datetime.timedelta(days=2),
            deadline=now - datetime.timedelta(days=1),
        )
        reports.append(
            Report.objects.create(
                organisation=organisation, period=period, status=ReportStatus.VALIDATED
            )
        )
    coordinator = User.objects.create_user(
        email="bench-export-coordinator@example.invalid", password=None, is_coordinator=True
    )
    return organisation, areas, activities, reports, coordinator


def _values(index: int, report, areas, activities, organisation) -> tuple:
    girls, boys, women, men = index % 50, index % 40, index % 30, index % 20
    donor = ("ECHO", "BHA", '=HYPERLINK("x")', "")[index % 4]
    return (
        report.pk,
        activities[index % len(activities)].pk,
        areas[index % len(areas)].pk,
        organisation.pk,
        "",
        donor,
        "completed",
        girls,
        boys,
        women,
        men,
        index % 7,
        index % 5,
        girls + boys + women + men,
        "",
        index,
    )


def _insert(count: int, report, areas, activities, organisation) -> None:
    write_report_rows(
        _values(index, report, areas, activities, organisation) for index in range(count)
    )


def _download(client: Client, url: str, *, trace: bool) -> dict:
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    response = client.get(url)
    if response.status_code != 200 or not response.streaming:
        raise RuntimeError(f"the export did not stream: {response.status_code} {url}")
    size = lines = 0
    first_byte = None
    for chunk in response.streaming_content:
        if first_byte is None:
            first_byte = time.perf_counter() - start
        size += len(chunk)
        lines += chunk.count(b"\n")
    # The test client closed the response at the end of the stream (without closing the
    # database connection, as the test client does).
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] if trace else None
    if trace:
        tracemalloc.stop()
    return {
        "rows": lines - 1,  # the header line
        "bytes": size,
        "seconds": elapsed,
        "first_byte": first_byte or 0.0,
        "python_peak": peak,
        "maxrss": maxrss(),
    }


def _report(label: str, figures: dict) -> None:
    python_peak = mib(figures["python_peak"]) if figures["python_peak"] is not None else "-"
    print(
        f"{label:<12} {figures['rows']:>10,} rows {mib(figures['bytes']):>12} "
        f"{figures['seconds']:8.1f} s  first byte {figures['first_byte'] * 1000:6.0f} ms  "
        f"{figures['rows'] / figures['seconds']:>9,.0f} rows/s  "
        f"python peak {python_peak:>10}  maxrss {mib(figures['maxrss'])}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows in all (default 1M)")
    parser.add_argument("--no-trace", action="store_true", help="time without tracemalloc")
    options = parser.parse_args()
    setup_test_environment()  # lets the test client in (ALLOWED_HOSTS) with the real settings

    first = options.rows // 10
    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"Process resident size before: {mib(maxrss())}")
    try:
        with transaction.atomic():
            organisation, areas, activities, reports, coordinator = _world()
            start = time.perf_counter()
            _insert(first, reports[0], areas, activities, organisation)
            _insert(options.rows - first, reports[1], areas, activities, organisation)
            inserted = time.perf_counter() - start
            print(
                f"Inserted {options.rows:,} validated rows in {inserted:.1f} s "
                f"({options.rows / inserted:,.0f} rows/s)"
            )
            print(f"Process resident size after inserting: {mib(maxrss())}")
            client = Client()
            client.force_login(coordinator)
            url = reverse("activities:export", kwargs={"fmt": "csv"})
            base = f"{url}?organisation={organisation.pk}"
            trace = not options.no_trace
            one_month = f"{base}&period_from={BENCH_YEAR}-01&period_to={BENCH_YEAR}-01"
            _report("first month", _download(client, one_month, trace=trace))
            _report("both months", _download(client, base, trace=trace))
            raise Rollback
    except Rollback:
        pass
    left = ReportRow.objects.filter(report__period__year=BENCH_YEAR).count()
    print(f"Rolled back: {left} bench rows left in the database.")


if __name__ == "__main__":
    main()
