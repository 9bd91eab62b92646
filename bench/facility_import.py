"""Time importing the statuses of 5,000 health facilities from the statuses template (issue
25's target: under 10 s), and the facilities themselves.

Run from the repository root:

    .venv/bin/python bench/facility_import.py                    # 5,000 facilities, rolled back
    .venv/bin/python bench/facility_import.py --facilities 10000 # the most a sheet holds

It makes its own records in a transaction rolled back at the end: a country with 60 admin2
districts, an approved partner supporting every facility, one of its staff and a
coordinator. It times, for ``--facilities`` rows each: importing the facilities from the
facilities template (every row without a code, so the portal gives each one) and importing
the same sheet again with every name changed; building the statuses template of the partner
(listing every facility it supports); checking a filled statuses sheet (the dry run); the
partner importing it (statuses for review); a coordinator importing another for the partner,
validated at once. It prints the time of each step, the file sizes, the query counts and the
process's peak resident size (ru_maxrss); ``--tracemalloc`` also prints Python's peak
allocations (it slows every step about twofold).
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
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone, translation  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

from accounts.models import User  # noqa: E402
from core.sheets import FIRST_DATA_ROW  # noqa: E402
from facilities import imports, sheets  # noqa: E402
from facilities.defaults import load_lists  # noqa: E402
from facilities.models import (  # noqa: E402
    AttackType,
    Facility,
    FacilityStatus,
    FacilitySupport,
    FacilityType,
)
from locations.models import AdminArea, AdminLevel  # noqa: E402
from partners.models import (  # noqa: E402
    MemberRole,
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationStatus,
    OrganisationType,
)

DISTRICTS = 60
FUNCTIONALITY = ("Fully functioning", "Partially functioning", "Not functioning")


class Rollback(Exception):
    """Raised to undo everything the bench wrote."""


def _records() -> tuple[User, User, Organisation]:
    load_lists(AttackType, FacilityType)
    country = AdminArea.objects.create(pcode="BF", level=AdminLevel.ADMIN0, name_en="Bench")
    region = AdminArea.objects.create(
        pcode="BF01", level=AdminLevel.ADMIN1, parent=country, name_en="Bench region"
    )
    for number in range(DISTRICTS):
        AdminArea.objects.create(
            pcode=f"BF01{number:02d}",
            level=AdminLevel.ADMIN2,
            parent=region,
            name_en=f"Bench district {number}",
        )
    partner = Organisation.objects.create(
        name_en="Bench Health Partner",
        acronym="BHP-BENCH",
        type=OrganisationType.NATIONAL_NGO,
        contact_name="Bench",
        contact_email="bench@example.org",
        status=OrganisationStatus.APPROVED,
    )
    staff = User.objects.create_user("facility-bench-staff@example.org", "unused-password-b")
    Membership.objects.create(
        user=staff, organisation=partner, role=MemberRole.STAFF, status=MembershipStatus.ACTIVE
    )
    coordinator = User.objects.create_user(
        "facility-bench-coordinator@example.org", "unused-password-b", is_coordinator=True
    )
    return staff, coordinator, partner


def _workbook(kind: str, rows) -> bytes:
    """A filled template of ``kind``, written in streaming mode as a large one is."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(sheets.SHEET_TITLES[kind]))
    sheet.append([str(column.header) for column in sheets.COLUMNS[kind]])
    sheet.append([column.tag for column in sheets.COLUMNS[kind]])
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _facilities_sheet(count: int, *, codes: list[str] | None = None, suffix: str = "") -> bytes:
    return _workbook(
        sheets.FACILITIES,
        (
            [
                codes[number] if codes else None,
                f"Bench facility {number}{suffix}",
                None,
                "Hospital" if number % 10 == 0 else "phc",
                "public",
                f"BF01{number % DISTRICTS:02d}",
                None,
                None,
                "nutrition, child-health" if number % 2 else None,
            ]
            for number in range(count)
        ),
    )


def _statuses_sheet(codes: list[str], *, days_ago: int, organisation: str = "") -> bytes:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return _workbook(
        sheets.STATUSES,
        (
            [
                code,
                None,
                day,
                FUNCTIONALITY[number % 3],
                "intact" if number % 4 else "partially",
                "fully",
                None if number % 3 == 0 else "staff, Lack of utilities (power, fuel, water)",
                number % 200 or None,
                "Monthly visit",
                organisation,
            ]
            for number, code in enumerate(codes)
        ),
    )


def _timed(label: str, figures: dict, step):
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = step()
        figures[label] = (time.perf_counter() - start, len(queries))
    return result


def _upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("bench.xlsx", content)


def _run(count: int, figures: dict, sizes: dict) -> None:
    staff, coordinator, partner = _records()
    added = _facilities_sheet(count)
    sizes["facilities sheet"] = len(added)
    result = _timed(
        "facilities: add (the portal gives codes)",
        figures,
        lambda: imports.facilities_import(upload=_upload(added), by=coordinator),
    )
    codes = [facility.code for facility in result.added]
    changed = _facilities_sheet(count, codes=codes, suffix=" (renamed)")
    _timed(
        "facilities: change every one",
        figures,
        lambda: imports.facilities_import(upload=_upload(changed), by=coordinator),
    )
    FacilitySupport.objects.bulk_create(
        FacilitySupport(
            facility_id=pk,
            organisation=partner,
            kind="staff",
            start=datetime.date(2020, 1, 1),
        )
        for pk in Facility.objects.filter(code__in=codes).values_list("pk", flat=True)
    )
    template = _timed(
        "statuses: the partner's template", figures, lambda: sheets.statuses_template(staff)
    )
    listed = template.read()
    sizes["statuses template"] = len(listed)
    rows = load_workbook(io.BytesIO(listed), read_only=True).worksheets[0].max_row
    if rows != count + FIRST_DATA_ROW - 1:
        raise SystemExit(f"The partner's template lists {rows - 2} facilities, not {count}.")
    statuses = _statuses_sheet(codes, days_ago=3)
    sizes["statuses sheet"] = len(statuses)
    _timed(
        "statuses: check only (dry run)",
        figures,
        lambda: imports.statuses_import(upload=_upload(statuses), by=staff, dry_run=True),
    )
    _timed(
        "statuses: partner, for review",
        figures,
        lambda: imports.statuses_import(upload=_upload(statuses), by=staff),
    )
    validated = _statuses_sheet(codes, days_ago=1, organisation="BHP-BENCH")
    _timed(
        "statuses: coordinator, validated",
        figures,
        lambda: imports.statuses_import(upload=_upload(validated), by=coordinator, validate=True),
    )
    recorded = FacilityStatus.objects.filter(facility__code__in=codes).count()
    if recorded != 2 * count:
        raise SystemExit(f"Expected {2 * count} statuses recorded, found {recorded}.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facilities", type=int, default=5000)
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="also measure Python's peak allocations (slows every step about twofold)",
    )
    options = parser.parse_args()
    translation.activate("en")
    figures: dict[str, tuple[float, int]] = {}
    sizes: dict[str, int] = {}
    if options.tracemalloc:
        tracemalloc.start()
    rss_before = _rss()
    try:
        with transaction.atomic():
            _run(options.facilities, figures, sizes)
            raise Rollback
    except Rollback:
        pass
    print(f"{connection.vendor}, {options.facilities:,} facilities")
    for label, size in sizes.items():
        print(f"{label:<36} {size / 1024:7.0f} kB")
    for label, (seconds, queries) in figures.items():
        print(f"{label:<36} {seconds:7.2f} s  {queries:5d} queries")
    if options.tracemalloc:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"Peak Python allocations (tracemalloc): {peak / 2**20:.0f} MB")
    print(f"Peak resident size of the process (ru_maxrss): {_rss():.0f} MB")
    print(f"  of which before the bench started: {rss_before:.0f} MB")


def _rss() -> float:
    """The process's peak resident size so far, in MB (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
