"""Measure the figures' warming after a validation (issue 22: no reader waits for them).

Run from the repository root (PostgreSQL on 127.0.0.1):

    .venv/bin/python bench/warming.py                        # 1,000,000 rows, reused if there
    .venv/bin/python bench/warming.py --scale 100000

It uses the database ``cp_bench_pages_<scale>`` that ``bench/pages.py`` makes (and makes it
the same way when it is missing). It prints how long ``cluster_portal.warming.warm`` takes
after the figures' version is replaced, as a validation does (the worker's cost of each
warming), and for the pages it warms, the first request after a validation through the test
client: computed afresh (no warming, the reader computes) and after the warming, for a
visitor, a member and a coordinator; medians of ``--repeat``. It asserts nothing and writes
only the accounts it signs in as (``bench-warming-*@example.invalid``), which it keeps.
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

from bench.coverage import prepare  # noqa: E402

PAGES = ("/en/strategy/", "/en/", "/en/dashboard/", "/en/dashboard/areas/", "/en/dashboard/people/")


def _validated() -> None:
    """What a validation does to the caches: the figures' version and the page cache's."""
    from analysis import cache as analysis_cache
    from core import page_cache

    analysis_cache.bump_figures()
    page_cache.bump()


def _readers() -> dict:
    from accounts.models import User
    from partners.models import MemberRole, Membership, MembershipStatus, Organisation

    coordinator, _made = User.objects.get_or_create(
        email="bench-warming-coordinator@example.invalid", defaults={"is_coordinator": True}
    )
    member, made = User.objects.get_or_create(email="bench-warming-member@example.invalid")
    if made:
        Membership.objects.create(
            user=member,
            organisation=Organisation.objects.approved().first(),
            role=MemberRole.STAFF,
            status=MembershipStatus.ACTIVE,
        )
    return {"visitor": None, "member": member, "coordinator": coordinator}


def _first_request(client, path: str, repeat: int, warm) -> float:
    times = []
    for _ in range(repeat):
        _validated()
        if warm is not None:
            warm()
        started = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{path}: {response.status_code}")
    return statistics.median(times) * 1000


def measure(repeat: int) -> None:
    from django.conf import settings
    from django.test import Client

    from cluster_portal import warming

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    warming.warm()
    took = []
    for _ in range(repeat):
        _validated()
        started = time.perf_counter()
        warming.warm()
        took.append(time.perf_counter() - started)
    print(f"Warming after a validation: {statistics.median(took):.2f} s (median of {repeat}).\n")
    print("| reader | page | first request, afresh | first request, after the warming |")
    print("|---|---|---|---|")
    for role, user in _readers().items():
        client = Client()
        if user is not None:
            client.force_login(user)
        for path in PAGES:
            fresh = _first_request(client, path, repeat, None)
            warmed = _first_request(client, path, repeat, warming.warm)
            print(f"| {role} | `{path}` | {fresh:.0f} ms | {warmed:.0f} ms |")


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
