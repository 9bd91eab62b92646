"""The locations permission matrix: every URL of the app for every role.

Browsing and searching the areas is public. Loading a COD-AB file, and the population per
area from a COD-PS table, is for coordinators and the site administrator: members get a 403
(the page concerns no organisation's record, so refusing it reveals nothing) and anonymous
visitors are sent to log in.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.locations.conftest import csv_file
from tests.matrix import LOGIN, Row, check, every_role, params

COORDINATORS_ONLY = every_role(403, anonymous=LOGIN, coordinator=200, site_admin=200)


def _area_file(world) -> dict:
    data = csv_file("Demoland,DL,Northern Hills,,DL01,Pinecrest,,DL0101")
    return {"file": SimpleUploadedFile("areas.csv", data, content_type="text/csv")}


def _population_file(world) -> dict:
    data = b"ADM1_PCODE,T_TL\nZZ01,1200\n"
    return {
        "file": SimpleUploadedFile("population.csv", data, content_type="text/csv"),
        "year": "2025",
        "source": "OCHA COD-PS 2025",
    }


MATRIX = [
    Row("locations:list", every_role(200)),
    Row("locations:list", every_role(200), data=lambda w: {"parent": "ZZ01"}, note="drill down"),
    Row("locations:search", every_role(200), data=lambda w: {"q": "north"}),
    Row("locations:upload", COORDINATORS_ONLY),
    Row("locations:upload", COORDINATORS_ONLY, method="post", data=_area_file),
    Row("locations:population_upload", COORDINATORS_ONLY),
    Row("locations:population_upload", COORDINATORS_ONLY, method="post", data=_population_file),
]


@pytest.mark.parametrize(("row", "role"), params(MATRIX), ids=str)
def test_permissions(row, role, world, login):
    check(row, role, world, login)
