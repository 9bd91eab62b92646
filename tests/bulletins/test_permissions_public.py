"""Who may open the public bulletin pages and publish or withdraw a bulletin.

Everybody reads a published bulletin, its PDF, the archive and the feed; nobody, not even a
coordinator, reads a bulletin never published through them (a 404, which does not say it
exists). Publishing and withdrawing are the coordinators' (visitors to the login page,
partner members a 403).
"""

import pytest

from tests.bulletins.test_publication import published_bulletin, ready_bulletin
from tests.matrix import LOGIN, Row, check, every_role, params


def _published(world) -> dict:
    bulletin = getattr(world, "_published", None)
    if bulletin is None:
        bulletin = published_bulletin(number=700 + world.org_a.pk)
        world._published = bulletin
    return {"number": bulletin.number}


def _unpublished(world) -> dict:
    bulletin = getattr(world, "_ready", None)
    if bulletin is None:
        bulletin = ready_bulletin(number=800 + world.org_a.pk)
        world._ready = bulletin
    return {"number": bulletin.number}


def _ready_pk(world) -> dict:
    _unpublished(world)
    return {"pk": world._ready.pk}


def _published_pk(world) -> dict:
    _published(world)
    return {"pk": world._published.pk}


def _reason(world) -> dict:
    return {"reason": "The figures of one area were counted twice."}


EVERYONE = every_role(200)
NOBODY = every_role(404)
COORDINATOR_WRITES = every_role(403, anonymous=LOGIN, coordinator=302, site_admin=302)
COORDINATOR_READS = every_role(403, anonymous=LOGIN, coordinator=200, site_admin=200)

MATRIX = [
    Row("bulletins:archive", EVERYONE),
    Row("bulletins:feed", EVERYONE),
    Row("bulletins:public", EVERYONE, kwargs=_published, note="published"),
    Row("bulletins:public", NOBODY, kwargs=_unpublished, note="ready, not published"),
    Row("bulletins:public_pdf", EVERYONE, kwargs=_published, note="published"),
    Row("bulletins:public_pdf", NOBODY, kwargs=_unpublished, note="ready, not published"),
    Row("bulletins:publish", COORDINATOR_READS, kwargs=_ready_pk, note="the confirmation"),
    Row("bulletins:publish", COORDINATOR_WRITES, kwargs=_ready_pk, method="post"),
    Row("bulletins:withdraw", COORDINATOR_READS, kwargs=_published_pk, note="the confirmation"),
    Row(
        "bulletins:withdraw",
        COORDINATOR_WRITES,
        kwargs=_published_pk,
        method="post",
        data=_reason,
    ),
    Row(
        "bulletins:withdraw",
        every_role(403, anonymous=LOGIN, coordinator=400, site_admin=400),  # on the confirmation
        kwargs=_published_pk,
        method="post",
        note="no reason",
    ),
]


@pytest.mark.parametrize(("row", "role"), params(MATRIX), ids=str)
def test_permissions(row, role, world, login):
    check(row, role, world, login)


def test_a_member_cannot_publish_and_nothing_changes(world, login):
    from django.urls import reverse

    from bulletins.models import Bulletin

    kwargs = _ready_pk(world)
    client = login(world.user("focal"))

    assert client.post(reverse("bulletins:publish", kwargs=kwargs)).status_code == 403
    assert Bulletin.objects.get(pk=kwargs["pk"]).published_at is None
