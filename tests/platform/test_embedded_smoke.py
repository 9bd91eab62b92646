"""The embedded mode end to end: a fresh SQLite database, the demo data, a running server.

What `make run` does, checked in a subprocess so the settings are read from a clean
environment: no PostgreSQL, no Redis.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Every page a visitor can open without an account. The embedded server must answer 200.
PUBLIC_PAGES = [
    "/en/",
    "/ar/",
    "/en/accounts/login/",
    "/ar/accounts/login/",
    "/en/accounts/signup/",
    "/en/accounts/password/reset/",
    "/en/areas/",
    "/en/partners/",
    "/ar/partners/",
    "/healthz",
]
STATIC_FILES = ["/static/css/portal.css", "/static/vendor/bootstrap/css/bootstrap.min.css"]

# Variables that would take the subprocess out of the embedded mode.
NOT_EMBEDDED = {
    "DATABASE_URL",
    "REDIS_URL",
    "DEBUG",
    "DEMO_MODE",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "EMAIL_HOST",
    "EMAIL_BACKEND",
    "SECURE_SSL_REDIRECT",
    "MEDIA_ROOT",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def embedded(tmp_path_factory):
    """An embedded-mode environment with its own SQLite file, migrated and seeded."""
    tmp = tmp_path_factory.mktemp("embedded")
    environ = {key: value for key, value in os.environ.items() if key not in NOT_EMBEDDED}
    environ["DATABASE_URL"] = f"sqlite:///{tmp / 'db.sqlite3'}"
    environ["MEDIA_ROOT"] = str(tmp / "media")
    environ["PYTHONUNBUFFERED"] = "1"

    def manage(*args: str, timeout: int = 60) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=environ,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    migrate = manage("migrate", "--noinput")
    assert migrate.returncode == 0, migrate.stdout + migrate.stderr
    seed = manage("seed_demo")
    assert seed.returncode == 0, "seed_demo failed:\n" + seed.stdout + seed.stderr
    return environ, manage


@pytest.fixture(scope="module")
def server(embedded):
    environ, _manage = embedded
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            break
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("runserver did not start:\n" + (process.stderr.read() or ""))
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=10)


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_seeding_twice_changes_nothing(embedded):
    _environ, manage = embedded
    again = manage("seed_demo")
    assert again.returncode == 0, again.stdout + again.stderr


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_public_page_answers_in_embedded_mode(server, path):
    status, body = fetch(server + path)
    assert status == 200, f"{path}: {status}\n{body.decode(errors='replace')[:2000]}"


def test_the_health_check_reports_redis_not_configured(server):
    status, body = fetch(server + "/healthz")
    assert status == 200
    assert b'"redis": "not configured"' in body


@pytest.mark.parametrize("path", STATIC_FILES)
def test_static_files_are_served_without_a_separate_web_server(server, path):
    status, body = fetch(server + path)
    assert status == 200
    assert body


def test_the_demo_banner_says_the_data_is_invented(server):
    _status, body = fetch(server + "/en/")
    assert b"Demonstration data." in body


def test_the_funding_by_area_adds_up_to_the_total_on_sqlite(embedded):
    """A project's share of 60 % was 60 / 100 = 0 on SQLite, which divides whole numbers as
    whole numbers: the demo's areas added up to less than half of its total."""
    _environ, manage = embedded
    code = (
        # The demo's projects run over the twelve months up to the day it is seeded
        # (``demo.projects``): that year, whatever today's date.
        "import datetime; from analysis import funding; from demo.projects import _anchor; "
        "t = datetime.date.today(); "
        "f = funding.funding_figures.uncached(_anchor(t), t.replace(day=1)); "
        "print('FUNDING', f.total.required, sum(r.required for r in f.by_admin1), "
        "len(f.by_admin1))"
    )
    found = manage("shell", "-c", code)
    assert found.returncode == 0, found.stdout + found.stderr
    [line] = [line for line in found.stdout.splitlines() if line.startswith("FUNDING ")]
    total, parts, rows = line.split()[1:]
    assert int(rows) > 2
    assert float(parts) == pytest.approx(float(total))


def test_the_demo_s_boundaries_are_mapped_on_sqlite(server):
    """The boundaries are GeoJSON in a JSON column read by shapely, the same on SQLite as
    on PostgreSQL: the demo's, loaded by ``seed_demo``, draw the home page's map."""
    _status, body = fetch(server + "/en/")
    page = body.decode()
    start = page.index('aria-labelledby="map-presence-caption"')
    svg = page[page.index("<svg", start) : page.index("</svg>", start)]
    # Demoland's twenty governorates, each a shape with its name.
    assert svg.count("<title>") == 20, svg[:500]
    for name in (
        "Northern Hills",
        "River Valley",
        "Coastal Region",
        "Eastern Plains",
        "Marshlands",
    ):
        assert f"<title>{name}" in svg
