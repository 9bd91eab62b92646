"""The backup and restore scripts of docs/operations.md, run for real on a scratch database."""

import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


def _url(name: str) -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    host, port = s.get("HOST") or "127.0.0.1", s.get("PORT") or 5432
    return f"postgresql://{s.get('USER') or 'postgres'}{password}@{host}:{port}/{name}"


@pytest.fixture
def scratch_database():
    name = f"restore_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield _url(name)
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(*args: str) -> None:
    subprocess.run([str(ROOT / "scripts" / args[0]), *args[1:]], check=True, capture_output=True)


def _organisations(url: str) -> list[str]:
    with psycopg.connect(url) as db:
        rows = db.execute("SELECT name_en FROM partners_organisation ORDER BY name_en")
        return [row[0] for row in rows]


def test_a_backup_restores_the_database_and_the_files_after_they_are_wiped(
    tmp_path, scratch_database
):
    OrganisationFactory(name_en="Restored Relief")
    media = tmp_path / "media"
    (media / "assessments").mkdir(parents=True)
    (media / "assessments" / "report.pdf").write_bytes(b"%PDF-1.4 field report")
    backup = tmp_path / "backup"

    _run("backup", _url(connection.settings_dict["NAME"]), str(media), str(backup))
    # Restore into an empty database standing in for the new server.
    _run("restore", str(backup), scratch_database, str(tmp_path / "restored-media"))
    assert "Restored Relief" in _organisations(scratch_database)

    # Wipe the restored data and files, then restore again over the wreck.
    with psycopg.connect(scratch_database, autocommit=True) as db:
        db.execute("DROP TABLE partners_organisation CASCADE")
    (tmp_path / "restored-media" / "assessments" / "report.pdf").unlink()
    _run("restore", str(backup), scratch_database, str(tmp_path / "restored-media"))

    assert "Restored Relief" in _organisations(scratch_database)
    restored = tmp_path / "restored-media" / "assessments" / "report.pdf"
    assert restored.read_bytes() == b"%PDF-1.4 field report"
    with psycopg.connect(scratch_database) as db:
        applied = db.execute("SELECT count(*) FROM django_migrations").fetchone()[0]
    assert applied > 10


def test_a_corrupted_backup_is_refused_before_anything_is_touched(tmp_path, scratch_database):
    OrganisationFactory(name_en="Kept Clinic")
    media = tmp_path / "media"
    media.mkdir()
    backup = tmp_path / "backup"
    _run("backup", _url(connection.settings_dict["NAME"]), str(media), str(backup))
    _run("restore", str(backup), scratch_database, str(tmp_path / "restored"))
    with (backup / "database.dump").open("ab") as dump:
        dump.write(b"garbage")

    with pytest.raises(subprocess.CalledProcessError):
        _run("restore", str(backup), scratch_database, str(tmp_path / "restored"))
    # The checksum failed first: the database restored before is untouched.
    assert _organisations(scratch_database) == ["Kept Clinic"]
