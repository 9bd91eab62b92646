"""Measure the API's token-authenticated rows on the scale database.

Run from the repository root against a database filled by ``seed_demo --scale N`` and
migrated (``cp_bench_pages_1000000`` as ``bench/pages.py`` makes it, or a copy of it):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cp_bench_api_1000000 \\
        .venv/bin/python bench/api.py

Inside a transaction rolled back at the end, it makes a coordinator (with an authenticator
app, as tokens require) and a token, then through the Django test client (DEBUG off, the
Bearer header as a script sends it):

- ``rows/?page_size=1000``: the first page and the page 100 cursor pages in, median of
  ``--runs`` after one warm-up (no ``If-None-Match`` is sent, so no answer is a 304); and
  the first page for a staff member of the organisation with the most rows;
- ``rows/export/``: every row streamed as JSON Lines, read chunk by chunk and counted, with
  rows/s and the process's peak resident size before and after (``ru_maxrss``);
- ``figures/`` (the public figures), when the portal has that endpoint.

It asserts nothing; the issue's targets are printed beside the figures.
"""

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cluster_portal.settings")


class Rollback(Exception):
    pass


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _median_ms(call, runs: int) -> tuple[float, object]:
    response = call()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), response


def _coordinator_secret() -> str:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from accounts.models import User
    from api import services

    user = User.objects.create_user(
        email="bench-api-coordinator@example.invalid", password=None, is_coordinator=True
    )
    TOTP.activate(user, generate_totp_secret())
    return services.token_create(user=user, name="bench").secret


def _partner_secret() -> tuple[str, str]:
    """A staff member's token of the organisation with the most rows, and its acronym."""
    from django.db.models import Count

    from accounts.models import User
    from api import services
    from partners.models import MemberRole, Membership, MembershipStatus, Organisation

    organisation = (
        Organisation.objects.annotate(rows=Count("activity_reports__rows"))
        .order_by("-rows")
        .first()
    )
    user = User.objects.create_user(email="bench-api-staff@example.invalid", password=None)
    Membership.objects.create(
        user=user,
        organisation=organisation,
        role=MemberRole.STAFF,
        status=MembershipStatus.ACTIVE,
    )
    return services.token_create(user=user, name="bench").secret, organisation.acronym


def _deep_cursor(client, headers: dict, pages: int) -> str:
    url = "/api/v1/rows/?page_size=1000"
    for _ in range(pages):
        url = client.get(url, headers=headers).json()["next"]
    return url


def measure(runs: int, deep: int) -> None:
    from django.db import connection
    from django.urls import NoReverseMatch, reverse
    from rest_framework.test import APIClient

    from activities.models import ReportRow

    client = APIClient()
    headers = {"Authorization": f"Bearer {_coordinator_secret()}"}
    total = ReportRow.objects.count()
    print(f"Rows in the database: {total:,}")

    first_ms, response = _median_ms(
        lambda: client.get("/api/v1/rows/?page_size=1000", headers=headers), runs
    )
    if response.status_code != 200:
        raise SystemExit(f"rows/ answered {response.status_code}: {response.content[:300]}")
    print(f"rows/?page_size=1000, first page: {first_ms:.1f} ms median of {runs} (target < 150)")
    deep_url = _deep_cursor(client, headers, deep)
    deep_ms, response = _median_ms(lambda: client.get(deep_url, headers=headers), runs)
    rows = len(response.json()["results"])
    print(f"rows/ page {deep + 1} by cursor ({rows} rows): {deep_ms:.1f} ms median of {runs}")
    secret, acronym = _partner_secret()
    partner = {"Authorization": f"Bearer {secret}"}
    partner_ms, response = _median_ms(
        lambda: client.get("/api/v1/rows/?page_size=1000", headers=partner), runs
    )
    rows = len(response.json()["results"])
    print(f"rows/?page_size=1000 as a partner ({acronym}, {rows} rows): {partner_ms:.1f} ms")

    rss_before = _rss_mb()
    start = time.perf_counter()
    response = client.get("/api/v1/rows/export/", headers=headers)
    lines = 0
    size = 0
    for chunk in response.streaming_content:
        lines += chunk.count(b"\n")
        size += len(chunk)
    seconds = time.perf_counter() - start
    print(
        f"rows/export/: {lines:,} rows, {size / 1e6:.0f} MB in {seconds:.1f} s = "
        f"{lines / seconds:,.0f} rows/s (target >= 10,000); peak RSS {rss_before:.0f} MB "
        f"before, {_rss_mb():.0f} MB after"
    )
    try:
        figures = reverse("api_v1:figures")
    except NoReverseMatch:
        print("figures/: not on this branch")
    else:
        figures_ms, response = _median_ms(lambda: client.get(figures), runs)
        print(
            f"figures/: {figures_ms:.1f} ms median of {runs} (target < 100), {response.status_code}"
        )
    print(f"Database: {connection.settings_dict['NAME']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--deep", type=int, default=100, help="cursor pages to walk in")
    arguments = parser.parse_args()

    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]
    from django.db import transaction

    try:
        with transaction.atomic():
            measure(arguments.runs, arguments.deep)
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
