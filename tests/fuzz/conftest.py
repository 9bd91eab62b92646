"""Settings of the fuzz tests: Hypothesis profiles, and the report of slow responses.

``make test`` runs the "ci" profile, derandomized and fixed: one example per URL, role and
method (each field a different one of ``hostile.FIRST_CLASSICS`` for each role) and 25 per
kind of upload, so that a run finds what the previous one found and takes the same time
(about two minutes on two cores). ``make fuzz`` sets ``FUZZ_PROFILE=fuzz``: many more
examples, drawn anew each run. Neither writes an example database into the repository.
Slow responses are printed at the end of the run, never failed on.
"""

import logging
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis.configuration import set_hypothesis_home_dir

from tests.fuzz.profile import PROFILE

# Hypothesis keeps caches (Unicode tables, constants found in the code) in its home
# directory, by default .hypothesis/ in the repository: kept out of it.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "cluster-portal-hypothesis")

# The examples are HTTP requests against the test database: slow next to a pure function.
# Values of 100,000 characters are large on purpose. The examples of a test share its
# fixtures (the world of personas and records) on purpose too: each request runs in a
# savepoint rolled back after it, so every example starts from the same records.
SUPPRESSED = [
    HealthCheck.too_slow,
    HealthCheck.data_too_large,
    HealthCheck.large_base_example,
    HealthCheck.function_scoped_fixture,
]
# Forms and queries: examples per URL and role (each sends one request per field); uploads:
# examples per kind of file. `make fuzz` takes other numbers from FUZZ_EXAMPLES and
# FUZZ_UPLOAD_EXAMPLES.
EXAMPLES = {
    "ci": 1,
    "ci-uploads": 25,
    "fuzz": int(os.environ.get("FUZZ_EXAMPLES", 10)),
    "fuzz-uploads": int(os.environ.get("FUZZ_UPLOAD_EXAMPLES", 200)),
}
for name, examples in EXAMPLES.items():
    deep = name.startswith("fuzz")
    settings.register_profile(
        name,
        max_examples=examples,
        # The same draws on every run of `make test`; new ones on every `make fuzz`.
        derandomize=not deep,
        database=None,
        deadline=None,
        print_blob=False,
        # The tests collect every 5xx and fail once, listing them, rather than raise inside
        # Hypothesis: nothing for it to shrink.
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=SUPPRESSED,
    )
settings.load_profile(PROFILE)

SLOW = "slow response"


@pytest.fixture(autouse=True)
def _quiet_request_logs():
    """Every refused or failed request would log its traceback; the tests list them instead."""
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


@pytest.fixture(autouse=True)
def _no_bulletin_build(monkeypatch):
    """A build is a Celery task (in-process here, taking seconds); the request only queues it."""
    from bulletins import tasks

    monkeypatch.setattr(tasks.build_edition, "apply_async", lambda *args, **kwargs: None)


@pytest.fixture
def report_slow(request):
    """Call with a line per response slower than the threshold; printed after the run."""

    def _report(line: str) -> None:
        request.node.user_properties.append((SLOW, line))

    return _report


def pytest_terminal_summary(terminalreporter):
    lines = [
        value
        for report in terminalreporter.stats.get("passed", [])
        + terminalreporter.stats.get("failed", [])
        for name, value in getattr(report, "user_properties", [])
        if name == SLOW and report.when == "call"
    ]
    if lines:
        terminalreporter.section(f"{len(lines)} responses slower than 2 s (reported, not failed)")
        for line in sorted(set(lines)):
            terminalreporter.line(line)
