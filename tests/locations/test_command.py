"""The load_admin_areas management command: its report, and its exit status on a bad file."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from locations.management.commands.load_admin_areas import Command
from locations.models import AdminArea
from tests.locations.conftest import csv_file
from tests.text import has_phrase

GOOD = csv_file(
    "Demoland,DL,Northern Hills,,DL01,Pinecrest,,DL0101",
    "Demoland,DL,Northern Hills,,DL01,Stonebrook,,DL0102",
)
BAD = csv_file(
    "Demoland,DL,Northern Hills,,DL01,Pinecrest,,",
    "Demoland,DL,Northern Hills,,DL01,Stonebrook,,DL0102",
    "Demoland,DL,,,,Windmere,,DL0103",
)


@pytest.fixture
def good_file(tmp_path):
    path = tmp_path / "areas.csv"
    path.write_bytes(GOOD)
    return path


@pytest.fixture
def bad_file(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(BAD)
    return path


@pytest.mark.django_db
def test_it_prints_what_it_added_and_a_summary(good_file, capsys):
    call_command("load_admin_areas", str(good_file))

    out = capsys.readouterr().out
    assert "added    DL0101  Pinecrest" in out
    assert has_phrase(out, "4 areas added; 0 renamed; 0 unchanged")
    assert AdminArea.objects.count() == 4


@pytest.mark.django_db
def test_running_it_twice_reports_everything_unchanged(good_file, capsys):
    call_command("load_admin_areas", str(good_file))
    call_command("load_admin_areas", str(good_file))

    assert has_phrase(capsys.readouterr().out, "0 areas added; 0 renamed; 4 unchanged")
    assert AdminArea.objects.count() == 4


@pytest.mark.django_db
def test_a_dry_run_changes_nothing(good_file, capsys):
    call_command("load_admin_areas", str(good_file), "--dry-run")

    assert "Dry run, nothing changed: 4 areas added" in capsys.readouterr().out
    assert not AdminArea.objects.exists()


@pytest.mark.django_db
def test_a_bad_file_fails_listing_every_bad_line_and_loads_nothing(bad_file):
    with pytest.raises(CommandError) as caught:
        call_command("load_admin_areas", str(bad_file))

    message = str(caught.value)
    assert has_phrase(message, "2 problem(s); nothing was loaded")
    assert "Line 2: The ADM2_PCODE cell is empty" in message
    assert "Line 4: The ADM2 area has no parent" in message
    assert caught.value.returncode == 1
    assert not AdminArea.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_run_from_the_command_line_a_bad_file_exits_non_zero(bad_file, capsys):
    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["manage.py", "load_admin_areas", str(bad_file)])

    assert exited.value.code == 1
    assert "Line 4:" in capsys.readouterr().err


@pytest.mark.django_db
def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("load_admin_areas", str(tmp_path / "nope.csv"))
