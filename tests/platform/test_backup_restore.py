"""The backup and restore scripts of docs/operations.md, run for real on a scratch database."""

import hashlib
import os
import subprocess
import tarfile
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.factories import OrganisationFactory
from tests.storage import closed_port, storage_url

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


def _run(*args: str, storage_url: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ROOT / "scripts" / args[0]), *args[1:]],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "STORAGE_URL": storage_url},
    )


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


# The files in a bucket (STORAGE_URL) --------------------------------------------------------

FILES = {
    "private/assessments/report.pdf": b"%PDF-1.4 field report",
    "bulletins/bulletin-1-ar.pdf": b"%PDF-1.7 Arabic edition",
    "partners/logos/alpha.png": b"\x89PNG logo",
}


def _members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}


def _objects(bucket) -> dict[str, bytes]:
    return {key: bucket.read(key) for key in bucket.object_keys()}


def test_with_a_bucket_the_backup_holds_its_objects_and_the_restore_puts_them_back(
    tmp_path, scratch_database, s3_bucket
):
    for key, content in FILES.items():
        s3_bucket.client.put_object(Bucket=s3_bucket.name, Key=key, Body=content)
    OrganisationFactory(name_en="Restored Relief")
    backup = tmp_path / "backup"
    unused_media_root = str(tmp_path / "no-media")

    _run(
        "backup",
        _url(connection.settings_dict["NAME"]),
        unused_media_root,
        str(backup),
        storage_url=s3_bucket.url,
    )

    assert sorted(path.name for path in backup.iterdir()) == [
        "SHA256SUMS",
        "database.dump",
        "media.tar.gz",
    ]
    assert _members(backup / "media.tar.gz") == FILES
    digest = hashlib.sha256((backup / "media.tar.gz").read_bytes()).hexdigest()
    assert f"{digest}  media.tar.gz" in (backup / "SHA256SUMS").read_text()

    # The bucket damaged: a file lost, one overwritten, one that was never backed up.
    s3_bucket.client.delete_object(Bucket=s3_bucket.name, Key="private/assessments/report.pdf")
    s3_bucket.client.put_object(
        Bucket=s3_bucket.name, Key="bulletins/bulletin-1-ar.pdf", Body=b"garbled"
    )
    s3_bucket.client.put_object(Bucket=s3_bucket.name, Key="bulletins/stray.pdf", Body=b"x")

    result = _run(
        "restore", str(backup), scratch_database, unused_media_root, storage_url=s3_bucket.url
    )

    assert "3 files restored into the bucket, 1 others deleted." in result.stdout
    assert _objects(s3_bucket) == FILES
    assert "Restored Relief" in _organisations(scratch_database)
    assert not Path(unused_media_root).exists()


def test_a_backup_of_the_disk_restores_into_a_bucket(tmp_path, scratch_database, s3_bucket):
    """How the files move from MEDIA_ROOT to a bucket: back up, set STORAGE_URL, restore."""
    media = tmp_path / "media"
    for key, content in FILES.items():
        (media / key).parent.mkdir(parents=True, exist_ok=True)
        (media / key).write_bytes(content)
    backup = tmp_path / "backup"
    _run("backup", _url(connection.settings_dict["NAME"]), str(media), str(backup))

    _run("restore", str(backup), scratch_database, str(media), storage_url=s3_bucket.url)

    assert _objects(s3_bucket) == FILES


def test_a_backup_while_the_bucket_is_out_of_reach_fails_and_leaves_no_archive(tmp_path):
    backup = tmp_path / "backup"
    with pytest.raises(subprocess.CalledProcessError) as failed:
        _run(
            "backup",
            _url(connection.settings_dict["NAME"]),
            str(tmp_path / "media"),
            str(backup),
            storage_url=storage_url(f"127.0.0.1:{closed_port()}", "portal-files"),
        )
    assert "The file store cannot be reached" in failed.value.stderr
    assert sorted(path.name for path in backup.iterdir()) == ["database.dump"]
