"""Who may open the bulletin pages: coordinators (and site administrators) only.

Drafts and every build page are the cluster team's: visitors are sent to the login page,
partner members get a 403.
"""

import pytest

from tests.bulletins.factories import BulletinFactory
from tests.matrix import LOGIN, Row, check, every_role, params


def _bulletin(world) -> dict:
    bulletin = getattr(world, "_bulletin", None)
    if bulletin is None:
        bulletin = BulletinFactory(number=900 + world.org_a.pk)
        world._bulletin = bulletin
    return {"pk": bulletin.pk}


def _built(world) -> dict:
    """A bulletin with a PDF on disk, for the download row."""
    from django.core.files.base import ContentFile

    kwargs = _bulletin(world)
    bulletin = world._bulletin
    if not bulletin.pdf:
        bulletin.pdf.save("matrix.pdf", ContentFile(b"%PDF-1.4 matrix"), save=True)
    return kwargs


def _form(world) -> dict:
    return {
        "number": 950 + world.org_a.pk,
        "title": "Matrix bulletin",
        "language": "en",
        "first_month": "2026-01",
        "last_month": "2026-02",
    }


COORDINATORS = every_role(403, anonymous=LOGIN, coordinator=200, site_admin=200)
COORDINATOR_WRITES = every_role(403, anonymous=LOGIN, coordinator=302, site_admin=302)

MATRIX = [
    Row("bulletins:list", COORDINATORS),
    Row("bulletins:create", COORDINATORS),
    Row("bulletins:create", COORDINATOR_WRITES, method="post", data=_form, note="valid"),
    Row("bulletins:detail", COORDINATORS, kwargs=_bulletin),
    Row("bulletins:edit", COORDINATORS, kwargs=_bulletin),
    Row(
        "bulletins:edit",
        every_role(403, anonymous=LOGIN, coordinator=400, site_admin=400),
        kwargs=_bulletin,
        method="post",
        note="empty form",
    ),
    Row(
        "bulletins:autosave",
        every_role(403, anonymous=LOGIN, coordinator=400, site_admin=400),
        kwargs=_bulletin,
        method="post",
        note="empty form",
    ),
    Row("bulletins:autosave", every_role(405), kwargs=_bulletin),
    Row("bulletins:status", COORDINATORS, kwargs=_bulletin),
    Row("bulletins:preview", COORDINATORS, kwargs=_bulletin),
    Row("bulletins:download", COORDINATORS, kwargs=_built, note="built"),
    Row(
        "bulletins:download",
        every_role(403, anonymous=LOGIN, coordinator=404, site_admin=404),
        kwargs=_bulletin,
        note="not built",
    ),
    Row("bulletins:build", every_role(405), kwargs=_bulletin, note="GET"),
    Row("bulletins:build", COORDINATOR_WRITES, kwargs=_bulletin, method="post"),
]


@pytest.fixture(autouse=True)
def _no_real_build(monkeypatch):
    """The matrix checks access, not the PDF: the build's task is not sent."""
    from bulletins import tasks

    monkeypatch.setattr(tasks.build_bulletin, "apply_async", lambda *args, **kwargs: None)


@pytest.mark.parametrize(("row", "role"), params(MATRIX), ids=str)
def test_permissions(row, role, world, login):
    check(row, role, world, login)


@pytest.mark.parametrize("name", ["detail", "status", "preview", "edit"])
def test_a_missing_bulletin_is_a_404_for_coordinators(name, world, login):
    from django.urls import reverse

    client = login(world.user("coordinator"))
    assert client.get(reverse(f"bulletins:{name}", kwargs={"pk": 999999})).status_code == 404
