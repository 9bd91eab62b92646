"""The beat of the embedded mode.

Without Redis there is no Celery worker and no beat: tasks run in-process when they are
queued. The scheduled ones (emails waiting for their next attempt, reminders, stale builds,
purges) would then never run, so the development server runs ``CELERY_BEAT_SCHEDULE`` itself,
in a thread of its own, each task in-process as the beat's worker would.
"""

import datetime
import importlib
import logging
import os
import threading
from collections.abc import Sequence

from celery.schedules import schedule as every
from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

logger = logging.getLogger(__name__)

TICK_SECONDS = 15


def _entries():
    """(name, task name, schedule) of every entry of the beat's schedule."""
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        schedule = entry["schedule"]
        if isinstance(schedule, int | float):
            schedule = every(datetime.timedelta(seconds=schedule))
        yield name, entry["task"], schedule


def _task(name: str):
    """The task of that name, from its module (the beat's entries name their tasks)."""
    module, function = name.rsplit(".", 1)
    return getattr(importlib.import_module(module), function)


def run_due(last_runs: dict[str, datetime.datetime]) -> list[str]:
    """Run, in-process, every task whose turn has come since its last run, and return their
    names. An entry seen for the first time starts counting now, as the beat does."""
    now = timezone.now()
    ran = []
    for name, task, schedule in _entries():
        last = last_runs.setdefault(name, now)
        if not schedule.is_due(last).is_due:
            continue
        last_runs[name] = now
        try:
            _task(task).apply()
        except Exception:
            logger.exception("The scheduled task %s failed; it runs again at its next turn.", name)
        ran.append(name)
    return ran


def _loop(stop: threading.Event) -> None:
    last_runs: dict[str, datetime.datetime] = {}
    while not stop.wait(TICK_SECONDS):
        try:
            run_due(last_runs)
        finally:
            close_old_connections()


def is_wanted(argv: Sequence[str], environ: dict) -> bool:
    """In the embedded mode, in the process that serves requests: ``runserver``'s child
    (the autoreloader's parent only watches files), or runserver without the autoreloader."""
    if not (settings.CELERY_TASK_ALWAYS_EAGER and settings.EMBEDDED_BEAT):
        return False
    if argv[1:2] != ["runserver"]:
        return False
    return environ.get("RUN_MAIN") == "true" or "--noreload" in argv


def start() -> threading.Event:
    """Start the thread; setting the returned event stops it."""
    stop = threading.Event()
    threading.Thread(target=_loop, args=(stop,), name="embedded-beat", daemon=True).start()
    logger.info("Embedded mode: the beat's schedule runs in this process.")
    return stop


def start_if_wanted(argv: Sequence[str]) -> None:
    if is_wanted(argv, dict(os.environ)):
        start()
