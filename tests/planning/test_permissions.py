"""The planning pages' permission matrix: every URL of ``planning:`` for every role.

Members of approved organisations (Sam, Alice, Olga) read the caseloads and the targets per
area, and may change nothing (403); coordinators and the site administrator read, save, load
and download the template; visitors are asked to log in.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.matrix import LOGIN, Row, check, every_role, params
from tests.planning.conftest import make_plan

READ = every_role(200, anonymous=LOGIN)
COORDINATORS_ONLY = every_role(403, anonymous=LOGIN, coordinator=200, site_admin=200)
COORDINATORS_SAVE = every_role(403, anonymous=LOGIN, coordinator=302, site_admin=302)


def _cycle(world) -> dict:
    return {"cycle_pk": world.plan.cycle.pk}


def _rate(world) -> dict:
    return {"indicator_pk": world.plan.rate.pk}


def _caseloads(world) -> dict:
    north = world.plan.north.pk
    return {"level": "1", "source": "HNO 2026", f"pin-{north}-all": "100", f"tgt-{north}-all": "50"}


def _file(world) -> dict:
    content = b"ADM1_PCODE,PIN_T,TGT_T\nPL1,100,50\n"
    return {
        "file": SimpleUploadedFile("hno.csv", content, content_type="text/csv"),
        "source": "HNO 2026",
        "dry_run": "on",
    }


MATRIX = [
    Row("planning:caseloads", READ, kwargs=_cycle),
    Row("planning:caseloads", READ, kwargs=_cycle, data=lambda w: {"level": "2"}, note="admin2"),
    Row("planning:caseloads", COORDINATORS_SAVE, kwargs=_cycle, method="post", data=_caseloads),
    Row(
        "planning:caseloads",
        COORDINATORS_ONLY,
        kwargs=_cycle,
        method="post",
        data=lambda w: {"level": "1", "suggest": "1"},
        note="suggest",
    ),
    Row(
        "planning:caseloads",
        every_role(404, anonymous=LOGIN),
        kwargs=lambda w: {"cycle_pk": w.plan.cycle.pk + 1000},
        note="no such cycle",
    ),
    Row("planning:caseload_upload", COORDINATORS_ONLY, kwargs=_cycle),
    Row("planning:caseload_upload", COORDINATORS_ONLY, kwargs=_cycle, method="post", data=_file),
    Row("planning:caseload_template", COORDINATORS_ONLY),
    Row("planning:caseload_template", every_role(405, anonymous=LOGIN), method="post"),
    Row("planning:area_targets", READ, kwargs=_rate),
    Row(
        "planning:area_targets",
        COORDINATORS_SAVE,
        kwargs=_rate,
        method="post",
        data=lambda w: {"level": "1", f"target-{w.plan.north.pk}": "80"},
    ),
]


@pytest.mark.parametrize(("row", "role"), params(MATRIX), ids=str)
def test_permissions(row, role, world, login):
    world.plan = make_plan()
    check(row, role, world, login)
