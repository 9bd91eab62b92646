"""The file store of the tests: the local disk, or a private bucket on a real S3 server.

moto's S3 server runs in a thread on a free loopback port for the whole session; each test
that wants a bucket gets a new one. ``file_store`` is parametrized: a test that uses it runs
once on the disk and once on the bucket, through ``STORAGES`` as the settings build it from
``STORAGE_URL``. ``unreachable_store`` points the portal at a loopback port nobody listens on.

Django caches its storages: changing ``settings.STORAGES`` sends ``setting_changed``, whose
handler forgets them and resets ``default_storage`` (checked in tests/platform/
test_object_storage.py).
"""

import logging
import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import boto3
import pytest
import requests
from moto.server import ThreadedMotoServer

from cluster_portal.env import env_storage_url

ACCESS_KEY = "portal-key"
SECRET_KEY = "portal/secret+key"  # percent-encoded in the URL, as an operator's would be
REGION = "us-east-1"


def storage_url(endpoint: str, bucket: str) -> str:
    """The STORAGE_URL of a bucket at ``endpoint`` (``host:port``), over http."""
    key, secret = quote(ACCESS_KEY, safe=""), quote(SECRET_KEY, safe="")
    return f"s3://{key}:{secret}@{endpoint}/{bucket}?region={REGION}&secure=false"


def storages_for(url: str, base: dict) -> dict:
    """``STORAGES`` as the settings build it for this STORAGE_URL."""
    options = env_storage_url("STORAGE_URL", environ={"STORAGE_URL": url})
    return {**base, "default": {"BACKEND": "core.storage.PrivateS3Storage", "OPTIONS": options}}


def closed_port() -> int:
    """A loopback port with nothing listening on it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Bucket:
    """A bucket on the test S3 server, seen as an outsider with the keys would see it."""

    endpoint: str  # host:port
    name: str
    client: object = field(repr=False)

    @property
    def url(self) -> str:
        return storage_url(self.endpoint, self.name)

    def object_keys(self) -> set[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.name)
        return {item["Key"] for page in pages for item in page.get("Contents", [])}

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def anonymous_get(self, key: str) -> requests.Response:
        return requests.get(f"http://{self.endpoint}/{self.name}/{key}", timeout=10)

    def empty(self) -> None:
        for key in self.object_keys():
            self.client.delete_object(Bucket=self.name, Key=key)


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    """moto's S3 server on a free loopback port; ``host:port``."""
    # The server logs every request through werkzeug: noise in a failing test's output.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_bucket(s3_server) -> Iterator[Bucket]:
    """A new, empty, private bucket; deleted with its objects after the test."""
    client = boto3.client(
        "s3",
        endpoint_url=f"http://{s3_server}",
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name=REGION,
    )
    bucket = Bucket(s3_server, f"portal-{uuid.uuid4().hex[:12]}", client)
    client.create_bucket(Bucket=bucket.name)
    yield bucket
    bucket.empty()
    client.delete_bucket(Bucket=bucket.name)


@dataclass
class FileStore:
    """Where the portal's files are kept in this run of the test."""

    kind: str  # "disk" or "s3"
    media_root: Path
    bucket: Bucket | None = None

    @property
    def environ(self) -> dict[str, str]:
        """STORAGE_URL for a process the test starts (a Celery worker)."""
        return {"STORAGE_URL": self.bucket.url if self.bucket else ""}

    def names(self) -> set[str]:
        """Every stored file, by the name the portal gives it."""
        if self.bucket is not None:
            return self.bucket.object_keys()
        if not self.media_root.exists():
            return set()
        return {
            path.relative_to(self.media_root).as_posix()
            for path in self.media_root.rglob("*")
            if path.is_file()
        }


@pytest.fixture(params=["disk", "s3"])
def file_store(request, settings) -> FileStore:
    """The test runs twice: files on the local disk, then in a private bucket."""
    if request.param == "disk":
        return FileStore("disk", Path(settings.MEDIA_ROOT))
    bucket = request.getfixturevalue("s3_bucket")
    settings.STORAGES = storages_for(bucket.url, settings.STORAGES)
    return FileStore("s3", Path(settings.MEDIA_ROOT), bucket)


@pytest.fixture
def unreachable_store(settings) -> str:
    """The portal's files in a bucket whose endpoint does not answer; its STORAGE_URL."""
    url = storage_url(f"127.0.0.1:{closed_port()}", "portal-files")
    settings.STORAGES = storages_for(url, settings.STORAGES)
    return url
