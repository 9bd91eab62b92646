"""The outbox's settings: read from the environment, and refused when they contradict."""

from outbox.services import retry_delay
from tests.platform.test_env import clean_environment, run_python


def test_the_longest_wait_may_not_be_shorter_than_the_first():
    environ = clean_environment(OUTBOX_RETRY_DELAY="600", OUTBOX_RETRY_MAX_DELAY="60")
    result = run_python("import cluster_portal.settings", environ)
    assert result.returncode != 0
    assert "OUTBOX_RETRY_MAX_DELAY must not be shorter than OUTBOX_RETRY_DELAY" in result.stderr


def test_the_defaults_try_an_email_for_about_four_hours(settings):
    environ = clean_environment()
    result = run_python(
        "from cluster_portal import settings as s; print(s.OUTBOX_MAX_ATTEMPTS, "
        "s.OUTBOX_RETRY_DELAY, s.OUTBOX_RETRY_MAX_DELAY, s.OUTBOX_RETENTION_DAYS)",
        environ,
    )
    assert result.stdout.split() == ["10", "60", "3600", "30"]
    settings.OUTBOX_RETRY_DELAY, settings.OUTBOX_RETRY_MAX_DELAY = 60, 3600
    waits = [retry_delay(attempt).total_seconds() / 60 for attempt in range(1, 10)]
    assert waits == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert 4 * 60 <= sum(waits) <= 4 * 60 + 5
