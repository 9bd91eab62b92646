"""Load the public pages under gunicorn with production settings, and print what they stand.

Run from the repository root, against a migrated PostgreSQL database (filled with
``manage.py seed_demo`` or a larger seed):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cp_bench .venv/bin/python bench/load.py

It starts ``gunicorn cluster_portal.wsgi`` with 2 * cores + 1 sync workers on a free
loopback port, with the variables of a production server (``DEBUG=false``, a long
``SECRET_KEY``, ``ALLOWED_HOSTS=127.0.0.1``, ``SECURE_SSL_REDIRECT=true``, ``REDIS_URL`` for
the cache) and static files collected into a temporary directory by whitenoise's manifest
storage, as a deployment does. It waits for ``/healthz``, checks each public page once
(one that answers 404 is left out and named), then runs Debian's ``wrk`` three times for
``--duration`` seconds each with ``--connections`` connections: the public pages in
rotation, ``/en/`` alone and ``/healthz`` alone. Every request says ``X-Forwarded-Proto:
https``, as the TLS proxy in front of gunicorn does. It prints requests per second, the
50th, 95th and 99th latency percentiles, the errors (socket errors and answers other than
2xx) and the page-cache hits, then the home page's throughput as a share of ``/healthz``'s.

Before the runs it times each page rendered afresh (the page cache emptied) and then served
from the cache. ``--invalidate-every 5`` adds a fourth run of the public pages with the page
cache emptied every 5 seconds, as writes during a working day do; its errors count too, but
the home/healthz ratio is measured without it.

``--deploy-config`` starts gunicorn with ``deploy/gunicorn.conf.py`` instead (its workers,
threads and worker recycling), ``--max-requests`` and ``--max-requests-jitter`` overriding
its recycling. Each run also reports the workers restarted during it (new worker processes
seen in ``/proc``), the slowest answer, the seconds in which no answer came (a stall) and
the workers' resident memory (summed) at its start and end.

The database is opened read-only (``default_transaction_read_only``) unless ``--writable``
is given: anonymous pages must not write, and a shared benchmark database stays untouched.
The Redis database of ``--redis-url`` (default 5) is emptied first, so each run starts
with a cold page cache. The exit status is 1 when a run had an error or the home page
served less than half the requests per second of ``/healthz``.

``--signed-in EMAIL --paths /en/dashboard/`` loads the pages as that user instead (a
session made in the database, its cookie on every request; the database is then writable,
as a signed-in request may write its session): one run of the pages and one of
``/healthz``, without the page cache (it serves anonymous visitors only); the exit status
is 1 on any error.

Requests go only to 127.0.0.1, for a bounded time; gunicorn is stopped at the end.
"""

import argparse
import json
import os
import runpy
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
import redis

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import (  # noqa: E402
    free_port,
    get,
    production_environment,
    rss,
    stop,
    wait_until_healthy,
    worker_pids,
)

PUBLIC_PATHS = [
    "/en/",
    "/ar/",
    "/en/partners/",
    "/en/strategy/",
    "/en/assessments/",
    "/en/meetings/",
    "/en/bulletins/",
    "/en/dashboard/",
]
HOME = "/en/"
HEALTHZ = "/healthz"
DEPLOY_CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
RESULT_MARK = "LOAD-RESULT "

# Each wrk thread turns over the paths given after "--"; the counters of every thread are
# added up in done(), which prints one JSON line for the Python side to read.
WRK_SCRIPT = r"""
wrk.headers["X-Forwarded-Proto"] = "https"
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  prepared = {}
  for i, path in ipairs(args) do
    prepared[i] = wrk.format("GET", path)
  end
  position = thread_id % #prepared
  non2xx = 0
  hits = 0
  misses = 0
  seconds = {}
end

function request()
  position = position % #prepared + 1
  return prepared[position]
end

function response(status, headers, body)
  local now = os.time()
  seconds[now] = (seconds[now] or 0) + 1
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
  local cache = headers["X-Page-Cache"]
  if cache == "hit" then
    hits = hits + 1
  elseif cache == "miss" then
    misses = misses + 1
  end
end

-- Answers per whole second, all threads together: the seconds without any (a stall) and the
-- fewest in a second, the first and last (partial) seconds left out.
function per_second()
  local merged, first, last = {}, nil, nil
  for _, thread in ipairs(threads) do
    for second, count in pairs(thread:get("seconds")) do
      merged[second] = (merged[second] or 0) + count
      if first == nil or second < first then first = second end
      if last == nil or second > last then last = second end
    end
  end
  local idle, fewest = 0, -1
  if first == nil then return 0, 0 end
  for second = first + 1, last - 1 do
    local count = merged[second] or 0
    if count == 0 then idle = idle + 1 end
    if fewest < 0 or count < fewest then fewest = count end
  end
  return idle, math.max(fewest, 0)
end

function done(summary, latency, requests)
  local non2xx_total, hits_total, misses_total = 0, 0, 0
  for _, thread in ipairs(threads) do
    non2xx_total = non2xx_total + thread:get("non2xx")
    hits_total = hits_total + thread:get("hits")
    misses_total = misses_total + thread:get("misses")
  end
  local idle, fewest = per_second()
  local e = summary.errors
  io.write(string.format(
    '%s{"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, ' ..
    '"write": %d, "timeout": %d, "status": %d, "non2xx": %d, "hits": %d, "misses": %d, ' ..
    '"p50": %d, "p95": %d, "p99": %d, "max": %d, "idle": %d, "fewest": %d}\n',
    "RESULT_MARK", summary.requests, summary.duration, summary.bytes, e.connect, e.read,
    e.write, e.timeout, e.status, non2xx_total, hits_total, misses_total,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    idle, fewest))
end
""".replace("RESULT_MARK", RESULT_MARK)

# Production settings, except where the collected static files go.
SETTINGS_MODULE = """from cluster_portal.settings import *  # noqa: F403

STATIC_ROOT = {static_root!r}
"""


@dataclass
class Run:
    name: str
    paths: list[str]
    requests: int
    seconds: float
    socket_errors: int
    non2xx: int
    hits: int
    misses: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    idle_seconds: int  # whole seconds without a single answer
    fewest_per_second: int
    restarts: int = 0
    rss_start: int = 0
    rss_end: int = 0

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    @property
    def errors(self) -> int:
        return self.socket_errors + self.non2xx


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--duration", type=int, default=30, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--worker-class", default="sync", help="gunicorn's: sync or gthread")
    parser.add_argument("--worker-threads", type=int, default=1, help="threads per gthread worker")
    parser.add_argument("--paths", nargs="+", default=PUBLIC_PATHS, help="the rotated pages")
    parser.add_argument(
        "--invalidate-every",
        type=float,
        default=0,
        metavar="SECONDS",
        help="add a run of the pages with the page cache emptied this often (0: none)",
    )
    parser.add_argument(
        "--writable", action="store_true", help="do not open the database read-only"
    )
    parser.add_argument(
        "--deploy-config",
        action="store_true",
        help="start gunicorn with deploy/gunicorn.conf.py (its workers, threads, recycling)",
    )
    parser.add_argument(
        "--signed-in", metavar="EMAIL", help="load the pages as this user (a coordinator needs MFA)"
    )
    parser.add_argument("--max-requests", type=int, help="gunicorn's, over the configuration")
    parser.add_argument("--max-requests-jitter", type=int, help="gunicorn's, likewise")
    args = parser.parse_args()
    if not args.database_url or not args.database_url.startswith("postgres"):
        parser.error("DATABASE_URL (or --database-url) must name a PostgreSQL database.")
    return args


def ensure_wrk() -> str:
    if shutil.which("wrk") is None:
        subprocess.run([str(ROOT / "scripts" / "apt-ensure"), "wrk"], check=True)  # noqa: S603
    return shutil.which("wrk") or "wrk"


def row_counts(database_url: str) -> dict[str, int]:
    counts = {}
    with psycopg.connect(database_url) as connection:
        for table in ("activities_reportrow", "analysis_reach"):
            query = f"SELECT count(*) FROM {table}"  # noqa: S608 - fixed table names
            counts[table] = connection.execute(query).fetchone()[0]
        connection.rollback()
    return counts


def load_environment(args: argparse.Namespace, settings_dir: Path) -> dict[str, str]:
    environment = production_environment(
        args.database_url, args.redis_url, settings_dir, "bench_load_settings"
    )
    if not args.writable and not args.signed_in:
        environment["PGOPTIONS"] = "-c default_transaction_read_only=on"
    return environment


SESSION_CODE = """
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
client = Client()
client.force_login(get_user_model().objects.get(email={email!r}))
name = settings.SESSION_COOKIE_NAME
print("SESSION", name + "=" + client.cookies[name].value)
"""


def session_cookie(environment: dict[str, str], email: str) -> str:
    """A session of the user, made in the database gunicorn reads, as a Cookie header."""
    output = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", SESSION_CODE.format(email=email)],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return next(line for line in output.splitlines() if line.startswith("SESSION ")).split()[1]


def check_pages(base: str, paths: list[str], cookie: str = "") -> list[str]:
    """The paths that answer 200 and come from the page cache the second time."""
    kept = []
    extra = {"Cookie": cookie} if cookie else {}
    for path in paths:
        started = time.perf_counter()
        status, _ = get(base + path, headers=extra)
        first_ms = 1000 * (time.perf_counter() - started)
        if status == 404:
            print(f"  {path}: 404, left out")
            continue
        if status != 200:
            raise SystemExit(f"{path} answered {status}, not 200.")
        started = time.perf_counter()
        _, headers = get(base + path, headers=extra)
        second_ms = 1000 * (time.perf_counter() - started)
        print(
            f"  {path}: 200; rendered in {first_ms:,.0f} ms, then {second_ms:,.0f} ms "
            f"with X-Page-Cache: {headers.get('X-Page-Cache', '-')}"
        )
        kept.append(path)
    return kept


def time_renders(base: str, paths: list[str], cache: redis.Redis) -> None:
    """How long each page takes to render on a warm worker, and to come from the cache."""
    # Requests that wrk left queued in gunicorn's backlog are answered first: let them drain,
    # or they would fill the cache again behind the flush.
    for _ in range(20):
        started = time.perf_counter()
        get(base + HEALTHZ)
        if time.perf_counter() - started < 0.2:
            break
        time.sleep(0.5)
    time.sleep(1)
    cache.flushdb()  # a new page-cache version: every page is rendered again
    print("  page                  rendered   from the cache (median of 5)")
    for path in paths:
        started = time.perf_counter()
        _, headers = get(base + path)
        miss_ms = 1000 * (time.perf_counter() - started)
        first = headers.get("X-Page-Cache", "-")
        hits = []
        for _ in range(5):
            started = time.perf_counter()
            _, headers = get(base + path)
            hits.append(1000 * (time.perf_counter() - started))
        print(
            f"  {path:<18} {miss_ms:>8,.0f} ms ({first})"
            f" {statistics.median(hits):>8,.1f} ms ({headers.get('X-Page-Cache', '-')})"
        )


class Invalidator(threading.Thread):
    """Empties the page cache every few seconds, as data entered during a working day does."""

    def __init__(self, cache: redis.Redis, seconds: float) -> None:
        super().__init__(daemon=True)
        self.cache, self.seconds, self.stopping = cache, seconds, threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(self.seconds):
            self.cache.flushdb()

    def __enter__(self) -> "Invalidator":
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stopping.set()
        self.join()


class WorkerWatch(threading.Thread):
    """Notes every worker process gunicorn's master starts, to count restarts during a run."""

    def __init__(self, master: int) -> None:
        super().__init__(daemon=True)
        self.master, self.seen, self.stopping = master, set(), threading.Event()

    def sample(self) -> set[int]:
        pids = worker_pids(self.master)
        self.seen |= pids
        return pids

    def resident(self) -> int:
        """The workers' resident memory now, summed."""
        return sum(rss(pid) for pid in self.sample())

    def run(self) -> None:
        while not self.stopping.wait(0.2):
            self.sample()

    def __enter__(self) -> "WorkerWatch":
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stopping.set()
        self.join()


def run_wrk(wrk: str, script: Path, base: str, args, name: str, paths: list[str]) -> Run:
    command = [
        wrk,
        f"--threads={args.threads}",
        f"--connections={args.connections}",
        f"--duration={args.duration}s",
        "--timeout=10s",
        f"--script={script}",
        base + paths[0],
        "--",
        *paths,
    ]
    print(f"  wrk {name}: {args.duration} s, {args.connections} connections ...", flush=True)
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603
    line = next(line for line in output.splitlines() if line.startswith(RESULT_MARK))
    result = json.loads(line[len(RESULT_MARK) :])
    return Run(
        name=name,
        paths=paths,
        requests=result["requests"],
        seconds=result["duration_us"] / 1e6,
        socket_errors=sum(result[key] for key in ("connect", "read", "write", "timeout")),
        non2xx=result["non2xx"],
        hits=result["hits"],
        misses=result["misses"],
        p50_ms=result["p50"] / 1000,
        p95_ms=result["p95"] / 1000,
        p99_ms=result["p99"] / 1000,
        max_ms=result["max"] / 1000,
        idle_seconds=result["idle"],
        fewest_per_second=result["fewest"],
    )


def watched_run(watch: WorkerWatch, *run_args) -> Run:
    """run_wrk, with the workers restarted during the run and their memory before and after."""
    rss_start = watch.resident()
    before = set(watch.seen)
    run = run_wrk(*run_args)
    run.rss_end = watch.resident()
    run.rss_start, run.restarts = rss_start, len(watch.seen - before)
    return run


def print_table(runs: list[Run]) -> None:
    header = (
        f"| {'run':<14} | {'requests':>9} | {'req/s':>8} | {'p50 ms':>7} | {'p95 ms':>7} "
        f"| {'p99 ms':>7} | {'max ms':>8} | {'s without answer':>16} | {'fewest/s':>8} "
        f"| {'restarts':>8} | {'workers MiB':>13} | {'errors':>6} | {'cache hits':>13} |"
    )
    print(header)
    print("|" + "|".join("-" * (len(cell)) for cell in header.split("|")[1:-1]) + "|")
    for run in runs:
        hits = f"{run.hits}/{run.hits + run.misses}" if run.hits + run.misses else "-"
        memory = f"{run.rss_start / 2**20:,.0f} → {run.rss_end / 2**20:,.0f}"
        print(
            f"| {run.name:<14} | {run.requests:>9,} | {run.per_second:>8,.0f} "
            f"| {run.p50_ms:>7.1f} | {run.p95_ms:>7.1f} | {run.p99_ms:>7.1f} "
            f"| {run.max_ms:>8,.0f} | {run.idle_seconds:>16} | {run.fewest_per_second:>8,} "
            f"| {run.restarts:>8} | {memory:>13} | {run.errors:>6} | {hits:>13} |"
        )


def gunicorn_command(args: argparse.Namespace, port: int, log: Path) -> list[str]:
    command = [sys.executable, "-m", "gunicorn", "cluster_portal.wsgi"]
    if args.deploy_config:
        command.append(f"--config={DEPLOY_CONFIG}")
    else:
        command += [
            f"--workers={args.workers}",
            f"--worker-class={args.worker_class}",
            f"--threads={args.worker_threads}",
        ]
    if args.max_requests is not None:
        command.append(f"--max-requests={args.max_requests}")
    if args.max_requests_jitter is not None:
        command.append(f"--max-requests-jitter={args.max_requests_jitter}")
    return [
        *command,
        f"--bind=127.0.0.1:{port}",
        f"--error-logfile={log}",
        "--log-level=warning",
        "--no-control-socket",
    ]


def describe_server(args: argparse.Namespace) -> str:
    if not args.deploy_config:
        return f"{args.workers} {args.worker_class} workers x {args.worker_threads} threads"
    config = runpy.run_path(str(DEPLOY_CONFIG))
    max_requests = args.max_requests if args.max_requests is not None else config["max_requests"]
    jitter = args.max_requests_jitter
    jitter = jitter if jitter is not None else config["max_requests_jitter"]
    return (
        f"deploy/gunicorn.conf.py: {config['workers']} {config['worker_class']} workers x "
        f"{config['threads']} threads, max_requests {max_requests}, jitter {jitter}"
    )


def anonymous_runs(args, watch: WorkerWatch, target: tuple, paths: list[str], cache) -> list:
    """The public pages, the home page and /healthz, and the pages with the cache emptied."""
    wrk, script, base = target
    time_renders(base, paths, cache)
    runs = [
        watched_run(watch, wrk, script, base, args, "public pages", paths),
        watched_run(watch, wrk, script, base, args, "/en/ alone", [HOME]),
        watched_run(watch, wrk, script, base, args, "/healthz alone", [HEALTHZ]),
    ]
    if args.invalidate_every:
        with Invalidator(cache, args.invalidate_every):
            name = f"pages, {args.invalidate_every:g} s"
            runs.append(watched_run(watch, wrk, script, base, args, name, paths))
    return runs


def main() -> int:
    args = parse_args()
    wrk = ensure_wrk()
    counts = row_counts(args.database_url)
    print(
        f"Database: {counts['activities_reportrow']:,} activity rows, "
        f"{counts['analysis_reach']:,} validated figures (analysis_reach)"
    )
    print(
        f"Machine: {os.cpu_count()} cores; gunicorn: {describe_server(args)}; "
        f"wrk: {args.threads} threads"
    )
    cache = redis.Redis.from_url(args.redis_url)
    cache.flushdb()
    # Other work on the machine takes cores from gunicorn and wrk: worth knowing.
    load_before = os.getloadavg()[0]

    with tempfile.TemporaryDirectory(prefix="bench-load-") as temporary:
        work = Path(temporary)
        static_root = work / "static"
        (work / "bench_load_settings.py").write_text(
            SETTINGS_MODULE.format(static_root=str(static_root))
        )
        environment = load_environment(args, work)
        cookie = session_cookie(environment, args.signed_in) if args.signed_in else ""
        script = work / "rotate.lua"
        script.write_text(
            WRK_SCRIPT + (f'\nwrk.headers["Cookie"] = "{cookie}"\n' if cookie else "")
        )

        print("collectstatic (whitenoise manifest storage) ...", flush=True)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=environment,
            check=True,
        )

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = work / "gunicorn.log"
        # The deploy configuration writes its access log to standard output: kept aside.
        access_log = (work / "access.log").open("w")
        server = subprocess.Popen(  # noqa: S603
            gunicorn_command(args, port, log), cwd=ROOT, env=environment, stdout=access_log
        )
        watch = WorkerWatch(server.pid)
        try:
            wait_until_healthy(base, server)
            watch.start()
            print(f"gunicorn answers on {base}; the pages:")
            paths = check_pages(base, args.paths, cookie)
            # Workers that were still starting, and empty connection pools, are not measured.
            warm_up = argparse.Namespace(**{**vars(args), "duration": 5})
            run_wrk(wrk, script, base, warm_up, "warm-up", [*paths, HEALTHZ])
            if cookie:
                runs = [
                    watched_run(watch, wrk, script, base, args, f"as {args.signed_in}", paths),
                    watched_run(watch, wrk, script, base, args, "/healthz alone", [HEALTHZ]),
                ]
            else:
                runs = anonymous_runs(args, watch, (wrk, script, base), paths, cache)
        finally:
            watch.stopping.set()
            stop(server)
            access_log.close()
            gunicorn_log = log.read_text() if log.exists() else ""

    print()
    print(f"Rotated pages: {' '.join(paths)}")
    print_table(runs)
    errors = sum(run.errors for run in runs)
    ratio = 1.0
    print()
    if not cookie:
        home, healthz = runs[1], runs[2]
        ratio = home.per_second / healthz.per_second
        print(f"Home page / healthz throughput: {ratio:.2f} (at least 0.50 required)")
    print(f"Errors (socket errors and non-2xx answers) over all runs: {errors}")
    print(f"Load average before / after: {load_before:.1f} / {os.getloadavg()[0]:.1f}")
    if gunicorn_log.strip():
        print("\ngunicorn's log (warnings and errors):")
        print(gunicorn_log[-4000:])
    return 0 if errors == 0 and ratio >= 0.5 else 1


if __name__ == "__main__":
    sys.exit(main())
