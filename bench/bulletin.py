"""Time a bulletin build on the database that DATABASE_URL names: aggregation vs rendering.

Run from the repository root (the database migrated first):

    DJANGO_SETTINGS_MODULE=cluster_portal.settings .venv/bin/python bench/bulletin.py
    .venv/bin/python bench/bulletin.py --rows 100000 --months 6

It creates its own areas (admin1 and admin2), organisations, activities and monthly
reporting periods (in 2097, a year no real period uses), loads validated 4W rows with
PostgreSQL's COPY (bulk_create on SQLite) spread over the months, organisations and areas,
and fills the analysis table from them (``analysis.services.rebuild_all``). Then it times a
bulletin's steps one by one: the public figures (``analysis.snapshot.public_figures``), the
charts and HTML, the PDF (WeasyPrint), and a whole build of the edition as the Celery task
runs it (``bulletins.build.build_run``, in this process). The bulletin has one edition, in
``--language``, and no figures yet: its whole build takes them, as the first build after
"build all editions" does. After each step it prints the process's peak resident size
(``ru_maxrss``): aggregation happens in the database, so it should not grow with the rows.

Everything runs in one transaction that is rolled back at the end, and the PDF is written
to a temporary directory that is removed, so the database and media are left as they were.
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
import uuid
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
from django.utils import timezone  # noqa: E402

from activities.bulk import write_report_rows  # noqa: E402
from activities.models import (  # noqa: E402
    Activity,
    Report,
    ReportingPeriod,
    ReportRow,
    ReportStatus,
)
from analysis import snapshot  # noqa: E402
from analysis.services import rebuild_all  # noqa: E402
from bench.common import Rollback, maxrss, mib  # noqa: E402
from bulletins import build, rendering  # noqa: E402
from bulletins.models import BuildStatus, Bulletin, Edition  # noqa: E402
from locations.models import AdminArea, AdminLevel  # noqa: E402
from partners.models import Organisation, OrganisationStatus, OrganisationType  # noqa: E402
from strategy.models import Indicator, StrategicObjective, StrategyCycle  # noqa: E402
from strategy.selectors import cluster_profile_for_home  # noqa: E402

BENCH_YEAR = 2097
ADMIN1 = 18
ADMIN2_EACH = 6
ORGANISATIONS = 40


def _world(months: int):
    country = AdminArea.objects.create(pcode="BENCHB", level=AdminLevel.ADMIN0, name_en="Bench")
    areas = []
    for one in range(ADMIN1):
        admin1 = AdminArea.objects.create(
            pcode=f"BENCHB{one:02d}",
            level=AdminLevel.ADMIN1,
            parent=country,
            name_en=f"Bench governorate {one}",
            name_ar=f"محافظة {one}",
        )
        for two in range(ADMIN2_EACH):
            areas.append(
                AdminArea.objects.create(
                    pcode=f"BENCHB{one:02d}{two}",
                    level=AdminLevel.ADMIN2,
                    parent=admin1,
                    name_en=f"Bench district {one}.{two}",
                )
            )
    organisations = [
        Organisation.objects.create(
            name_en=f"Bench Bulletin Organisation {number}",
            acronym=f"BBO{number}",
            type=OrganisationType.NATIONAL_NGO,
            contact_name="Bench",
            contact_email=f"bench-bulletin-{number}@example.invalid",
            status=OrganisationStatus.APPROVED,
        )
        for number in range(ORGANISATIONS)
    ]
    cycle = StrategyCycle.objects.create(
        title_en="Bench bulletin cycle", start_year=BENCH_YEAR, end_year=BENCH_YEAR
    )
    objective = StrategicObjective.objects.create(cycle=cycle, code="BBSO", title_en="Bench")
    activities = []
    for number in range(12):
        indicator = Indicator.objects.create(
            objective=objective,
            code=f"BB.{number}",
            name_en=f"Bench indicator {number}",
            target=1_000_000,
        )
        activities.append(
            Activity.objects.create(
                code=f"BENCHB{number}",
                name_en=f"Bench activity {number}",
                indicator=indicator,
                unit="people",
            )
        )
    now = timezone.now()
    reports = []
    for month in range(1, months + 1):
        period = ReportingPeriod.objects.create(
            year=BENCH_YEAR,
            month=month,
            opens_at=now - datetime.timedelta(days=2),
            deadline=now - datetime.timedelta(days=1),
        )
        reports += [
            Report.objects.create(
                organisation=organisation, period=period, status=ReportStatus.VALIDATED
            )
            for organisation in organisations
        ]
    return areas, activities, reports


def _values(index: int, reports, areas, activities) -> tuple:
    report = reports[index % len(reports)]
    girls, boys, women, men = index % 50, index % 40, index % 30, index % 20
    return (
        report.pk,
        activities[index % len(activities)].pk,
        areas[(index // len(reports)) % len(areas)].pk,
        report.organisation_id,
        "",
        "",
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


def _insert(count: int, reports, areas, activities) -> None:
    write_report_rows(_values(index, reports, areas, activities) for index in range(count))


def _step(label: str, work):
    start = time.perf_counter()
    result = work()
    elapsed = time.perf_counter() - start
    print(f"{label:<34} {elapsed:8.2f} s   peak RSS {mib(maxrss())}")
    return result, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows in all (default 1M)")
    parser.add_argument("--months", type=int, default=12, help="months covered (1-12)")
    parser.add_argument("--language", choices=["en", "ar"], default="ar")
    options = parser.parse_args()
    months = max(1, min(options.months, 12))

    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"Peak RSS at start: {mib(maxrss())}")
    with tempfile.TemporaryDirectory(prefix="bench-bulletin-") as media:
        settings.MEDIA_ROOT = Path(media)
        try:
            with transaction.atomic():
                areas, activities, reports = _world(months)
                _step(
                    f"load {options.rows:,} validated rows",
                    lambda: _insert(options.rows, reports, areas, activities),
                )
                facts, _ = _step("fill the analysis table", rebuild_all)
                print(f"  {facts:,} rows in the analysis table")
                first = datetime.date(BENCH_YEAR, 1, 1)
                last = datetime.date(BENCH_YEAR, months, 1)
                bulletin = Bulletin.objects.create(
                    number=2_000_000_000, first_month=first, last_month=last
                )
                edition = Edition.objects.create(
                    bulletin=bulletin,
                    language=options.language,
                    title="Bench bulletin" if options.language == "en" else "نشرة القياس",
                    highlights="One\nTwo\nThree",
                    situation_overview="A paragraph of narrative. " * 80,
                    health_response="- a list item\n" * 20,
                )
                profile = cluster_profile_for_home()
                figures, aggregation = _step(
                    "aggregation (public_figures)",
                    lambda: snapshot.public_figures(first_month=first, last_month=last),
                )
                html, render = _step(
                    "charts and HTML",
                    lambda: rendering.render_html(edition, figures, profile),
                )
                pdf, weasy = _step("PDF (WeasyPrint)", lambda: rendering.render_pdf(html))
                print(f"  {len(pdf) / 1024:.0f} KiB, {len(html) / 1024:.0f} KiB of HTML")
                token = uuid.uuid4()
                Edition.objects.filter(pk=edition.pk).update(
                    status=BuildStatus.QUEUED, build_token=token, queued_at=timezone.now()
                )
                outcome, whole = _step(
                    "whole build (build_run)",
                    lambda: build.build_run(
                        edition_id=edition.pk, token=str(token), in_worker=False
                    ),
                )
                print(f"  build: {outcome}")
                print(
                    f"Aggregation {aggregation:.2f} s vs rendering {render + weasy:.2f} s "
                    f"(HTML {render:.2f} s + PDF {weasy:.2f} s); whole build {whole:.2f} s"
                )
                raise Rollback
        except Rollback:
            pass
    left = ReportRow.objects.filter(report__period__year=BENCH_YEAR).count()
    print(f"Rolled back: {left} bench rows left in the database.")


if __name__ == "__main__":
    main()
