"""Issue 21: the boundary loader streams, and the upload limits the maps inherit.

A 95,000-row boundary CSV under the 5 MB limit took 10 s and 170 MB for a dry run: the dry
run wrote every area and rolled back, and the file was read and decoded whole. Now a dry run
writes nothing, the file is read a line at a time, and the upload page sets the limits of
the boundary files to come: 50 MB for GeoJSON, 20 MB for a zipped shapefile, with the archive
checks of the imports.
"""

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import bulk
from locations import loader, services, uploads
from locations.loader import read_cod_ab
from locations.models import AdminArea
from locations.services import admin_areas_load
from tests.factories import UserFactory
from tests.locations.conftest import csv_file

pytestmark = pytest.mark.django_db

MIB = 1024 * 1024
GOOD = csv_file(
    "Demoland,DL,Northern Hills,التلال الشمالية,DL01,Pinecrest,قمة الصنوبر,DL0101",
    "Demoland,DL,River Valley,وادي النهر,DL02,Willowford,مخاضة الصفصاف,DL0201",
)


@pytest.fixture
def coordinator_client(client):
    client.force_login(UserFactory(is_coordinator=True))
    return client


def post(client, name: str, data: bytes):
    return client.post(
        reverse("locations:upload"), {"file": SimpleUploadedFile(name, data), "dry_run": "on"}
    )


def zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


class ChunksOnly(io.BytesIO):
    """A file that refuses to be read whole, as a large upload must never be."""

    def read(self, size=-1):
        assert size is not None, "the file was read whole"
        assert size > 0, "the file was read whole"
        return super().read(size)


def test_a_dry_run_writes_nothing_and_still_reports_what_it_would_do():
    with CaptureQueriesContext(connection) as queries:
        report = admin_areas_load(data=GOOD, dry_run=True)
    assert report.added_count == 5
    assert not [query for query in queries if query["sql"].lstrip().upper().startswith("INSERT")]
    assert not AdminArea.objects.exists()


def test_the_loader_reads_a_large_upload_a_chunk_at_a_time():
    # As Django keeps an upload over FILE_UPLOAD_MAX_MEMORY_SIZE: a file on disk.
    upload = File(ChunksOnly(GOOD), name="areas.csv")
    assert len(read_cod_ab(upload).areas) == 5


def test_a_line_that_is_not_utf8_is_named_by_its_number():
    data = GOOD + "Demoland,DL,Hills,,DL03,Bad,,DL0301\n".encode("cp1252").replace(
        b"Bad", b"B\xe9d"
    )
    with pytest.raises(ValidationError) as caught:
        admin_areas_load(data=data)
    assert caught.value.problems[0].line == 4
    assert "The file is not UTF-8 text." in caught.value.problems[0].message


def test_the_limits_the_maps_inherit():
    assert uploads.MAX_BYTES == {
        "csv": 5 * MIB,
        "geojson": 50 * MIB,
        "shapefile": 20 * MIB,
        "xlsx": 10 * MIB,  # the population tables' workbooks
    }


def test_a_geojson_over_its_limit_is_refused_naming_the_limit(coordinator_client, monkeypatch):
    monkeypatch.setitem(uploads.MAX_BYTES, uploads.GEOJSON, 100)
    response = post(
        coordinator_client, "country.geojson", b'{"type": "FeatureCollection"' + b" " * 200 + b"}"
    )
    assert response.status_code == 400
    assert "The GeoJSON file is 229" in response.content.decode()
    assert "the limit is 100" in response.content.decode()


def test_a_zipped_shapefile_over_its_limit_is_refused(coordinator_client, monkeypatch):
    monkeypatch.setitem(uploads.MAX_BYTES, uploads.SHAPEFILE, 100)
    data = zipped(dict.fromkeys(("a.shp", "a.shx", "a.dbf"), b"x" * 100))
    response = post(coordinator_client, "country.zip", data)
    assert response.status_code == 400
    assert "The zipped shapefile is" in response.content.decode()


def test_a_shapefile_zip_bomb_is_refused_before_it_is_unpacked(coordinator_client):
    bomb = zipped({"a.shp": b"\0" * (300 * MIB), "a.shx": b"", "a.dbf": b""})
    assert len(bomb) < MIB
    response = post(coordinator_client, "country.zip", bomb)
    assert response.status_code == 400
    assert "would be far too large once unpacked; it was not opened." in response.content.decode()


def test_a_zip_without_a_shapefile_is_refused(coordinator_client):
    response = post(coordinator_client, "country.zip", zipped({"readme.txt": b"hello"}))
    assert response.status_code == 400
    assert "holds no shapefile (its .shp, .shx and .dbf files)." in response.content.decode()


def test_a_geojson_or_a_shapefile_within_its_limits_is_read_as_boundaries(coordinator_client):
    response = post(coordinator_client, "country.geojson", b'{"type": "FeatureCollection"}')
    assert response.status_code == 400
    assert "The file is not a GeoJSON FeatureCollection of admin areas." in (
        response.content.decode()
    )
    shapefile = zipped(dict.fromkeys(("a.shp", "a.shx", "a.dbf"), b"x" * 100))
    response = post(coordinator_client, "country.zip", shapefile)
    assert response.status_code == 400
    assert "The file cannot be read as a shapefile in UTF-8" in response.content.decode()
    assert not AdminArea.objects.exists()


def test_the_proxy_lets_the_largest_upload_through():
    conf = (Path(settings.BASE_DIR) / "deploy" / "nginx" / "health-cluster.conf").read_text()
    body_limit = int(re.search(r"client_max_body_size (\d+)m;", conf).group(1)) * MIB
    assert body_limit > max(uploads.MAX_BYTES.values())
    assert body_limit > settings.ASSESSMENT_ATTACHMENT_MAX_MB * MIB


# A 95,000-line file took 2 to 6 s to be read before anything was said: a file is now
# refused at the line past MAX_ROWS, and the loader writes in bulk (``locations.bulk``).


def lines_of_areas(count: int, name: str = "Place") -> list[str]:
    return [f"Demoland,DL,Hills,,DL01,{name} {index},,DL01{index:04d}" for index in range(count)]


def test_a_file_past_the_row_limit_is_refused_at_the_line_past_it(monkeypatch):
    monkeypatch.setattr(loader, "MAX_ROWS", 3)
    # The lines past the limit are never read: the unreadable one would be listed.
    data = csv_file(*lines_of_areas(4), "Demoland,DL,,,,Orphan,,DL0999")
    with pytest.raises(ValidationError) as caught:
        admin_areas_load(data=data, dry_run=True)
    assert [problem.line for problem in caught.value.problems] == [5]
    assert "The file has more than 3 lines of areas" in caught.value.problems[0].message
    assert not AdminArea.objects.exists()


def test_a_file_at_the_row_limit_loads(monkeypatch):
    monkeypatch.setattr(loader, "MAX_ROWS", 3)
    report = admin_areas_load(data=csv_file(*lines_of_areas(3), "", ""))
    assert report.added_count == 5
    assert AdminArea.objects.count() == 5


def test_the_upload_page_refuses_a_file_past_the_row_limit_with_a_400(
    coordinator_client, monkeypatch
):
    monkeypatch.setattr(loader, "MAX_ROWS", 2)
    response = post(coordinator_client, "areas.csv", csv_file(*lines_of_areas(3)))
    assert response.status_code == 400
    assert "The file has more than 2 lines of areas" in response.content.decode()


def test_the_upload_page_names_the_row_limit(coordinator_client):
    response = coordinator_client.get(reverse("locations:upload"))
    assert "at most 5.0\xa0MB and 20,000 lines of areas;" in response.content.decode()


def test_every_batch_of_new_and_renamed_areas_is_written_with_its_history(monkeypatch):
    monkeypatch.setattr(bulk, "BATCH", 2)
    user = UserFactory()
    admin_areas_load(data=csv_file(*lines_of_areas(5)), by=user)
    admin_areas_load(data=csv_file(*lines_of_areas(5, name="Town")), by=user)
    areas = AdminArea.objects.filter(level=2).order_by("pcode")
    assert [area.name_en for area in areas] == [f"Town {index}" for index in range(5)]
    assert {area.path for area in areas} == {f"/DL/DL01/DL01{i:04d}/" for i in range(5)}
    history = AdminArea.history.filter(level=2).order_by("pcode", "history_id")
    assert [(h.pcode, h.history_type, h.name_en) for h in history] == [
        row
        for index in range(5)
        for row in (
            (f"DL01{index:04d}", "+", f"Place {index}"),
            (f"DL01{index:04d}", "~", f"Town {index}"),
        )
    ]
    assert {h.history_user for h in history} == {user}
    assert {h.history_change_reason for h in history} == {services.CHANGE_REASON}
