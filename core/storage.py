"""Where uploads and bulletin PDFs are kept: the local disk, or a private S3-compatible bucket.

With ``STORAGE_URL`` set (see ``cluster_portal/env.py``), Django's default storage is
``PrivateS3Storage``. Every failure to reach the bucket (endpoint down, wrong credentials, a
bucket that refuses) comes out of it as one exception, ``StorageUnavailable``, whatever
botocore raised, so the rest of the portal deals with a single kind of error:

- It is a ``ValidationError``: the upload views already put a service's ValidationError on
  the re-shown form, so an upload says the file store is unreachable and nothing is saved
  (the file is written before the row, and the row's transaction rolls back).
- Anywhere else, ``StorageUnavailableMiddleware`` answers a 503 page that says so.
- A file left behind after its row was deleted is logged, not raised (``delete_quietly``).

Downloads stay streamed through the portal's own views (docs/operations.md says why): no
object is public and no URL of the bucket is handed out.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from functools import wraps

from boto3.exceptions import Boto3Error
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from s3transfer.exceptions import RetriesExceededError
from storages.backends.s3 import S3File, S3Storage
from storages.utils import clean_name

logger = logging.getLogger(__name__)

# What botocore, boto3 and s3transfer raise when the bucket cannot be used. A missing object
# (404) is not among them: S3Storage turns it into FileNotFoundError or False first.
UNREACHABLE = (BotoCoreError, ClientError, Boto3Error, RetriesExceededError)

MESSAGE = _(
    "The file store cannot be reached just now; nothing was saved. Try again in a few minutes."
)


class StorageUnavailable(ValidationError):
    """The file store could not be reached; nothing was written."""

    def __init__(self) -> None:
        super().__init__(MESSAGE, code="storage_unavailable")


@contextmanager
def storage_errors(action: str, name: str = "") -> Iterator[None]:
    """Turn any failure to reach the bucket inside into ``StorageUnavailable``."""
    try:
        yield
    except UNREACHABLE as error:
        logger.warning("The file store could not %s %r: %s", action, name, error)
        raise StorageUnavailable from error


def _guarded(action: str):
    def decorate(method):
        @wraps(method)
        def guarded(self, name, *args, **kwargs):
            with storage_errors(action, name):
                return method(self, name, *args, **kwargs)

        return guarded

    return decorate


class PrivateS3File(S3File):
    """An object being read: its download, on first access, fails as StorageUnavailable."""

    def _get_file(self):
        with storage_errors("read", self.name):
            return super()._get_file()

    file = property(_get_file, S3File._set_file)


class PrivateS3Storage(S3Storage):
    """The bucket named by STORAGE_URL: private objects, never a URL for anyone outside."""

    def get_default_settings(self) -> dict:
        return {
            **super().get_default_settings(),
            # A name already taken gets a new one, as on disk: a replaced file is deleted
            # after the commit by name, which must not be the new file's.
            "file_overwrite": False,
            # No ACL sent: objects are as private as the bucket (no public-read grant).
            "default_acl": None,
            # url() gives a plain address the bucket refuses, never a usable signed link.
            "querystring_auth": False,
            # Reads beyond this spill from memory to a temporary file.
            "max_memory_size": settings.FILE_UPLOAD_MAX_MEMORY_SIZE,
            # Given a client config, S3Storage ignores its addressing_style and
            # signature_version options, so they are here. Path-style addresses
            # (host/bucket/key) need no wildcard DNS for a bucket of one's own. A bucket that
            # is down makes the request fail in seconds, not minutes.
            "client_config": Config(
                s3={"addressing_style": "path"},
                signature_version="s3v4",
                connect_timeout=5,
                read_timeout=30,
                retries={"max_attempts": 2, "mode": "standard"},
            ),
        }

    def _open(self, name: str, mode: str = "rb") -> PrivateS3File:
        # S3Storage._open, with the file class whose download is guarded too.
        name = self._normalize_name(clean_name(name))
        with storage_errors("open", name):
            try:
                return PrivateS3File(name, mode, self)
            except ClientError as error:
                if error.response["ResponseMetadata"]["HTTPStatusCode"] == 404:
                    raise FileNotFoundError(f"File does not exist: {name}") from None
                raise

    _save = _guarded("save")(S3Storage._save)
    delete = _guarded("delete")(S3Storage.delete)
    exists = _guarded("check")(S3Storage.exists)
    size = _guarded("measure")(S3Storage.size)
    listdir = _guarded("list")(S3Storage.listdir)
    get_modified_time = _guarded("date")(S3Storage.get_modified_time)


def delete_quietly(storage: Storage, name: str) -> None:
    """Delete a file whose row is already gone (after the commit). If the store cannot be
    reached, the file stays behind, unreferenced and harmless; the log says which."""
    try:
        storage.delete(name)
    except StorageUnavailable:
        logger.error("The file %r was left in the file store: it could not be deleted.", name)


class StorageUnavailableMiddleware:
    """A request that needed the file store while it was unreachable gets a 503 page."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, StorageUnavailable):
            return None
        response = render(request, "503_storage.html", status=503)
        response["Retry-After"] = "60"
        response["Cache-Control"] = "no-store"
        return response
