"""`make topology`: the portal as several machines run it, on this one, under load and faults.

Everything listens on 127.0.0.1 and stops by itself (an overall timeout; every process in
its own process group, killed at the end). The script starts:

- Redis (a private ``redis-server`` on a free port: broker, cache and page cache),
- PostgreSQL's database ``cp_topology`` (dropped and made anew on the machine's server) behind
  PgBouncer in transaction mode (its own ini, port, pid and log),
- an S3-compatible object store (moto's server) when moto is installed, given to the portal
  as ``STORAGE_URL``; settings that do not know that variable keep the files in one
  ``MEDIA_ROOT`` that every process shares, and the report says which one was used,
- an SMTP server (aiosmtpd) that counts what it receives per Message-ID, recipient and subject,
- two gunicorn web nodes (``deploy/gunicorn.conf.py``) behind nginx from Debian, two Celery
  workers (``w1@``, ``w2@``) and one beat, all with production settings and
  ``DATABASE_PGBOUNCER=true``.

It migrates, seeds the demo data (``seed_demo``) and collects the static files through
PostgreSQL directly, then loads the portal in three phases, ``before``, ``during`` and
``after``, with wrk: public pages, and a partner focal point's signed-in pages. Meanwhile a
coordinator (signed in with a password and an authenticator code) keeps the demo bulletin's
editions building through the portal's own views, downloads the activity rows export (a
server-side cursor through PgBouncer), and asks for password resets, whose emails go out
through the outbox. During the ``during`` phase it kills one web node with SIGKILL and
restarts it, kills a Celery worker that is building with SIGKILL and restarts it, and stops
PgBouncer for five seconds.

The report (printed, and written to bench/topology-latest.json) gives the requests served,
the errors of each phase (those in flight at a kill, and the 503s that say the database is
out of reach while PgBouncer is stopped, are accepted; any other fails the run), the
bulletin builds asked for and built (none left in progress in the database), the emails
expected and delivered (duplicates counted), p50 and p95 latencies and requests per second
per phase, and the database connections PgBouncer lent. The exit status is 1 when a criterion fails.

    .venv/bin/python scripts/topology.py [--phase-seconds 20] [--connections 16]

The clients are in scripts/topology_clients.py, the report in scripts/topology_report.py.
"""

import argparse
import ast
import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import psycopg
import requests
from aiosmtpd.controller import Controller
from topology_clients import Coordinator, MailCounter, sign_in
from topology_report import (
    Timeline,
    build_figures,
    email_figures,
    phase_figures,
    read_access_log,
    text_report,
    verdict,
)

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"
POSTGRES = f"postgres://postgres@{HOST}:5432"
DATABASE = "cp_topology"
BUCKET = "portal-files"
COORDINATOR = "coordinator@demo.local"
# wrk's signed-in visitor: a partner's focal point, who needs no second factor.
FOCAL_POINT = "focal@demo.local"
PUBLIC_PATHS = ["/en/", "/en/dashboard/", "/en/partners/", "/en/strategy/", "/en/bulletins/"]
SIGNED_IN_PATHS = ["/en/tasks/", "/en/dashboard/", "/en/activities/reports/", "/en/partners/"]
OUTAGE_SECONDS = 5.0
# wrk gives up on an answer after this long (counted as a timeout, and so an error).
WRK_TIMEOUT = 30
# Seconds of load before the measured phases: the first renders of each page, on each node.
WARM_UP_SECONDS = 5
# Unprivileged account for nginx and PgBouncer when the script runs as root.
SERVICE_USER, SERVICE_GROUP = "nobody", "nogroup"

NGINX_CONF = """\
worker_processes 1;
pid {work}/nginx/nginx.pid;
error_log {work}/nginx/error.log warn;
events {{ worker_connections 1024; }}
http {{
    log_format topology '$msec $request_time $status "$upstream_status" '
                        '"$upstream_addr" $request_method $request_uri '
                        '"$upstream_http_x_page_cache" "$cookie_sessionid"';
    access_log {work}/nginx/access.log topology;
    client_body_temp_path {work}/nginx/body;
    proxy_temp_path {work}/nginx/proxy;
    fastcgi_temp_path {work}/nginx/fastcgi;
    uwsgi_temp_path {work}/nginx/uwsgi;
    scgi_temp_path {work}/nginx/scgi;

    upstream portal {{
        # One failed attempt takes a node out for fail_timeout, then nginx tries it again.
        server {host}:{web1} max_fails=1 fail_timeout=5s;
        server {host}:{web2} max_fails=1 fail_timeout=5s;
        keepalive 16;
    }}
    server {{
        listen {host}:{port};
        client_max_body_size 51m;
        location / {{
            proxy_pass http://portal;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_redirect off;
            # A refused or broken connection is tried on the other node: GET and HEAD only
            # (nginx never repeats a POST unless told "non_idempotent").
            proxy_next_upstream error timeout;
            proxy_next_upstream_tries 2;
            proxy_connect_timeout 2s;
            proxy_read_timeout 120s;
        }}
    }}
}}
"""

PGBOUNCER_INI = """\
[databases]
{database} = host={host} port=5432 dbname={database} user=postgres

[pgbouncer]
listen_addr = {host}
listen_port = {port}
unix_socket_dir =
; PostgreSQL trusts loopback connections here; PgBouncer logs in as the user above.
auth_type = any
pool_mode = transaction
default_pool_size = {pool_size}
max_client_conn = 200
admin_users = postgres
logfile = {work}/pgbouncer/pgbouncer.log
pidfile = {work}/pgbouncer/pgbouncer.pid
"""

WRK_SCRIPT = """\
local public = {public}
local signed_in = {signed_in}
local cookie = "{cookie}"
local n = 0
request = function()
    n = n + 1
    if n % 3 == 0 then
        local path = signed_in[math.floor(n / 3) % #signed_in + 1]
        return wrk.format("GET", path, {{["Cookie"] = cookie}})
    end
    return wrk.format("GET", public[n % #public + 1])
end
done = function(summary, latency, requests)
    local e = summary.errors
    io.write(string.format(
        'WRK {{"requests": %d, "connect": %d, "read": %d, "write": %d, "timeout": %d, '
        .. '"status": %d, "p50_ms": %.1f, "p95_ms": %.1f}}\\n',
        summary.requests, e.connect, e.read, e.write, e.timeout, e.status,
        latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""

SETTINGS_MODULE = """from cluster_portal.settings import *  # noqa: F403

STATIC_ROOT = {static_root!r}
"""


# --- processes -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class Service:
    argv: list[str]
    env: dict[str, str]
    process: subprocess.Popen | None = None


class Services:
    """Every process the run starts, each in its own process group, logged to the work dir."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.services: dict[str, Service] = {}

    def start(self, name: str, argv: list[str], env: dict[str, str], *, as_service_user=False):
        if as_service_user and os.geteuid() == 0:
            argv = [
                "setpriv",
                f"--reuid={SERVICE_USER}",
                f"--regid={SERVICE_GROUP}",
                "--clear-groups",
                *argv,
            ]
        self.services[name] = Service(argv, env)
        self.restart(name)

    def restart(self, name: str) -> None:
        service = self.services[name]
        with (self.work / f"{name}.log").open("ab") as log:
            service.process = subprocess.Popen(  # noqa: S603 - our own argv, no shell
                service.argv,
                cwd=ROOT,
                env=service.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def signal(self, name: str, sig: int) -> None:
        process = self.services[name].process
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)

    def stop_all(self) -> None:
        for name in reversed(list(self.services)):
            process = self.services[name].process
            if process is None:
                continue
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 8
        for service in self.services.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                service.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            # Also what the group's leader left behind (gunicorn's and Celery's children).
            with contextlib.suppress(ProcessLookupError):
                os.killpg(service.process.pid, signal.SIGKILL)

    def tail(self, name: str, lines: int = 15) -> str:
        path = self.work / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def wait_until(check, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if check():
                return
        time.sleep(0.25)
    raise RuntimeError(f"{what}: not ready within {timeout:.0f} s")


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((HOST, port)) == 0


def healthy(port: int) -> bool:
    return requests.get(f"http://{HOST}:{port}/healthz", timeout=5).status_code == 200


# --- the run ---------------------------------------------------------------------------------


@dataclass
class Ports:
    nginx: int
    web1: int
    web2: int
    pgbouncer: int
    redis: int
    smtp: int
    store: int


def make_database() -> None:
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE}")
        # What the settings pass as startup "options" without PgBouncer (which refuses them).
        connection.execute(f"ALTER DATABASE {DATABASE} SET jit = off")
        connection.execute(f"ALTER DATABASE {DATABASE} SET work_mem = '32MB'")


def start_object_store(services: Services, ports: Ports, env: dict) -> str:
    """moto's S3 server and its bucket; '' when moto is not installed."""
    try:
        import boto3  # moto[server] brings it
        import moto  # noqa: F401
    except ImportError:
        return ""
    services.start(
        "objectstore",
        [str(BIN / "python"), "-m", "moto.server", "-H", HOST, "-p", str(ports.store)],
        env,
    )
    wait_until(lambda: port_open(ports.store), 30, "moto")
    key, secret = "topology", secrets.token_hex(16)
    boto3.client(
        "s3",
        endpoint_url=f"http://{HOST}:{ports.store}",
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        region_name="us-east-1",
    ).create_bucket(Bucket=BUCKET)
    return f"s3://{key}:{secret}@{HOST}:{ports.store}/{BUCKET}?region=us-east-1&secure=false"


def objects_in_store(storage_url: str, ports: Ports) -> int:
    import boto3

    key, secret = re.match(r"s3://([^:]+):([^@]+)@", storage_url).groups()
    client = boto3.client(
        "s3",
        endpoint_url=f"http://{HOST}:{ports.store}",
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        region_name="us-east-1",
    )
    return client.list_objects_v2(Bucket=BUCKET).get("KeyCount", 0)


def portal_environment(work: Path, ports: Ports, storage_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="topology_settings",
        PYTHONPATH=f"{work}{os.pathsep}{ROOT}",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS=HOST,
        SITE_URL=f"http://{HOST}:{ports.nginx}",
        TRUSTED_PROXY_COUNT="1",
        DATABASE_URL=f"postgres://postgres@{HOST}:{ports.pgbouncer}/{DATABASE}",
        DATABASE_PGBOUNCER="true",
        REDIS_URL=f"redis://{HOST}:{ports.redis}/0",
        EMAIL_HOST=HOST,
        EMAIL_PORT=str(ports.smtp),
        EMAIL_USE_TLS="false",
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
        MEDIA_ROOT=str(work / "media"),
        # A build whose worker was killed shows failed after this long without a heartbeat.
        BULLETIN_HEARTBEAT_TIMEOUT="15",
        # A build queued by a web node killed before it sent the task waits this long (15
        # minutes by default), then the beat marks it failed and the coordinator builds again.
        BULLETIN_QUEUE_TIMEOUT="60",
        GUNICORN_WORKERS="2",
        GUNICORN_THREADS="4",
        LOG_LEVEL="WARNING",
        # seed_demo's accounts with a published password: this throwaway database only.
        DEMO_MODE="true",
    )
    env.pop("DATABASE_POOL", None)
    if storage_url:
        env["STORAGE_URL"] = storage_url
    return env


def direct_environment(env: dict[str, str]) -> dict[str, str]:
    """The same portal on PostgreSQL itself: migrations and the seed do not go through PgBouncer."""
    return {**env, "DATABASE_URL": f"{POSTGRES}/{DATABASE}", "DATABASE_PGBOUNCER": "false"}


def set_up_django(env: dict[str, str], work: Path) -> None:
    """This process as one more portal process on PostgreSQL directly (seed, checks)."""
    os.environ.update(direct_environment(env))
    sys.path[:0] = [str(work), str(ROOT)]
    import django

    django.setup()


def seed(static_root: Path) -> dict:
    from django.core.management import call_command

    for command, options in (
        ("migrate", {"interactive": False, "verbosity": 0}),
        ("seed_demo", {"verbosity": 0}),
        ("collectstatic", {"interactive": False, "verbosity": 0}),
    ):
        print(f"  manage.py {command} ...", flush=True)
        call_command(command, **options)
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from bulletins.models import Bulletin

    secret = generate_totp_secret()
    TOTP.activate(get_user_model().objects.get(email=COORDINATOR), secret)
    bulletin = Bulletin.objects.order_by("-number").first()
    return {
        "totp_secret": secret,
        "bulletin_pk": bulletin.pk,
        "languages": sorted(bulletin.editions.values_list("language", flat=True)),
        "storage": settings.STORAGES["default"]["BACKEND"],
    }


def answers_200(session: requests.Session, url: str) -> bool:
    return session.get(url, allow_redirects=False, timeout=30).status_code == 200


def totp_code(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def start_portal(services: Services, env: dict, ports: Ports) -> None:
    for name, port in (("web1", ports.web1), ("web2", ports.web2)):
        services.start(
            name,
            [str(BIN / "gunicorn"), "--config", "deploy/gunicorn.conf.py", "cluster_portal.wsgi"],
            {**env, "GUNICORN_BIND": f"{HOST}:{port}"},
        )
    for name in ("w1", "w2"):
        services.start(
            name,
            [
                str(BIN / "celery"),
                "-A",
                "cluster_portal",
                "worker",
                "-n",
                f"{name}@%h",
                "--concurrency=1",
                "-l",
                "warning",
            ],
            env,
        )
    services.start(
        "beat",
        [
            str(BIN / "celery"),
            "-A",
            "cluster_portal",
            "beat",
            "-s",
            str(services.work / "beat-schedule"),
            "-l",
            "warning",
        ],
        env,
    )
    for name, port in (("web1", ports.web1), ("web2", ports.web2)):
        wait_until(lambda port=port: healthy(port), 90, name)


def start_pgbouncer(services: Services, work: Path, ports: Ports, pool_size: int) -> None:
    ini = work / "pgbouncer" / "pgbouncer.ini"
    ini.write_text(
        PGBOUNCER_INI.format(
            database=DATABASE, host=HOST, port=ports.pgbouncer, pool_size=pool_size, work=work
        )
    )
    services.start("pgbouncer", ["pgbouncer", str(ini)], dict(os.environ), as_service_user=True)
    wait_until(lambda: port_open(ports.pgbouncer), 20, "PgBouncer")


def start_nginx(services: Services, work: Path, ports: Ports) -> None:
    conf = work / "nginx" / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(work=work, host=HOST, port=ports.nginx, web1=ports.web1, web2=ports.web2)
    )
    argv = [
        "nginx",
        "-p",
        str(work / "nginx"),
        "-c",
        str(conf),
        "-e",
        str(work / "nginx" / "error.log"),
    ]
    services.start("nginx", [*argv, "-g", "daemon off;"], dict(os.environ), as_service_user=True)
    wait_until(lambda: port_open(ports.nginx), 20, "nginx")


def service_dirs(work: Path) -> None:
    for name in ("nginx", "pgbouncer", "media", "static"):
        (work / name).mkdir()
    if os.geteuid() == 0:
        for name in ("nginx", "pgbouncer"):
            shutil.chown(work / name, SERVICE_USER, SERVICE_GROUP)
        work.chmod(0o755)


class PoolWatch(threading.Thread):
    """Samples PgBouncer's SHOW POOLS every second: clients served, waiting, server connections."""

    def __init__(self, port: int) -> None:
        super().__init__(daemon=True)
        self.port = port
        self.stopping = threading.Event()
        self.peak = Counter()

    def run(self) -> None:
        while not self.stopping.wait(1.0):
            with contextlib.suppress(psycopg.Error):
                self.sample()

    def sample(self) -> None:
        url = f"postgres://postgres@{HOST}:{self.port}/pgbouncer"
        with psycopg.connect(url, autocommit=True, cursor_factory=psycopg.ClientCursor) as db:
            cursor = db.execute("SHOW POOLS")
            names = [column.name for column in cursor.description]
            for row in cursor.fetchall():
                pool = dict(zip(names, row, strict=True))
                if pool["database"] != DATABASE:
                    continue
                for key in ("cl_active", "cl_waiting", "sv_active", "sv_idle", "maxwait"):
                    self.peak[key] = max(self.peak[key], int(pool[key]))
                in_use = int(pool["sv_active"]) + int(pool["sv_used"]) + int(pool["sv_idle"])
                self.peak["server connections"] = max(self.peak["server connections"], in_use)


def building_worker(env: dict) -> tuple[str, int, str] | None:
    """(worker, edition id, build token) of a bulletin build that started less than two
    seconds ago, so that a kill now lands in the middle of it; None if there is none."""
    from celery import Celery

    app = Celery(broker=env["REDIS_URL"])
    try:
        active = app.control.inspect(timeout=1.0).active() or {}
    finally:
        app.close()
    for hostname, tasks in active.items():
        for task in tasks:
            if task["name"] != "bulletins.tasks.build_edition":
                continue
            args = task["args"]
            edition_id, token = ast.literal_eval(args) if isinstance(args, str) else args
            with psycopg.connect(f"{POSTGRES}/{DATABASE}") as db:
                row = db.execute(
                    "SELECT extract(epoch FROM now() - build_started_at) FROM bulletins_edition"
                    " WHERE id = %s AND build_token = %s AND status = 'building'",
                    (edition_id, token),
                ).fetchone()
            if row and row[0] < 2:
                return hostname.split("@")[0], edition_id, token
    return None


def faults(services: Services, env: dict, timeline: Timeline, seconds: float) -> None:
    """The ``during`` phase's faults, at fixed times from its start."""
    start = time.time()

    def at(offset: float) -> None:
        time.sleep(max(0.0, start + offset - time.time()))

    at(seconds * 0.1)
    services.signal("web1", signal.SIGKILL)
    timeline.kills.append(("web node web1 (SIGKILL)", time.time()))
    at(seconds * 0.25)
    services.restart("web1")
    timeline.notes.append(f"web1 restarted {time.time() - start:.1f} s into the phase")
    at(seconds * 0.35)
    deadline, building = time.time() + seconds * 0.3, None
    while not building and time.time() < deadline:
        building = building_worker(env)
    if building:
        worker, edition_id, token = building
        services.signal(worker, signal.SIGKILL)
        what = f"Celery worker {worker} building edition {edition_id} (SIGKILL)"
        timeline.kills.append((what, time.time()))
        timeline.killed_build = (edition_id, token)
        time.sleep(2)
        services.restart(worker)
    else:
        timeline.notes.append("no build started in time: no worker killed")
    at(seconds * 0.7)
    stopped = time.time()
    services.signal("pgbouncer", signal.SIGTERM)
    time.sleep(OUTAGE_SECONDS)
    services.restart("pgbouncer")
    timeline.outages.append(("PgBouncer stopped", stopped, time.time()))


def run_wrk(base: str, script: Path, seconds: int, connections: int) -> dict:
    result = subprocess.run(  # noqa: S603 - our own argv
        [
            shutil.which("wrk") or "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            f"{WRK_TIMEOUT}s",
            "-s",
            str(script),
            f"{base}/",
        ],
        capture_output=True,
        text=True,
        timeout=seconds + WRK_TIMEOUT + 30,
        check=True,
    )
    line = next(line for line in result.stdout.splitlines() if line.startswith("WRK "))
    return json.loads(line[4:])


def run(args: argparse.Namespace, work: Path, services: Services) -> dict:
    ports = Ports(*(free_port() for _ in range(7)))
    service_dirs(work)
    (work / "topology_settings.py").write_text(
        SETTINGS_MODULE.format(static_root=str(work / "static"))
    )
    print(f"Work directory {work}; balancer on http://{HOST}:{ports.nginx}/", flush=True)
    make_database()
    services.start(
        "redis",
        [
            "redis-server",
            "--bind",
            HOST,
            "--port",
            str(ports.redis),
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        dict(os.environ),
    )
    wait_until(lambda: port_open(ports.redis), 20, "Redis")
    storage_url = start_object_store(services, ports, dict(os.environ))
    mail = MailCounter()
    smtp = Controller(mail, hostname=HOST, port=ports.smtp)
    smtp.start()
    try:
        return loaded_run(args, work, services, ports, storage_url, mail)
    finally:
        smtp.stop()


def loaded_run(args, work, services, ports, storage_url, mail) -> dict:
    env = portal_environment(work, ports, storage_url)
    set_up_django(env, work)
    print("Seeding the demo data on PostgreSQL directly:", flush=True)
    seeded = seed(work / "static")
    from django.utils import timezone

    since = timezone.now()
    start_pgbouncer(services, work, ports, args.pool_size)
    start_portal(services, env, ports)
    start_nginx(services, work, ports)
    base = f"http://{HOST}:{ports.nginx}"
    wait_until(lambda: healthy(ports.nginx), 30, "the balancer")

    focal = sign_in(base, FOCAL_POINT)
    coordinator_session = sign_in(base, COORDINATOR, lambda: totp_code(seeded["totp_secret"]))
    # Only pages that answer 200 at once are loaded (a redirect would measure another page).
    signed_in = [p for p in SIGNED_IN_PATHS if answers_200(focal, base + p)]
    public = [p for p in PUBLIC_PATHS if answers_200(requests.Session(), base + p)]
    script = work / "load.lua"
    script.write_text(
        WRK_SCRIPT.format(
            public="{" + ", ".join(f'"{p}"' for p in public) + "}",
            signed_in="{" + ", ".join(f'"{p}"' for p in signed_in) + "}",
            cookie=f"sessionid={focal.cookies['sessionid']}",
        )
    )

    timeline = Timeline(start=time.time())
    coordinator = Coordinator(base, coordinator_session, seeded["bulletin_pk"], seeded["languages"])
    pools = PoolWatch(ports.pgbouncer)
    pools.start()
    coordinator.start()
    print(f"Warming up for {WARM_UP_SECONDS} s (not counted)", flush=True)
    run_wrk(base, script, WARM_UP_SECONDS, args.connections)
    wrk = {}
    for name in ("before", "during", "after"):
        seconds = args.phase_seconds * (2 if name == "during" else 1)
        print(
            f"Phase {name}: {seconds} s of load" + (" with faults" if name == "during" else ""),
            flush=True,
        )
        began = time.time()
        fault_thread = None
        if name == "during":
            fault_thread = threading.Thread(
                target=faults, args=(services, env, timeline, seconds), daemon=True
            )
            fault_thread.start()
        wrk[name] = run_wrk(base, script, seconds, args.connections)
        if fault_thread:
            fault_thread.join(timeout=60)
        timeline.phases[name] = (began, time.time())

    print("Waiting for the builds and emails in progress ...", flush=True)
    coordinator.draining.set()
    coordinator.join(timeout=args.drain_seconds)
    coordinator.stopping.set()
    expected = sum(coordinator.resets.values())
    deadline = time.time() + args.drain_seconds
    while time.time() < deadline:
        emails = email_figures(mail, coordinator.resets, since)
        if emails["delivered"] >= expected and not emails["missing_by_recipient"]:
            break
        time.sleep(2)
    pools.stopping.set()

    log = read_access_log(work / "nginx" / "access.log")
    phases, unexcused = phase_figures(log, timeline)
    storage = seeded["storage"]
    if storage_url and "S3" in storage:
        objects = objects_in_store(storage_url, ports)
        storage = f"object store (moto on loopback) through {storage}: {objects} objects"
    else:
        storage = f"shared MEDIA_ROOT through {storage} (these settings read no STORAGE_URL)"
    report = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end",
        "storage": storage,
        "faults": [(what, at - timeline.start) for what, at in timeline.kills]
        + [(what, began - timeline.start) for what, began, _ended in timeline.outages],
        "phases": phases,
        "requests_served": sum(1 for r in log if r.status < 500),
        "errors_not_accepted": unexcused,
        "wrk": wrk,
        "bulletins": build_figures(coordinator, timeline.killed_build),
        "emails": email_figures(mail, coordinator.resets, since),
        "exports_downloaded": coordinator.counts["exports downloaded"],
        "pool_size": args.pool_size,
        "pgbouncer_peaks": dict(pools.peak),
        "coordinator_errors": [
            (round(at - timeline.start, 1), what, why) for at, what, why in coordinator.errors
        ],
        "notes": timeline.notes,
        "pages": {"public": public, "signed_in": signed_in},
    }
    report["failures"] = verdict(report)
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--phase-seconds", type=int, default=20, help="before and after; twice during"
    )
    parser.add_argument("--connections", type=int, default=16, help="wrk's")
    parser.add_argument("--pool-size", type=int, default=10, help="PgBouncer's default_pool_size")
    parser.add_argument("--drain-seconds", type=int, default=180)
    parser.add_argument("--timeout", type=int, default=600, help="the whole run's limit")
    parser.add_argument("--output", default=str(ROOT / "bench" / "topology-latest.json"))
    parser.add_argument("--keep", action="store_true", help="keep the work directory and logs")
    args = parser.parse_args()

    def out_of_time(signum, frame):
        raise TimeoutError(f"the run took longer than {args.timeout} s")

    signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(args.timeout)
    work = Path(tempfile.mkdtemp(prefix="topology-"))
    services = Services(work)
    try:
        report = run(args, work, services)
    except Exception:
        for name in services.services:
            print(f"--- {name} (last lines) ---\n{services.tail(name)}", file=sys.stderr)
        raise
    finally:
        signal.alarm(0)
        services.stop_all()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    text = text_report(report)
    print("\n" + text)
    Path(args.output).write_text(json.dumps(report, indent=2) + "\n")
    Path(args.output).with_suffix(".txt").write_text(text + "\n")
    return 1 if report["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
