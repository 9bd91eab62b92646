"""Issue 24, the boundaries: loading a COD-AB GeoJSON file into the area tree.

The rules of the table's loader hold (all or nothing, an idempotent reload that renames and
redraws without duplicating or moving anything), and each area keeps its boundary and an
outline simplified with its level. The hand-drawn country of ``test_boundaries``: North and
South share an edge; North's two districts are its halves.
"""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from shapely.geometry import shape

from locations.loader import AdminAreaFileError
from locations.models import AdminArea, AreaBoundary
from locations.services import admin_areas_load
from tests.factories import UserFactory
from tests.locations.test_boundaries import (
    LEFT,
    NORTH,
    RIGHT,
    SOUTH,
    collection,
    feature,
    ring,
    square,
    zipped_shapefile,
)

pytestmark = pytest.mark.django_db

COUNTRY = {"ADM0_PCODE": "ZZ", "ADM0_EN": "Zedland", "ADM0_AR": "زدلاند"}


def with_country(item: dict) -> dict:
    return item | {"properties": COUNTRY | item["properties"]}


FILE = collection(*(with_country(item) for item in (NORTH, SOUTH, LEFT, RIGHT)))


def test_a_geojson_file_loads_the_areas_and_their_boundaries():
    report = admin_areas_load(data=FILE)

    assert (report.added_count, report.boundaries) == (5, 4)  # the country named, not drawn
    tree = dict(AdminArea.objects.values_list("pcode", "parent__pcode"))
    assert tree == {"ZZ": None, "ZZ1": "ZZ", "ZZ2": "ZZ", "ZZ101": "ZZ1", "ZZ102": "ZZ1"}
    assert AdminArea.objects.get(pcode="ZZ").name_ar == "زدلاند"
    north = AreaBoundary.objects.get(area__pcode="ZZ1")
    assert shape(north.geometry).equals(shape(square(0, 0, 1, 1)))
    outlines = {b.area.pcode: shape(b.outline) for b in AreaBoundary.objects.select_related("area")}
    assert outlines["ZZ1"].intersection(outlines["ZZ2"]).area == pytest.approx(0, abs=1e-12)
    assert report.summary().endswith("4 boundaries loaded.")


def test_a_reload_renames_and_redraws_without_duplicating_anything():
    admin_areas_load(data=FILE)
    renamed = with_country(NORTH) | {"geometry": square(0, 0, 1, 1.001)}
    renamed["properties"] = renamed["properties"] | {"ADM1_EN": "Northern Hills"}

    report = admin_areas_load(data=collection(renamed, with_country(SOUTH)))

    assert (report.added_count, report.renamed_count) == (0, 1)
    assert AdminArea.objects.count() == 5
    assert AreaBoundary.objects.count() == 4
    assert AdminArea.objects.get(pcode="ZZ1").name_en == "Northern Hills"
    north = shape(AreaBoundary.objects.get(area__pcode="ZZ1").geometry)
    assert north.bounds == (0, 0, 1, 1.001)


def test_a_bad_feature_loads_nothing_and_is_named():
    stray = feature(square(5, 5, 6, 6), ADM1_PCODE="ZZ1", ADM2_PCODE="ZZ103", ADM2_EN="Stray")
    orphan = feature(square(0, 0, 1, 1), ADM1_PCODE="ZZ7", ADM2_PCODE="ZZ701", ADM2_EN="Orphan")

    with pytest.raises(AdminAreaFileError) as refused:
        admin_areas_load(data=collection(*(with_country(i) for i in (NORTH, stray, orphan))))

    assert [str(problem) for problem in refused.value.problems] == [
        "Feature 2 (ZZ103): 100% of it lies outside its parent ZZ1.",
        "Feature 3 (ZZ701): Its parent ZZ7 is neither in the file nor in the portal.",
    ]
    assert not AdminArea.objects.exists()
    assert not AreaBoundary.objects.exists()


def test_an_area_cannot_move_by_a_boundary_file_either():
    admin_areas_load(data=FILE)
    moved = with_country(RIGHT)
    moved["properties"] = moved["properties"] | {"ADM1_PCODE": "ZZ2"}
    moved["geometry"] = square(0.5, 1, 1, 2)

    with pytest.raises(AdminAreaFileError) as refused:
        admin_areas_load(data=collection(with_country(SOUTH), moved))

    [problem] = refused.value.problems
    assert str(problem).startswith("Feature 2: The p-code ZZ102 is inside ZZ1 in the portal")
    assert AdminArea.objects.get(pcode="ZZ102").parent.pcode == "ZZ1"


def test_a_dry_run_checks_and_writes_nothing():
    report = admin_areas_load(data=FILE, dry_run=True)

    assert (report.added_count, report.boundaries, report.dry_run) == (5, 4, True)
    assert not AdminArea.objects.exists()
    assert not AreaBoundary.objects.exists()


def test_the_command_reads_a_geojson_file(tmp_path):
    path = tmp_path / "zedland.geojson"
    path.write_bytes(FILE)
    out = io.StringIO()

    call_command("load_admin_areas", str(path), stdout=out)

    assert AreaBoundary.objects.count() == 4
    bad = tmp_path / "bad.geojson"
    bad.write_bytes(collection(feature(square(0, 0, 1, 1), ADM1_EN="Nameless")))
    with pytest.raises(CommandError, match="Feature 1: It has no p-code"):
        call_command("load_admin_areas", str(bad), stdout=out)


def test_a_coordinator_uploads_the_boundaries_on_the_page(client):
    client.force_login(UserFactory(is_coordinator=True))
    url = reverse("locations:upload")
    upload = io.BytesIO(FILE)
    upload.name = "zedland.geojson"

    response = client.post(url, {"file": upload}, follow=True)

    assert "The areas were loaded." in response.content.decode()
    assert AreaBoundary.objects.count() == 4


def test_a_zipped_shapefile_loads_like_the_geojson(client):
    """The country is already there (the demo's, or a table loaded before): the shapefile's
    ADM0_PCODE names it."""
    admin_areas_load(data=collection(feature(square(0, 0, 1, 2), **COUNTRY)))
    client.force_login(UserFactory(is_coordinator=True))
    upload = io.BytesIO(
        zipped_shapefile(
            [("ZZ1", "North", "الشمال", ring(0, 0, 1, 1)), ("ZZ2", "South", "", ring(0, 1, 1, 2))]
        )
    )
    upload.name = "zedland_adm1.zip"

    response = client.post(reverse("locations:upload"), {"file": upload}, follow=True)

    assert "The areas were loaded." in response.content.decode()
    assert dict(AdminArea.objects.values_list("pcode", "parent__pcode")) == {
        "ZZ": None,
        "ZZ1": "ZZ",
        "ZZ2": "ZZ",
    }
    assert AdminArea.objects.get(pcode="ZZ1").name_ar == "الشمال"
    assert AreaBoundary.objects.count() == 3
