"""``seed_demo`` creates accounts with a published password: only in the demo mode, which
production settings leave off unless the environment asks for it by name."""

import secrets
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from locations.models import AdminArea
from tests.platform.test_env import PRODUCTION, ROOT, clean_environment, run_python

pytestmark = pytest.mark.django_db


def production(tmp_path, **variables: str) -> dict[str, str]:
    return clean_environment(
        **{
            **PRODUCTION,
            "SECRET_KEY": secrets.token_urlsafe(45),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            **variables,
        }
    )


def test_it_refuses_to_run_outside_the_demo_mode_and_creates_nothing(settings):
    settings.DEMO_MODE = False

    with pytest.raises(CommandError, match="runs only when DEMO_MODE is on"):
        call_command("seed_demo")

    assert not User.objects.filter(email__endswith="@demo.local").exists()
    assert not AdminArea.objects.exists()


def test_the_scale_seed_makes_no_account_and_is_not_held_back_by_the_demo_mode(settings, world):
    settings.DEMO_MODE = False

    # Refused for the database it would fill, not for the mode.
    with pytest.raises(CommandError, match="loads into an empty database"):
        call_command("seed_demo", scale=10)


@pytest.mark.parametrize(
    ("variables", "demo_mode"),
    [({}, False), ({"DEMO_MODE": "true"}, True), ({"DEMO_MODE": "false"}, False)],
)
def test_production_settings_leave_the_demo_mode_off_unless_it_is_set(
    tmp_path, variables, demo_mode
):
    result = run_python(
        "from django.conf import settings; print(settings.DEBUG, settings.DEMO_MODE)",
        production(tmp_path, **variables),
    )

    assert result.stdout.split() == ["False", str(demo_mode)], result.stderr


def test_under_production_settings_the_command_refuses_before_touching_the_database(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "seed_demo"],
        cwd=ROOT,
        env=production(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "runs only when DEMO_MODE is on" in result.stderr
    assert not (tmp_path / "db.sqlite3").exists() or (tmp_path / "db.sqlite3").stat().st_size == 0
