"""The portal under gunicorn, with deploy/gunicorn.conf.py and production variables.

A smoke test of what only production runs: DEBUG off with a real SECRET_KEY, the host
check, the https redirect behind a proxy that sends X-Forwarded-Proto, fingerprinted
static files from a manifest, gunicorn's threaded workers and its access log. Static files
are collected with Django's ManifestStaticFilesStorage, whose manifest is whitenoise's
without the compression (which takes a minute): a template naming a file that is missing
fails the same way.
"""

import http.client
import json
import os
import runpy
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "deploy" / "gunicorn.conf.py"

SETTINGS = """from cluster_portal.settings import *  # noqa: F403

STATIC_ROOT = {static_root!r}
STORAGES = {{
    **STORAGES,  # noqa: F405
    "staticfiles": {{
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
    }},
}}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    host, port = s.get("HOST") or "127.0.0.1", s.get("PORT") or 5432
    return f"postgresql://{s.get('USER') or 'postgres'}{password}@{host}:{port}/{s['NAME']}"


def fetch(port: int, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """One request, without following redirects."""
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        client.request("GET", path, headers=headers)
        response = client.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        client.close()


@pytest.fixture
def gunicorn(tmp_path):
    (tmp_path / "gunicorn_test_settings.py").write_text(
        SETTINGS.format(static_root=str(tmp_path / "static"))
    )
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "EMAIL_HOST", "EMAIL_BACKEND"}
    }
    port = free_port()
    environ.update(
        DJANGO_SETTINGS_MODULE="gunicorn_test_settings",
        PYTHONPATH=os.pathsep.join([str(tmp_path), str(ROOT), os.environ.get("PYTHONPATH", "")]),
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url(),
        SECURE_SSL_REDIRECT="true",
        MEDIA_ROOT=str(tmp_path / "media"),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
        GUNICORN_THREADS="2",
    )
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert collected.returncode == 0, collected.stderr
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            str(CONFIG),
            "cluster_portal.wsgi",
        ],
        cwd=ROOT,
        env=environ,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            fetch(port, "/healthz")
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("gunicorn did not start:\n" + (tmp_path / "gunicorn.log").read_text())
            time.sleep(0.1)
    yield port, process, tmp_path / "gunicorn.log"
    if process.poll() is None:
        process.kill()
        process.wait(timeout=10)
    log.close()


def test_recycled_workers_restart_at_spread_out_times():
    # The workers share the requests evenly, so a narrow jitter restarts them all together:
    # bench/load.py measured stalls of a second or more with 5,000 + 500 on two cores.
    config = runpy.run_path(str(CONFIG))
    if config["max_requests"]:
        assert config["max_requests_jitter"] >= config["max_requests"] / 2


@pytest.mark.django_db(transaction=True)
def test_gunicorn_serves_the_public_pages_and_the_health_check_in_production(gunicorn):
    port, process, log = gunicorn

    status, _headers, body = fetch(port, "/healthz")
    assert status == 200
    assert json.loads(body)["checks"]["database"] == "ok"

    status, headers, body = fetch(
        port, "/en/", **{"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    )
    assert status == 200
    assert "max-age=" in headers["Strict-Transport-Security"]
    # Fingerprinted by the manifest, so browsers may keep it for a year.
    assert "/static/css/portal." in body.decode()
    assert "/static/css/portal.css" not in body.decode()
    again = fetch(port, "/en/", **{"X-Forwarded-Proto": "https"})
    assert again[0] == 200
    assert again[1]["X-Page-Cache"] == "hit"

    # Without the proxy's header the request came over http: it is sent to https.
    status, headers, _body = fetch(port, "/ar/")
    assert status == 301
    assert headers["Location"] == f"https://127.0.0.1:{port}/ar/"

    status, _headers, _body = fetch(port, "/en/", Host="evil.example.org")
    assert status == 400

    # A graceful stop: gunicorn ends on SIGTERM, and its access log names the client
    # the proxy saw.
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    assert '203.0.113.7 "GET /en/ HTTP/1.1" 200' in log.read_text()
