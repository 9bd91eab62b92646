"""The bucket's objects to and from a ``media.tar.gz``, for scripts/backup and scripts/restore.

The archive has the layout of ``tar -C MEDIA_ROOT -czf media.tar.gz .``: one member per file,
named by its key, so a backup of the disk restores into a bucket and the other way round
(which is also how files move from one to the other).
"""

import mimetypes
import os
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.core.files.storage import Storage
from django.core.management.base import CommandError

from core.storage import PrivateS3Storage, storage_errors

# Objects up to this size are held in memory on their way; larger ones go through a temp file.
SPOOL_BYTES = 8 * 1024 * 1024


def _bucket(storage: Storage) -> PrivateS3Storage:
    if not isinstance(storage, PrivateS3Storage):
        raise CommandError(
            "STORAGE_URL is not set: the files are in MEDIA_ROOT, which scripts/backup archives "
            "with tar."
        )
    return storage


def _keys(storage: PrivateS3Storage) -> list[dict]:
    client = storage.connection.meta.client
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=storage.bucket_name)
    return [item for page in pages for item in page.get("Contents", [])]


def bucket_to_archive(storage: Storage, archive: Path) -> int:
    """Write every object of the bucket into ``archive`` (gzip'd tar); the number written.

    The archive appears only once complete: a failure leaves no partial file behind.
    """
    storage = _bucket(storage)
    client = storage.connection.meta.client
    partial = archive.with_name(archive.name + ".partial")
    count = 0
    try:
        with storage_errors("back up", storage.bucket_name), tarfile.open(partial, "w:gz") as tar:
            for item in _keys(storage):
                with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as body:
                    client.download_fileobj(storage.bucket_name, item["Key"], body)
                    info = tarfile.TarInfo(item["Key"])
                    info.size = body.tell()
                    info.mtime = int(item["LastModified"].timestamp())
                    info.mode = 0o600
                    body.seek(0)
                    tar.addfile(info, body)
                count += 1
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, archive)
    return count


def _key(member: tarfile.TarInfo) -> str:
    """The object key of an archived file; a name leaving the archive's root is refused."""
    path = PurePosixPath(member.name)
    parts = [part for part in path.parts if part != "."]
    if path.is_absolute() or ".." in parts or not parts:
        raise CommandError(f"The archive holds a file outside its root: {member.name!r}.")
    return "/".join(parts)


def archive_to_bucket(storage: Storage, archive: Path) -> tuple[int, int]:
    """Put every file of ``archive`` into the bucket, then delete the objects it does not hold;
    (files put, objects deleted). Deleting last means a failure midway loses nothing."""
    storage = _bucket(storage)
    client = storage.connection.meta.client
    restored = set()
    with storage_errors("restore", storage.bucket_name):
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                if not member.isfile():
                    continue
                key = _key(member)
                content_type = mimetypes.guess_type(key)[0] or "application/octet-stream"
                client.upload_fileobj(
                    tar.extractfile(member),
                    storage.bucket_name,
                    key,
                    ExtraArgs={"ContentType": content_type},
                )
                restored.add(key)
        extra = [item["Key"] for item in _keys(storage) if item["Key"] not in restored]
        for key in extra:
            client.delete_object(Bucket=storage.bucket_name, Key=key)
    return len(restored), len(extra)
