"""Measure an activity report's pages (4W) at growing numbers of rows.

Run from the repository root, against a migrated database:

    .venv/bin/python bench/report_pages.py                       # 100, 500, 1,000, 2,000 rows
    .venv/bin/python bench/report_pages.py --sizes 500,20000 --runs 1

For each size it starts a fresh Python process (so that the peak resident size is the
size's own), makes a country of 20 governorates and 300 districts, 150 approved
organisations, 40 activities, an open period, a focal point, a coordinator and a draft
report of that many rows, all inside a transaction rolled back at the end. Through the
Django test client it then requests, in this order: the last page of the focal point's edit
page (GET; its rows and any blank rows), that page saved unchanged (POST, as a browser sends
it), the report's page; the
submission; the coordinator's report page and return page (one comment box per row); and
the validation (POST). It prints per step the median time of ``--runs`` requests (one for
the writes), the HTML size (raw and gzipped), the answer's status, the queries, and the
process's peak resident size after the step (``ru_maxrss``, which only grows); with
``--trace`` also Python's peak allocations during the step (tracemalloc, about twice as
slow). It asserts nothing.
"""

import argparse
import datetime
import gzip
import json
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cluster_portal.settings")

GOVERNORATES = 20
DISTRICTS_EACH = 15
ORGANISATIONS = 150
ACTIVITIES = 40


def _setup_django() -> None:
    import django
    from django.conf import settings

    django.setup()
    # As in production: no query log, templates compiled without debug information.
    settings.DEBUG = False


def _records(rows: int):
    from django.utils import timezone

    from accounts.models import User
    from activities.models import Activity, Collects, Report, ReportingPeriod, ReportRow
    from locations.models import AdminArea, AdminLevel
    from partners.models import (
        MemberRole,
        Membership,
        MembershipStatus,
        Organisation,
        OrganisationStatus,
        OrganisationType,
    )
    from strategy.models import Indicator

    now = timezone.now()
    country = AdminArea.objects.create(pcode="BR", level=AdminLevel.ADMIN0, name_en="Bench")
    districts = []
    for number in range(GOVERNORATES):
        governorate = AdminArea.objects.create(
            pcode=f"BR{number:02d}",
            level=AdminLevel.ADMIN1,
            parent=country,
            name_en=f"Governorate {number}",
        )
        for inner in range(DISTRICTS_EACH):
            districts.append(
                AdminArea.objects.create(
                    pcode=f"BR{number:02d}{inner:02d}",
                    level=AdminLevel.ADMIN2,
                    parent=governorate,
                    name_en=f"District {number}-{inner}",
                )
            )
    organisations = [
        Organisation.objects.create(
            name_en=f"Bench partner {number}",
            acronym=f"BP{number:03d}",
            type=OrganisationType.NATIONAL_NGO,
            contact_name="Bench",
            contact_email=f"bench{number}@example.org",
            status=OrganisationStatus.APPROVED,
        )
        for number in range(ORGANISATIONS)
    ]
    indicator = Indicator.objects.first() or _indicator()
    activities = Activity.objects.bulk_create(
        Activity(
            indicator=indicator,
            code=f"BR{number:03d}",
            name_en=f"Bench activity {number}",
            unit="people",
            collects=Collects.COUNT if number % 2 else Collects.GROUPS,
            **dict.fromkeys(
                ("counts_girls", "counts_boys", "counts_women", "counts_men"), number % 2 == 0
            ),
            counts_older_people=True,
        )
        for number in range(ACTIVITIES)
    )
    period = ReportingPeriod.objects.filter(year=2098, month=1).first() or (
        ReportingPeriod.objects.create(
            year=2098,
            month=1,
            opens_at=now - datetime.timedelta(days=1),
            deadline=now + datetime.timedelta(days=20),
        )
    )
    owner = organisations[0]
    focal = User.objects.create_user("report-pages-focal@example.org", None)
    Membership.objects.create(
        user=focal, organisation=owner, role=MemberRole.FOCAL_POINT, status=MembershipStatus.ACTIVE
    )
    coordinator = User.objects.create_user(
        "report-pages-cora@example.org", None, is_coordinator=True
    )
    report = Report.objects.create(organisation=owner, period=period, created_by=focal)
    combinations = ACTIVITIES * len(districts)
    new_rows = []
    for index in range(rows):
        activity = activities[index % ACTIVITIES]
        split = activity.collects == Collects.GROUPS
        girls, boys, women, men = 1, 2, 3, 4 + index % 7
        new_rows.append(
            ReportRow(
                report=report,
                activity=activity,
                area=districts[(index // ACTIVITIES) % len(districts)],
                implementing_organisation=organisations[(index // combinations) % ORGANISATIONS],
                donor=f"Donor {index % 11}",
                status="ongoing",
                girls=girls if split else None,
                boys=boys if split else None,
                women=women if split else None,
                men=men if split else None,
                older_people=1,
                total=girls + boys + women + men,
                order=index,
            )
        )
    ReportRow.objects.bulk_create(new_rows, batch_size=5_000)
    return focal, coordinator, report


def _indicator():
    """The smallest chain the catalogue hangs on (not the test factories: Faker weighs 100 MB)."""
    from strategy.models import Indicator, StrategicObjective, StrategyCycle

    cycle = StrategyCycle.objects.create(
        title_en="Bench strategy", start_year=2098, end_year=2099, is_current=False
    )
    objective = StrategicObjective.objects.create(cycle=cycle, code="SO1", title_en="Bench")
    return Indicator.objects.create(
        objective=objective, code="1.1", name_en="People reached", baseline=0, target=1000
    )


def _last_page(report) -> tuple[int, list]:
    """The number and rows of the edit page's last page (the one with blank rows too)."""
    from django.core.paginator import Paginator

    from activities.forms.reports import ROWS_PER_PAGE
    from activities.selectors_reports import report_rows

    pages = Paginator(report_rows(report), ROWS_PER_PAGE)
    last = pages.page(pages.num_pages)
    return last.number, list(last.object_list)


def _edit_post(rows) -> dict:
    """What a browser sends when an edit page of these rows is saved unchanged."""
    from activities.forms.reports import row_initial

    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(len(rows)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for number, row in enumerate(rows):
        asked = set(row.activity.figures)
        for name, value in row_initial(row).items():
            if name in asked or name not in ("girls", "boys", "women", "men", "older_people"):
                data[f"form-{number}-{name}"] = "" if value is None else str(value)
    return data


def _measure(label, request, runs: int, trace: bool) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.common import maxrss

    times = []
    response = None
    peak = None
    for _run in range(runs):
        if trace:
            tracemalloc.start()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = request()
            times.append(time.perf_counter() - started)
        if trace:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    body = getattr(response, "content", b"") or b""
    return {
        "step": label,
        "seconds": statistics.median(times),
        "status": response.status_code,
        "bytes": len(body),
        "gzip": len(gzip.compress(body, 6)) if body else 0,
        "queries": len(queries),
        "rss": maxrss(),
        "traced": peak,
    }


def run_one(rows: int, runs: int, trace: bool) -> list[dict]:
    """Every step for one report size, rolled back; a list of figures per step."""
    _setup_django()
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    from activities.services import reports as report_services
    from bench.common import Rollback, maxrss

    translation.activate("en")
    figures = [{"step": "start", "rss": maxrss()}]
    try:
        with transaction.atomic():
            focal, coordinator, report = _records(rows)
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(focal)
            page, page_rows = _last_page(report)
            edit = reverse("activities:report_edit", args=[report.pk]) + f"?page={page}"
            detail = reverse("activities:report", args=[report.pk])
            data = _edit_post(page_rows)
            figures.append({"step": "records", "rss": maxrss(), "fields": len(data)})
            figures.append(_measure("edit page (GET)", lambda: client.get(edit), runs, trace))
            figures.append(
                _measure(
                    "edit page saved unchanged (POST)", lambda: client.post(edit, data), 1, trace
                )
            )
            figures.append(
                _measure("report page, focal point", lambda: client.get(detail), runs, trace)
            )
            figures.append(
                _measure(
                    "submit",
                    lambda: _as_response(report_services.report_submit, report, focal),
                    1,
                    trace,
                )
            )
            client.force_login(coordinator)
            figures.append(
                _measure("report page, coordinator", lambda: client.get(detail), runs, trace)
            )
            figures.append(
                _measure(
                    "return page (GET)",
                    lambda: client.get(reverse("activities:report_return", args=[report.pk])),
                    runs,
                    trace,
                )
            )
            figures.append(
                _measure(
                    "validate (POST)",
                    lambda: client.post(reverse("activities:report_validate", args=[report.pk])),
                    1,
                    trace,
                )
            )
            raise Rollback
    except Rollback:
        pass
    return figures


class _Done:
    status_code = 200
    content = b""


def _as_response(service, report, user):
    service(report=report, by=user)
    return _Done()


def _print(rows: int, figures: list[dict]) -> None:
    print(f"\n{rows:,} rows")
    for item in figures:
        if "seconds" not in item:
            extra = (
                f", {item['fields']:,} fields in the edit page's POST" if "fields" in item else ""
            )
            print(f"  {item['step']:<34} rss {item['rss'] / 2**20:7.1f} MiB{extra}")
            continue
        traced = f"  traced {item['traced'] / 2**20:7.1f} MiB" if item["traced"] else ""
        print(
            f"  {item['step']:<34} {item['seconds']:8.3f} s  {item['status']}  "
            f"{item['bytes'] / 1024:9.1f} KiB ({item['gzip'] / 1024:7.1f} gz)  "
            f"{item['queries']:4d} q  rss {item['rss'] / 2**20:7.1f} MiB{traced}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,500,1000,2000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--trace", action="store_true", help="Python's peak allocations too")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.one is not None:
        print(json.dumps(run_one(options.one, options.runs, options.trace)))
        return
    for rows in (int(size) for size in options.sizes.split(",")):
        command = [sys.executable, __file__, "--one", str(rows), "--runs", str(options.runs)]
        if options.trace:
            command.append("--trace")
        result = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
        _print(rows, json.loads(result.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    main()
