"""What the bench scripts share: undoing their writes, reading memory, running gunicorn."""

import os
import resource
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEALTHZ = "/healthz"
# As from the TLS proxy in front of gunicorn: without it SECURE_SSL_REDIRECT answers 301.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


class Rollback(Exception):
    """Raised inside the bench's transaction to undo everything it wrote."""


def mib(size: float) -> str:
    return f"{size / 1024 / 1024:.1f} MiB"


def maxrss() -> int:
    """The process's peak resident size in bytes (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_environment(
    database_url: str, redis_url: str, settings_dir: Path, module: str
) -> dict[str, str]:
    """The variables of a production server, with the settings module written in settings_dir."""
    environment = dict(os.environ)
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": module,
            "PYTHONPATH": os.pathsep.join([str(settings_dir), str(ROOT)]),
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "SECURE_SSL_REDIRECT": "true",
            "DEMO_MODE": "false",
            "LOG_LEVEL": "WARNING",
        }
    )
    return environment


def get(url: str, timeout: float = 10, headers: dict | None = None) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(url, headers={**PROXY_HEADERS, **(headers or {})})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            response.read()
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def wait_until_healthy(base: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped before answering /healthz (see its log).")
        try:
            status, _ = get(base + HEALTHZ, timeout=2)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"/healthz did not answer 200 within {seconds:.0f} s.")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)  # gunicorn's graceful shutdown
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def worker_pids(master: int) -> set[int]:
    """The processes gunicorn's master has started (its workers), from /proc."""
    children = Path(f"/proc/{master}/task/{master}/children")
    try:
        return {int(pid) for pid in children.read_text().split()}
    except OSError:
        return set()


def rss(pid: int) -> int:
    """A process's resident size in bytes now (0 once it has ended)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0
