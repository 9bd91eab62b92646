"""Time importing an Excel template of the most rows a report holds into an activity report (4W).

Run from the repository root:

    .venv/bin/python bench/import_bench.py              # REPORT_MAX_ROWS (500), rolled back after
    .venv/bin/python bench/import_bench.py --rows 100   # a smaller sheet

It makes its own records (a country with admin2 districts, an approved organisation,
a catalogue of activities, an open period, a coordinator and a draft report) inside a
transaction that is rolled back at the end, builds a valid sheet from the report's own
template, then times reading and checking the sheet (``import_check``), comparing it with
the draft, and confirming it (``import_confirm``), twice: into the empty draft, then a
second file that changes every row of the now full draft. It prints the time of each step
and the peak memory that Python allocated (tracemalloc) and the process's peak resident
size (ru_maxrss).
"""

import argparse
import datetime
import io
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cluster_portal.settings")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone, translation  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from accounts.models import User  # noqa: E402
from activities import excel  # noqa: E402
from activities.models import Activity, Collects, Report, ReportingPeriod, ReportRow  # noqa: E402
from activities.services import imports  # noqa: E402
from locations.models import AdminArea, AdminLevel  # noqa: E402
from partners.models import Organisation, OrganisationStatus, OrganisationType  # noqa: E402
from strategy.models import Indicator  # noqa: E402
from tests.activities.factories import IndicatorFactory  # noqa: E402

DISTRICTS = 60
ACTIVITIES = 40


class Rollback(Exception):
    """Raised to undo everything the bench wrote."""


def _records():
    now = timezone.now()
    country = AdminArea.objects.create(pcode="BQ", level=AdminLevel.ADMIN0, name_en="Bench")
    region = AdminArea.objects.create(
        pcode="BQ01", level=AdminLevel.ADMIN1, parent=country, name_en="Bench region"
    )
    for number in range(DISTRICTS):
        AdminArea.objects.create(
            pcode=f"BQ01{number:02d}",
            level=AdminLevel.ADMIN2,
            parent=region,
            name_en=f"Bench district {number}",
        )
    organisation = Organisation.objects.create(
        name_en="Bench Health Partner",
        acronym="BHP-BENCH",
        type=OrganisationType.NATIONAL_NGO,
        contact_name="Bench",
        contact_email="bench@example.org",
        status=OrganisationStatus.APPROVED,
    )
    # The catalogue hangs on the strategy's indicators: reuse one, or make the smallest chain.
    indicator = Indicator.objects.first() or IndicatorFactory()
    Activity.objects.bulk_create(
        Activity(
            indicator=indicator,
            code=f"BQ{number:03d}",
            name_en=f"Bench activity {number}",
            unit="people",
            # Even ones count people by sex and age, odd ones are single counts.
            collects=Collects.COUNT if number % 2 else Collects.GROUPS,
            **dict.fromkeys(
                ("counts_girls", "counts_boys", "counts_women", "counts_men"), number % 2 == 0
            ),
            counts_older_people=True,
        )
        for number in range(ACTIVITIES)
    )
    period = ReportingPeriod.objects.filter(year=2099, month=1).first() or (
        ReportingPeriod.objects.create(
            year=2099,
            month=1,
            opens_at=now - datetime.timedelta(days=1),
            deadline=now + datetime.timedelta(days=1),
        )
    )
    user = User.objects.create_superuser("import-bench@example.org", "unused-password-bench")
    report = Report.objects.create(organisation=organisation, period=period, created_by=user)
    return user, report


def _sheet(report: Report, count: int, shift: int) -> bytes:
    """A valid sheet of ``count`` rows laid out as the template, written in streaming mode."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Report")
    sheet.append(["Organisation", str(report.organisation.name)])
    sheet.append(["Reporting period", str(report.period)])
    sheet.append(["Template reference", excel.reference(report)])
    sheet.append([])
    sheet.append([str(column.header) for column in excel.COLUMNS])
    for index in range(count):
        activity = index % ACTIVITIES
        girls, boys, women, men = 1 + shift, 2, 3, 4 + index % 7
        total = girls + boys + women + men
        split = activity % 2 == 0
        sheet.append(
            [
                f"BQ{activity:03d}",
                None,
                f"BQ01{(index // ACTIVITIES) % DISTRICTS:02d}",
                None,
                "BHP-BENCH" if index % 3 else None,
                None if index % 3 else f"Local partner {index // (ACTIVITIES * DISTRICTS)}",
                f"Donor {index % 11}",
                "Ongoing",
                girls if split else None,
                boys if split else None,
                women if split else None,
                men if split else None,
                1,
                None,
                total,
            ]
        )
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _timed(label: str, figures: dict, step):
    start = time.perf_counter()
    result = step()
    figures[label] = time.perf_counter() - start
    return result


def _import(report: Report, user, content: bytes, figures: dict, prefix: str) -> None:
    upload = SimpleUploadedFile("bench.xlsx", content)
    report.refresh_from_db()
    pending = _timed(
        f"{prefix} read and check",
        figures,
        lambda: imports.import_check(report=report, by=user, upload=upload),
    )
    _timed(
        f"{prefix} compare",
        figures,
        lambda: imports.compare(report, imports.pending_rows(pending)),
    )
    _timed(f"{prefix} confirm", figures, lambda: imports.import_confirm(pending=pending, by=user))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=excel.MAX_ROWS)
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="also measure Python's peak allocations (slows every step about twofold)",
    )
    options = parser.parse_args()
    figures: dict[str, float] = {}
    translation.activate("en")
    if options.tracemalloc:
        tracemalloc.start()
    try:
        with transaction.atomic():
            user, report = _records()
            first = _sheet(report, options.rows, shift=0)
            second = _sheet(report, options.rows, shift=1)
            rss_before = _rss()
            if options.tracemalloc:
                tracemalloc.reset_peak()
            started = time.perf_counter()
            _import(report, user, first, figures, "into the empty draft:")
            saved = ReportRow.objects.filter(report=report).count()
            _import(report, user, second, figures, "changing every row:")
            figures["total"] = time.perf_counter() - started
            if saved != options.rows:
                raise SystemExit(f"Expected {options.rows} rows saved, found {saved}.")
            raise Rollback
    except Rollback:
        pass
    print(f"Rows per sheet: {options.rows:,} (file of {len(first) / 1024:.0f} kB)")
    for label, seconds in figures.items():
        print(f"{label:<36} {seconds:7.2f} s")
    if options.tracemalloc:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"Peak Python allocations during the imports (tracemalloc): {peak / 2**20:.0f} MB")
    print(f"Peak resident size of the process (ru_maxrss): {_rss():.0f} MB")
    print(f"  of which before the imports started: {rss_before:.0f} MB")


def _rss() -> float:
    """The process's peak resident size so far, in MB (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
