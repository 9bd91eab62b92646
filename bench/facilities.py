"""Measure the health facilities tab at scale (issue 25's target: under 150 ms with 5,000
facilities and 60,000 status records).

Run from the repository root against a migrated PostgreSQL database holding areas (the
large dataset's, ``seed_demo --scale``, or any):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<database> .venv/bin/python bench/facilities.py

It adds ``--facilities`` facilities spread over the admin2 areas with ``--statuses`` validated
status records over the last year, in a transaction rolled back at the end, then prints the
median of ``--repeat`` requests of the dashboard's facilities tab through the test client,
for a coordinator and for a visitor, computed afresh (the analysis cache's versions replaced
before each), warmed (replaced, then computed by ``cluster_portal.warming`` as a worker does
after a status is validated, untimed) and warm, with the query counts. It asserts nothing.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cluster_portal.settings")


def fill(facilities: int, statuses: int) -> None:
    from django.utils import timezone

    from facilities.defaults import load_lists
    from facilities.models import AttackType, Facility, FacilityStatus, FacilityType
    from locations.models import AdminArea

    load_lists(AttackType, FacilityType)
    rng = random.Random(25)  # noqa: S311 - invented data
    areas = list(AdminArea.objects.filter(level=2).values_list("pk", flat=True))
    types = list(FacilityType.objects.all())
    made = Facility.objects.bulk_create(
        [
            Facility(
                code=f"BENCH-{number:05d}",
                name_en=f"Facility {number}",
                type=rng.choice(types),
                ownership="public",
                area_id=rng.choice(areas),
                longitude=44 + rng.random(),
                latitude=15 + rng.random(),
            )
            for number in range(facilities)
        ],
        batch_size=2000,
    )
    today = timezone.localdate()
    per = max(1, statuses // facilities)
    records = []
    for facility in made:
        for back in range(per):
            records.append(
                FacilityStatus(
                    facility=facility,
                    as_of=today - datetime.timedelta(days=30 * back + rng.randint(0, 20)),
                    functionality=rng.choice(("fully", "fully", "partially", "not")),
                    building="intact",
                    accessibility="fully",
                    causes=[],
                    source="bench",
                    state="validated",
                )
            )
    FacilityStatus.objects.bulk_create(records, batch_size=5000)
    print(f"facilities: {len(made):,}, statuses: {len(records):,}")


def measure(repeat: int) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accounts.models import User
    from analysis import cache as analysis_cache
    from cluster_portal import warming
    from core import page_cache

    coordinator = User.objects.filter(is_coordinator=True).first() or User.objects.create_user(
        email="bench-facilities@example.invalid", password=None, is_coordinator=True
    )
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    url = reverse("analysis:facilities")
    for label, user in (("coordinator", coordinator), ("visitor", None)):
        client = Client()
        if user is not None:
            client.force_login(user)
        for mode in ("afresh", "warmed", "warm"):
            client.get(url)
            times = []
            for _ in range(repeat):
                if mode != "warm":
                    analysis_cache.bump()
                    page_cache.bump()
                if mode == "warmed":
                    warming.warm()  # what a worker does a few seconds after the change
                started = time.perf_counter()
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url)
                times.append(time.perf_counter() - started)
            if response.status_code != 200:
                print(response.content.decode()[:2000])
                raise SystemExit(f"{label}: {response.status_code}")
            print(
                f"{label}, {mode}: median"
                f" {statistics.median(times) * 1000:.0f} ms, {len(queries)} queries,"
                f" {len(response.content) / 1024:.0f} KB"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--facilities", type=int, default=5000)
    parser.add_argument("--statuses", type=int, default=60000)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import transaction

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            fill(args.facilities, args.statuses)
            measure(args.repeat)
            raise Rollback
    except Rollback:
        print("rolled back")


if __name__ == "__main__":
    main()
