"""A real Celery worker in a subprocess, for tests that must see tasks go through Redis.

It uses a Redis database number of its own (9 by default) and empties only that one, before
and after; the machine's other Redis databases are never touched. The worker reads the
pytest test database, so the test must be ``django_db(transaction=True)`` for the worker to
see its rows. Use it as::

    with celery_worker(tmp_path) as worker:
        worker.send("activities.tasks.send_due_reminders")
        worker.wait_until_idle()
"""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings

__all__ = ["celery_worker", "project_app_on", "test_database_url"]


def _redis_url() -> str:
    """Redis database 9 for the tests' real workers, one more per pytest-xdist process
    (gw0 → 9, gw1 → 10, …), so that parallel runs never share a queue."""
    if "TEST_CELERY_REDIS_URL" in os.environ:
        return os.environ["TEST_CELERY_REDIS_URL"]
    process = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return f"redis://127.0.0.1:6379/{9 + int(process.removeprefix('gw') or 0)}"


REDIS_URL = _redis_url()
PROJECT_ROOT = Path(__file__).resolve().parent.parent
QUEUE = "celery"


def test_database_url() -> str:
    """The URL of the database the tests run on (pytest's test database)."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        pytest.fail("A real worker needs the PostgreSQL test database (set DATABASE_URL).")
    user = database.get("USER") or "postgres"
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    host = database.get("HOST") or "127.0.0.1"
    port = database.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{database['NAME']}"


def _redis():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=5)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.fail(f"No Redis at {REDIS_URL} for a real Celery worker: start redis-server.")
    return client


@dataclass
class Worker:
    process: subprocess.Popen
    app: Celery
    redis: object
    hostname: str
    log: Path

    def send(self, name: str, *args, **kwargs) -> None:
        """Queue a task by name, as the beat would."""
        self.app.send_task(name, args=args, kwargs=kwargs)

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def wait_for(self, condition: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"The worker stopped while {what}:\n{self.output()}")
            if condition():
                return
            time.sleep(0.2)
        raise AssertionError(f"Timed out after {timeout} s {what}. Worker log:\n{self.output()}")

    def is_idle(self) -> bool:
        """Nothing waiting in the queue and nothing taken but not yet acknowledged.

        With acks_late a task stays in Redis's ``unacked`` hash until it has finished.
        """
        return self.redis.llen(QUEUE) == 0 and self.redis.hlen("unacked") == 0

    def wait_until_idle(self, timeout: float = 30) -> None:
        self.wait_for(self.is_idle, timeout, "waiting for the queued tasks to finish")

    def ping(self) -> bool:
        replies = self.app.control.ping(destination=[self.hostname], timeout=0.5)
        return any(self.hostname in reply for reply in replies)

    def children(self) -> list[int]:
        """The pool's child processes (prefork pool), by process id."""
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def kill(self) -> None:
        """Kill the worker at once (SIGKILL), as an out-of-memory kill or a power cut would:
        no task is acknowledged or rejected, no clean-up runs."""
        self.process.kill()
        self.process.wait(timeout=10)


@contextmanager
def celery_worker(
    tmp_path: Path,
    *,
    env: dict[str, str] | None = None,
    startup_timeout: float = 20,
    pool: str = "solo",
    flush: bool = True,
) -> Iterator[Worker]:
    """Start a worker on the test database and Redis db 9; stop it and empty db 9 afterwards.

    ``pool="prefork"`` runs the task in a child process (one), as production does, so a
    test can kill the child; ``flush=False`` keeps what an earlier worker left in Redis.
    """
    client = _redis()
    if flush:
        client.flushdb()
    hostname = f"test-{uuid.uuid4().hex[:8]}@localhost"
    log = tmp_path / f"celery-worker-{hostname.split('@')[0]}.log"
    worker_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cluster_portal.settings",
        "DATABASE_URL": test_database_url(),
        "REDIS_URL": REDIS_URL,
        "SITE_URL": settings.SITE_URL,
        # Files the worker writes land where the test reads them.
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PYTHONUNBUFFERED": "1",
        # No figures warmed after a change (tests/analysis/test_warming.py tests it): the
        # worker runs only what the test sends.
        "ANALYSIS_WARM_SECONDS": "0",
        **(env or {}),
    }
    client_app = Celery("tests", broker=REDIS_URL, set_as_current=False)
    client_app.conf.update(
        task_serializer="json",
        accept_content=["json"],
        broker_connection_timeout=2,
        broker_connection_retry_on_startup=False,
    )
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "cluster_portal",
                "worker",
                f"--pool={pool}",
                "--concurrency=1",
                "-l",
                "warning",
                "-n",
                hostname,
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=PROJECT_ROOT,
            env=worker_env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    worker = Worker(process=process, app=client_app, redis=client, hostname=hostname, log=log)
    try:
        worker.wait_for(worker.ping, startup_timeout, "waiting for the worker to be ready")
        yield worker
    finally:
        if process.poll() is None:
            process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        client_app.close()
        client.flushdb()
        client.close()


@contextmanager
def project_app_on(broker_url: str = REDIS_URL) -> Iterator[Celery]:
    """The portal's own Celery app sends its tasks to this broker (not eagerly) meanwhile.

    For tests of code that queues a task itself (``task.apply_async``), with a real worker
    on the other end, or a broker that the test stops.
    """
    from cluster_portal.celery import app

    def _drop_connections() -> None:
        # Producers are pooled per broker URL by kombu itself, beside the app's own pool.
        from kombu import pools

        if app._pool is not None:
            app._pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None
        pools.reset()

    saved = (app.conf.broker_url, app.conf.task_always_eager)
    _drop_connections()
    app.conf.broker_url = broker_url
    app.conf.task_always_eager = False
    try:
        yield app
    finally:
        _drop_connections()
        app.conf.broker_url, app.conf.task_always_eager = saved
