"""Keeps ``time.sleep`` working when the suite runs under ``faketime`` with
FAKETIME_DONT_FAKE_MONOTONIC=1 (a year ahead, monotonic clocks real).

libfaketime 0.9.10 shifts the absolute monotonic deadline that Python's ``time.sleep`` gives
``clock_nanosleep`` by the fake offset, and the kernel refuses it (EINVAL): every sleep fails.
``select`` waits the same time without an absolute deadline. tests/conftest.py loads this file
in the test process and puts its folder on PYTHONPATH for the processes the tests start
(Celery workers, gunicorn, runserver), where Python loads it as ``sitecustomize``. Without
libfaketime it does nothing.
"""

import os
import select
import time


def under_faketime() -> bool:
    return "faketime" in os.environ.get("LD_PRELOAD", "") and bool(
        os.environ.get("FAKETIME_DONT_FAKE_MONOTONIC")
    )


def _sleep(seconds: float) -> None:
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    select.select([], [], [], seconds)


if under_faketime():
    time.sleep = _sleep
