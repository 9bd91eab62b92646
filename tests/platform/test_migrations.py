"""The models and their migrations agree: no change is waiting for a migration."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration(capsys):
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=1)
    except SystemExit:  # pragma: no cover - the failure message is the point
        pytest.fail("Models changed without a migration:\n" + capsys.readouterr().out)
