"""Time every page each role reaches, signed in, through gunicorn with the deploy configuration.

Run from the repository root (PostgreSQL on 127.0.0.1, Redis database 6 for the cache):

    .venv/bin/python bench/pages.py                                   # 20,000 rows
    .venv/bin/python bench/pages.py --scale 1000000 --reuse --fresh
    .venv/bin/python bench/pages.py --reuse --roles focal,staff --repeat 5

The database (``--db``, default ``cp_bench_pages_<scale>``) is made anew, migrated and filled
by ``manage.py seed_demo --scale N``; with ``--reuse`` one that already holds the N rows of
that seed is used as it is. Only databases whose name starts with ``cp_bench`` are dropped.

Four roles: a coordinator (with an authenticator app, since production requires one), the
focal point and a staff member of the organisation whose editable report is nearest 150 rows,
and an anonymous visitor. Their accounts (``bench-pages-*@example.invalid``) stay in the
database for the next run. Each signs in by a session made here (``Client.force_login``),
whose cookie gunicorn accepts: both share the SECRET_KEY, the database and the Redis cache.

Pages: from the home page and My tasks (and, for members, the edit page of their report
nearest 150 rows), it follows the same-origin links of the rendered HTML
(``--depth`` links deep), in English, leaving out files (exports, templates, PDFs, charts,
feeds, attachments), sign-out, the other language and query strings, and keeps the first
``--per-name`` pages of each URL name; each dashboard tab is also measured over five years.
For each page: the median of ``--repeat`` requests through gunicorn (``deploy/gunicorn.conf.py``
with production variables) after one warm-up, over one kept-alive connection as nginx keeps
them (so one warm worker answers); the queries and the share of the time in SQL,
from the same page requested here through the test client (median of 3, SQL timed by
``connection.execute_wrapper``: gunicorn cannot report them); the HTML's size, raw and
gzipped. ``--fresh`` measures each page again with the figures computed afresh: before each
request the analysis cache's and the page cache's versions are replaced, as a validation does.

It prints a Markdown table sorted by role and page. The last column names what misses the
targets of issue 22: "time" (median over 150 ms), "afresh" (computed afresh, over 150 ms, or
250 ms for a five-year dashboard range), "weight" (over 200 KB gzipped) and "SQL x1.8" (a
dashboard tab computed afresh taking more than 1.5 times its SQL).
"""

import argparse
import datetime
import gzip
import http.client
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import (  # noqa: E402
    PROXY_HEADERS,
    free_port,
    production_environment,
    rss,
    stop,
    wait_until_healthy,
    worker_pids,
)

ROLES = {
    "coordinator": "coordinator",
    "focal": "focal point",
    "staff": "partner staff",
    "anonymous": "anonymous",
}
DEPLOY_CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
TARGET_MS = 150
TARGET_FIVE_YEARS_FRESH_MS = 250
TARGET_GZIP_BYTES = 200_000
TARGET_SQL_RATIO = 1.5
SQL_RUNS = 3
REPORT_ROWS = 150  # the common report: the focal point's organisation has one near it
YEARS = 5
# URL names whose answers are files, or which sign out; admin:* is left out too.
SKIPPED_NAMES = {"account_logout", "mfa_download_recovery_codes"}
FILE_NAME = re.compile(
    r"(export|template|csv|chart|feed|pdf|download|ics|logo|image|attachment|status)$"
)
FILE_SUFFIXES = (".csv", ".xlsx", ".svg", ".pdf", ".ics", ".json", ".xml", ".txt", ".png")

# Production settings, with a manifest of the static files (no compression: faster to collect,
# and the pages name the same fingerprinted files).
SETTINGS_MODULE = """from cluster_portal.settings import *  # noqa: F403

STATIC_ROOT = {static_root!r}
STORAGES = {{
    **STORAGES,  # noqa: F405
    "staticfiles": {{"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}},
}}
"""


@dataclass
class Timing:
    median_ms: float
    status: int
    queries: int
    sql_ms: float
    total_ms: float  # the whole request in this process, SQL included

    @property
    def sql_share(self) -> float:
        return self.sql_ms / self.total_ms if self.total_ms else 0.0


@dataclass
class Page:
    role: str
    name: str
    path: str
    five_years: bool = False
    size: int = 0
    gzipped: int = 0
    warm: Timing | None = None
    fresh: Timing | None = None

    @property
    def shown_path(self) -> str:
        return self.path.split("?")[0] + (f" ({YEARS} years)" if self.five_years else "")

    @property
    def is_dashboard(self) -> bool:
        return self.name.startswith("analysis:")


# --- arguments and database -------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=20_000, help="rows of seed_demo --scale")
    parser.add_argument("--db", help="database name (default cp_bench_pages_<scale>)")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/6")
    parser.add_argument("--reuse", action="store_true", help="keep a database already seeded")
    parser.add_argument(
        "--roles", default=",".join(ROLES), help="comma-separated: " + ", ".join(ROLES)
    )
    parser.add_argument("--repeat", type=int, default=10, help="timed requests per page")
    parser.add_argument("--fresh", action="store_true", help="also with the figures afresh")
    parser.add_argument("--depth", type=int, default=3, help="links followed from the start")
    parser.add_argument("--per-name", type=int, default=2, help="pages kept per URL name")
    args = parser.parse_args()
    args.db = args.db or f"cp_bench_pages_{args.scale}"
    args.roles = [role.strip() for role in args.roles.split(",") if role.strip()]
    unknown = set(args.roles) - set(ROLES)
    if unknown:
        parser.error(f"unknown roles: {', '.join(sorted(unknown))}")
    return args


def seeded_rows(url: str) -> int | None:
    """The activity rows the database holds; None when it does not exist or is not migrated."""
    try:
        with psycopg.connect(url) as connection:
            return connection.execute("SELECT count(*) FROM activities_reportrow").fetchone()[0]
    except (psycopg.OperationalError, psycopg.errors.UndefinedTable):
        return None


def recreate(postgres: str, name: str) -> None:
    if not name.startswith("cp_bench"):
        raise SystemExit(f"{name} is not a bench database (cp_bench*): not dropping it.")
    with psycopg.connect(f"{postgres}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def manage(url: str, *command: str) -> None:
    environment = {**os.environ, "DATABASE_URL": url}
    environment.pop("REDIS_URL", None)
    # Its output goes with the progress lines, to standard error, away from the table.
    command = [sys.executable, "manage.py", *command]
    subprocess.run(command, cwd=ROOT, env=environment, stdout=sys.stderr, check=True)  # noqa: S603


def prepare_database(args: argparse.Namespace, url: str) -> float | None:
    """Seconds spent seeding, or None when the database was reused as it was."""
    if args.reuse and seeded_rows(url) == args.scale:
        print(f"Reusing {args.db}: {args.scale:,} activity rows.", file=sys.stderr)
        return None
    recreate(args.postgres, args.db)
    manage(url, "migrate", "-v0")
    started = time.perf_counter()
    manage(url, "seed_demo", "--scale", str(args.scale))
    return time.perf_counter() - started


def collect_static(environment: dict[str, str]) -> None:
    command = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
    subprocess.run(command, cwd=ROOT, env=environment, check=True)  # noqa: S603


def start_django(environment: dict[str, str], settings_dir: Path) -> None:
    # The same settings, SECRET_KEY and cache as gunicorn's, so its sessions are valid there.
    os.environ.update(environment)
    sys.path.insert(0, str(settings_dir))
    import django

    django.setup()


# --- accounts ---------------------------------------------------------------------------------


def _user(role: str, **fields):
    from accounts.models import User

    email = f"bench-pages-{role}@example.invalid"
    return User.objects.filter(email=email).first() or User.objects.create_user(
        email, None, **fields
    )


def _editable_report(member=None):
    """The editable report nearest REPORT_ROWS rows, of the member's organisation if given."""
    from django.db.models import Count

    from activities.models import Report
    from activities.policy import PARTNER_EDITABLE

    reports = Report.objects.filter(status__in=PARTNER_EDITABLE).annotate(size=Count("rows"))
    if member is not None:
        reports = reports.filter(organisation__memberships__user=member)
    if not reports:
        raise SystemExit("No draft or returned report to edit: seed a larger --scale.")
    return min(reports, key=lambda report: (abs(report.size - REPORT_ROWS), report.pk))


def _member(user, organisation, role: str) -> None:
    from partners.models import Membership, MembershipStatus

    if not Membership.objects.filter(user=user, status=MembershipStatus.ACTIVE).exists():
        Membership.objects.create(
            user=user, organisation=organisation, role=role, status=MembershipStatus.ACTIVE
        )


def bench_accounts() -> dict:
    """The user of each role (None: anonymous), made the first time."""
    from allauth.mfa.models import Authenticator

    from partners.models import MemberRole, Membership, MembershipStatus

    coordinator = _user("coordinator", is_coordinator=True)
    Authenticator.objects.get_or_create(
        user=coordinator, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "bench"}}
    )
    focal, staff = _user("focal"), _user("staff")
    current = Membership.objects.filter(user=focal, status=MembershipStatus.ACTIVE).first()
    organisation = current.organisation if current else _editable_report().organisation
    _member(focal, organisation, MemberRole.FOCAL_POINT)
    _member(staff, organisation, MemberRole.STAFF)
    return {"coordinator": coordinator, "focal": focal, "staff": staff, "anonymous": None}


def describe_organisation(user) -> str:
    from django.db.models import Count

    from activities.models import Report
    from activities.policy import PARTNER_EDITABLE
    from partners.models import Membership, MembershipStatus

    organisation = Membership.objects.get(user=user, status=MembershipStatus.ACTIVE).organisation
    sizes = (
        Report.objects.filter(organisation=organisation, status__in=PARTNER_EDITABLE)
        .annotate(size=Count("rows"))
        .values_list("size", flat=True)
    )
    listed = ", ".join(str(size) for size in sorted(sizes)) or "none"
    chosen = _editable_report(user)
    return (
        f"{organisation} ({organisation.type}); rows of its editable reports: {listed}; "
        f"the report {chosen.pk} ({chosen.size} rows) is a start page"
    )


def client_for(user):
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    if user is not None:
        client.force_login(user)
    return client


def session_cookie(client) -> str:
    from django.conf import settings

    morsel = client.cookies.get(settings.SESSION_COOKIE_NAME)
    return f"{settings.SESSION_COOKIE_NAME}={morsel.value}" if morsel else ""


# --- finding the pages ------------------------------------------------------------------------


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def links(html: str, page: str) -> list[str]:
    """The English, same-origin paths the page links to, without query string or fragment."""
    parser = Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        url = urlsplit(urljoin(f"https://127.0.0.1{page}", href))
        same_site = url.scheme == "https" and url.hostname == "127.0.0.1"
        if same_site and url.path.startswith("/en/") and not url.path.endswith(FILE_SUFFIXES):
            found.append(url.path)
    return found


def url_name(path: str) -> str | None:
    from django.urls import Resolver404, resolve

    try:
        name = resolve(path).view_name
    except Resolver404:
        return None
    if name in SKIPPED_NAMES or name.startswith("admin:") or FILE_NAME.search(name):
        return None
    return name


def visit(client, path: str) -> tuple[str, str] | None:
    """(the path it ends on, its HTML) when the page answers 200 with HTML, following redirects."""
    response = client.get(path, follow=True)
    if response.streaming:
        response.close()
        return None
    final = response.request["PATH_INFO"]
    html = response.get("Content-Type", "").startswith("text/html")
    if response.status_code != 200 or not html or not final.startswith("/en/"):
        return None
    return final, response.content.decode()


def discover(client, role: str, starts: list[str], depth: int, per_name: int) -> list[Page]:
    """Breadth first from the start pages: the first pages of each URL name."""
    queue = deque((path, 0) for path in starts)
    tried, kept, pages = set(), Counter(), {}
    while queue:
        path, level = queue.popleft()
        name = url_name(path)
        if path in tried or name is None or kept[name] >= per_name:
            continue
        tried.add(path)
        found = visit(client, path)
        if found is None:
            continue
        final, html = found
        final_name = url_name(final)
        if final_name is None or final in pages or kept[final_name] >= per_name:
            continue
        kept[final_name] += 1
        pages[final] = Page(role, final_name, final)
        if level < depth:
            queue.extend((link, level + 1) for link in links(html, final))
    return list(pages.values())


def start_pages(role: str) -> list[str]:
    """The home page; My tasks when signed in; for members, their report nearest 150 rows."""
    from django.urls import reverse

    if role == "anonymous":
        return ["/en/"]
    starts = ["/en/", "/en/tasks/"]
    if role in ("focal", "staff"):
        report = _editable_report(_user(role))
        starts.append(reverse("activities:report_edit", args=[report.pk]))
    return starts


def five_year_query() -> str:
    from analysis.forms import default_range
    from analysis.selectors import add_months

    _first, last = default_range()
    first = add_months(last, 1 - 12 * YEARS)
    return f"first_month={first:%Y-%m}&last_month={last:%Y-%m}"


def with_five_years(pages: list[Page]) -> list[Page]:
    query = five_year_query()
    longer = [
        Page(page.role, page.name, f"{page.path}?{query}", five_years=True)
        for page in pages
        if page.is_dashboard
    ]
    return pages + longer


# --- measuring --------------------------------------------------------------------------------


class Server:
    """gunicorn, through one kept-alive connection (as nginx keeps them): one warm worker."""

    def __init__(self, port: int, cookie: str) -> None:
        self.port, self.cookie = port, cookie
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def get(self, path: str) -> tuple[float, int, bytes]:
        """Milliseconds to the last byte, the status and the body of one GET."""
        try:
            return self._get(path)
        except ConnectionError:  # closed after `keepalive` idle seconds: open another
            self.connection.close()
            return self._get(path)

    def _get(self, path: str) -> tuple[float, int, bytes]:
        headers = {**PROXY_HEADERS, "Cookie": self.cookie} if self.cookie else PROXY_HEADERS
        started = time.perf_counter()
        self.connection.request("GET", path, headers=headers)
        response = self.connection.getresponse()
        body = response.read()
        return (time.perf_counter() - started) * 1000, response.status, body

    def close(self) -> None:
        self.connection.close()


def served(server: Server, path: str, before: Callable, repeat: int):
    """The median of ``repeat`` requests after a warm-up, the last status and body."""
    times = []
    for number in range(repeat + 1):
        before()
        milliseconds, status, body = server.get(path)
        if number:
            times.append(milliseconds)
    return statistics.median(times), status, body


class SqlClock:
    """Counts and times the queries run inside ``connection.execute_wrapper``."""

    def __init__(self) -> None:
        self.queries, self.seconds = 0, 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1


def in_process(client, path: str, before: Callable) -> tuple[int, float, float]:
    """Queries, SQL milliseconds and whole milliseconds of the page here (medians)."""
    from django.db import connection

    runs = []
    for _ in range(SQL_RUNS):
        before()
        clock = SqlClock()
        started = time.perf_counter()
        with connection.execute_wrapper(clock):
            client.get(path)
        runs.append((clock.queries, clock.seconds * 1000, (time.perf_counter() - started) * 1000))
    return tuple(statistics.median(values) for values in zip(*runs, strict=True))


def timing(page: Page, client, server: Server, before: Callable, repeat: int) -> Timing:
    median_ms, status, body = served(server, page.path, before, repeat)
    queries, sql_ms, total_ms = in_process(client, page.path, before)
    page.size, page.gzipped = len(body), len(gzip.compress(body, 6))
    return Timing(median_ms, status, round(queries), sql_ms, total_ms)


def warm() -> None:
    """Nothing: the figures stay cached from the warm-up request."""


def afresh() -> None:
    """What validating a report does to the caches: every figure and public page made again
    (the filters' choices and the catalogue, computed from the areas and the strategy, stay)."""
    from analysis import cache as analysis_cache
    from core import page_cache

    analysis_cache.bump_figures()
    page_cache.bump()


def measure_role(role: str, user, port: int, args: argparse.Namespace) -> list[Page]:
    client = client_for(user)
    server = Server(port, session_cookie(client))
    pages = with_five_years(discover(client, role, start_pages(role), args.depth, args.per_name))
    print(f"{ROLES[role]}: {len(pages)} pages", file=sys.stderr, flush=True)
    for page in pages:
        page.warm = timing(page, client, server, warm, args.repeat)
        if args.fresh:
            page.fresh = timing(page, client, server, afresh, args.repeat)
        print(f"  {progress(page)}", file=sys.stderr, flush=True)
    server.close()
    return pages


def progress(page: Page) -> str:
    fresh = f", afresh {page.fresh.median_ms:,.0f} ms" if page.fresh else ""
    return (
        f"{page.shown_path}: {page.warm.median_ms:,.0f} ms{fresh}, {page.warm.queries} queries, "
        f"{page.gzipped / 1000:,.1f} KB gzipped"
    )


# --- gunicorn ---------------------------------------------------------------------------------


def start_gunicorn(environment: dict[str, str], port: int, log) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", f"--config={DEPLOY_CONFIG}", "cluster_portal.wsgi"]
    environment = {**environment, "GUNICORN_BIND": f"127.0.0.1:{port}"}
    return subprocess.Popen(  # noqa: S603
        command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT
    )


def workers_memory(master: int) -> str:
    """Each worker's resident memory now, smallest first."""
    sizes = sorted(rss(pid) / 2**20 for pid in worker_pids(master))
    return ", ".join(f"{size:,.0f}" for size in sizes) + " MiB"


def log_summary(text: str) -> str:
    """Worker starts, and the log's warnings and errors (the access log left out)."""
    booted = text.count("Booting worker")
    problems = [
        line for line in text.splitlines() if re.search(r"\[(WARNING|ERROR|CRITICAL)\]", line)
    ]
    listed = "\n".join(problems[-20:])
    return f"gunicorn: {booted} worker starts, {len(problems)} warnings or errors\n{listed}".strip()


# --- the table --------------------------------------------------------------------------------


def over_targets(page: Page) -> str:
    over = []
    if page.warm.median_ms > TARGET_MS:
        over.append("time")
    if page.fresh:
        limit = TARGET_FIVE_YEARS_FRESH_MS if page.five_years and page.is_dashboard else TARGET_MS
        if page.fresh.median_ms > limit:
            over.append("afresh")
        ratio = page.fresh.total_ms / page.fresh.sql_ms if page.fresh.sql_ms else 0
        if page.is_dashboard and ratio > TARGET_SQL_RATIO:
            over.append(f"SQL x{ratio:.1f}")
    if page.gzipped > TARGET_GZIP_BYTES:
        over.append("weight")
    return ", ".join(over)


def table_lines(pages: list[Page], fresh: bool) -> list[str]:
    header = ["role", "page", "path", "status", "median ms"]
    header += ["afresh ms"] if fresh else []
    header += ["queries", "SQL share"]
    header += ["queries afresh", "SQL share afresh"] if fresh else []
    header += ["HTML KB", "gzip KB", "over target"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    order = list(ROLES)
    for page in sorted(pages, key=lambda p: (order.index(p.role), p.name, p.path)):
        cells = [ROLES[page.role], page.name, f"`{page.shown_path}`", str(page.warm.status)]
        cells.append(f"{page.warm.median_ms:,.0f}")
        cells += [f"{page.fresh.median_ms:,.0f}"] if fresh else []
        cells += [str(page.warm.queries), f"{page.warm.sql_share:.0%}"]
        cells += [str(page.fresh.queries), f"{page.fresh.sql_share:.0%}"] if fresh else []
        cells += [f"{page.size / 1000:,.1f}", f"{page.gzipped / 1000:,.1f}", over_targets(page)]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return f"{os.cpu_count()} cores ({model}), load average {load}"


def git(*command: str) -> str:
    command = ("git", "-C", str(ROOT), *command)
    result = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    return result.stdout.strip()


def code_version() -> str:
    """The commit measured, and whether the tree differs from it (the lead may be editing)."""
    try:
        commit = git("log", "-1", "--format=%h %cd", "--date=iso")
        changed = git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.CalledProcessError):
        return f"{ROOT} (not a git checkout)"
    return f"commit {commit}" + (", with uncommitted changes" if changed else "")


def header_lines(args: argparse.Namespace, seeding: float | None, users: dict) -> list[str]:
    from django.db import connection

    seeded = "reused" if seeding is None else f"seeded in {seeding:,.1f} s"
    return [
        f"Date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        f"Machine: {machine()}; PostgreSQL {connection.pg_version // 10000}",
        f"Database: {args.db}, seed_demo --scale {args.scale:,} ({seeded})",
        f"Code: {code_version()}",
        f"Focal point's organisation: {describe_organisation(users['focal'])}",
        f"Command: {' '.join(['.venv/bin/python bench/pages.py', *sys.argv[1:]])}",
        f"Each page: median of {args.repeat} requests through gunicorn (deploy/gunicorn.conf.py)"
        f" after one warm-up; queries and SQL share from the test client (median of {SQL_RUNS})",
    ]


# --- the whole run ----------------------------------------------------------------------------


def main() -> int:
    args = parse_args()
    url = f"{args.postgres}/{args.db}"
    seeding = prepare_database(args, url)
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as temporary:
        work = Path(temporary)
        (work / "bench_pages_settings.py").write_text(
            SETTINGS_MODULE.format(static_root=str(work / "static"))
        )
        environment = production_environment(url, args.redis_url, work, "bench_pages_settings")
        collect_static(environment)
        start_django(environment, work)
        from django.core.cache import cache

        cache.clear()  # the bench's own Redis database: every run starts cold
        users = bench_accounts()
        port = free_port()
        with (work / "gunicorn.log").open("w") as log:
            server = start_gunicorn(environment, port, log)
            try:
                wait_until_healthy(f"http://127.0.0.1:{port}", server)
                memory = f"workers' memory at start: {workers_memory(server.pid)}"
                pages = []
                for role in args.roles:
                    pages += measure_role(role, users[role], port, args)
                memory += f"; at the end: {workers_memory(server.pid)}"
            finally:
                stop(server)
        print(log_summary((work / "gunicorn.log").read_text()), file=sys.stderr)
        print(memory, file=sys.stderr)
    print("\n".join(header_lines(args, seeding, users)))
    print()
    print("\n".join(table_lines(pages, args.fresh)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
