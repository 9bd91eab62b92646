"""Measure loading a large COD-AB boundary CSV through the coordinators' upload page.

Run from the repository root, against a migrated database that holds no country yet:

    .venv/bin/python bench/boundary_load.py                  # 20,000 admin3 rows, the limit
    .venv/bin/python bench/boundary_load.py --rows 95000     # refused at line 20,002

It writes a CSV of one country, 20 governorates, 400 districts and ``--rows`` sub-districts
(admin3, about 50 bytes a line: 95,000 rows are 4.4 MiB, under the 5 MB limit), then, each
in a fresh Python process so that the peak resident size is the step's own, posts it to
``locations:upload`` as a coordinator, after a first page served: a dry run into the empty
tree, a load, a dry run of the same file over the loaded tree (a reload), and a load of the
same areas with every name changed (a rename). Everything is rolled back. It prints the
time of the request, the answer's status and size, Python's peak allocations during the
request (tracemalloc, which slows it about twofold: the time is measured in a second
request without it) and the process's peak resident size (ru_maxrss). It asserts nothing.
"""

import argparse
import json
import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cluster_portal.settings")

GOVERNORATES = 20
DISTRICTS = 400


def make_csv(rows: int) -> bytes:
    """A COD-AB table of ``rows`` admin3 areas: about 50 bytes a line."""
    header = "ADM0_EN,ADM0_PCODE,ADM1_EN,ADM1_PCODE,ADM2_EN,ADM2_PCODE,ADM3_EN,ADM3_PCODE"
    lines = [header]
    for index in range(rows):
        district = index % DISTRICTS
        governorate = district % GOVERNORATES
        lines.append(
            f"Bench,BX,G{governorate},BX{governorate:02d},D{district},"
            f"BX{governorate:02d}{district:03d},S{index},BX{district:03d}{index:05d}"
        )
    return ("\n".join(lines) + "\n").encode()


def renamed(data: bytes) -> bytes:
    """The same areas, every admin3 name changed."""
    return data.replace(b",S", b",Renamed S")


def _request(client, data: bytes, dry_run: bool):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    fields = {"file": SimpleUploadedFile("cod-ab.csv", data, content_type="text/csv")}
    if dry_run:
        fields["dry_run"] = "on"
    return client.post(reverse("locations:upload"), fields)


def run_one(step: str, rows: int) -> dict:
    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = False
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User
    from bench.common import Rollback, maxrss

    data = make_csv(rows)
    figures = {"step": step, "bytes": len(data), "rss_start": maxrss()}
    try:
        with transaction.atomic():
            coordinator = User.objects.create_user(
                "boundary-bench@example.org", None, is_coordinator=True
            )
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(coordinator)
            client.get(reverse("locations:upload"))  # as a worker that has served a page
            if step in ("reload (dry run)", "rename"):
                _request(client, data, dry_run=False)
                figures["rss_start"] = maxrss()
            if step == "rename":
                data = renamed(data)
            dry_run = step not in ("load", "rename")
            with transaction.atomic():
                started = time.perf_counter()
                response = _request(client, data, dry_run)
                figures["seconds"] = time.perf_counter() - started
                transaction.set_rollback(True)
            figures["rss"] = maxrss()
            tracemalloc.start()
            with transaction.atomic():
                _request(client, data, dry_run)
                transaction.set_rollback(True)
            figures["traced"] = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            figures["status"] = response.status_code
            figures["html"] = len(response.content)
            raise Rollback
    except Rollback:
        pass
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.one:
        print(json.dumps(run_one(options.one, options.rows)))
        return
    print(f"{options.rows:,} admin3 rows, {len(make_csv(options.rows)) / 2**20:.2f} MiB of CSV")
    for step in ("dry run", "load", "reload (dry run)", "rename"):
        command = [sys.executable, __file__, "--one", step, "--rows", str(options.rows)]
        result = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
        item = json.loads(result.stdout.strip().splitlines()[-1])
        print(
            f"  {item['step']:<18} {item['seconds']:7.2f} s  {item['status']}  "
            f"html {item['html'] / 1024:7.1f} KiB  traced {item['traced'] / 2**20:7.1f} MiB  "
            f"rss {item['rss_start'] / 2**20:6.1f} -> {item['rss'] / 2**20:6.1f} MiB"
        )


if __name__ == "__main__":
    main()
