"""Who may open the public bulletin pages, and publish or withdraw a bulletin.

Everybody reads the archive, the feeds, a published edition's page and PDF, and every
published version's PDF; an old number leads everybody to its edition for good. Nobody, not
even a coordinator, reads through them an edition never published (built or not), a version
not published, or an old number leading to an unpublished edition: a 404, which does not say
it exists. Publishing and withdrawing are the coordinators' (visitors to the login page,
partner members a 403).
"""

import pytest
from django.urls import reverse

from bulletins import publication
from bulletins.models import BulletinRedirect, Edition
from tests.bulletins.test_archive import _build_revision, _bulletin
from tests.matrix import LOGIN, Row, check, every_role, params

V1_PDF = b"%PDF-1.7\n% the first version\n"
V2_PDF = b"%PDF-1.7\n% the revision\n"


def _public(world) -> Edition:
    """Bulletin 700+: its English edition published and revised (versions 1 and 2), its
    Arabic edition built but not published; two old numbers leading to each edition."""
    edition = getattr(world, "_public", None)
    if edition is None:
        number = 700 + world.org_a.pk
        _bulletin_700, english, arabic = _bulletin_with_revision(number)
        BulletinRedirect.objects.create(number=600 + world.org_a.pk, edition=english)
        BulletinRedirect.objects.create(number=650 + world.org_a.pk, edition=arabic)
        edition = world._public = english
    return edition


def _bulletin_with_revision(number: int):
    bulletin, english, arabic = _bulletin(
        number, publish=("en",), build=("ar",), pdfs={"en": V1_PDF}
    )
    english = _build_revision(english, V2_PDF, highlights="Corrected highlights.")
    publication.edition_publish_revision(edition=english, note="Corrected.", by=None)
    return bulletin, english, arabic


def _unpublished(world) -> Edition:
    """Bulletin 800+: both editions built and ready, never published."""
    edition = getattr(world, "_unpublished", None)
    if edition is None:
        _bulletin_800, english, _arabic = _bulletin(
            800 + world.org_a.pk, publish=(), build=("en", "ar")
        )
        edition = world._unpublished = english
    return edition


def _number(edition_of):
    def kwargs(world) -> dict:
        return {"number": edition_of(world).bulletin.number}

    return kwargs


def _edition(edition_of, language: str, version: int | None = None):
    def kwargs(world) -> dict:
        found = {"number": edition_of(world).bulletin.number, "language": language}
        return found if version is None else {**found, "version": version}

    return kwargs


def _old_number(offset: int):
    def kwargs(world) -> dict:
        _public(world)
        return {"number": offset + world.org_a.pk}

    return kwargs


def _unpublished_pk(world) -> dict:
    return {"pk": _unpublished(world).bulletin_id}


def _public_pk(world) -> dict:
    return {"pk": _public(world).bulletin_id}


def _languages(world) -> dict:
    return {"languages": ["en", "ar"]}


def _reason(world) -> dict:
    return {"reason": "The figures of one area were counted twice."}


PUBLIC = _number(_public)
UNPUBLISHED = _number(_unpublished)
OLD_NUMBER = _old_number(600)
OLD_NUMBER_OF_UNPUBLISHED = _old_number(650)

EVERYONE = every_role(200)
MOVED = every_role(301)
NOBODY = every_role(404)
NOT_ALLOWED = every_role(405)
COORDINATOR_WRITES = every_role(403, anonymous=LOGIN, coordinator=302, site_admin=302)
COORDINATOR_READS = every_role(403, anonymous=LOGIN, coordinator=200, site_admin=200)

MATRIX = [
    Row("bulletins:archive", EVERYONE),
    Row("bulletins:archive", NOT_ALLOWED, method="post"),
    Row("bulletins:feed", EVERYONE),
    Row("bulletins:feed", NOT_ALLOWED, method="post"),
    # A bulletin's page and PDF at its number: its edition in the page's language.
    Row("bulletins:public", EVERYONE, kwargs=PUBLIC, note="published"),
    Row("bulletins:public", NOT_ALLOWED, kwargs=PUBLIC, method="post", note="published"),
    Row("bulletins:public", NOBODY, kwargs=UNPUBLISHED, note="ready, not published"),
    Row("bulletins:public", MOVED, kwargs=OLD_NUMBER, note="old number"),
    Row(
        "bulletins:public", NOBODY, kwargs=OLD_NUMBER_OF_UNPUBLISHED, note="old number, unpublished"
    ),
    Row("bulletins:public_pdf", EVERYONE, kwargs=PUBLIC, note="published"),
    Row("bulletins:public_pdf", NOBODY, kwargs=UNPUBLISHED, note="ready, not published"),
    Row("bulletins:public_pdf", MOVED, kwargs=OLD_NUMBER, note="old number"),
    Row(
        "bulletins:public_pdf",
        NOBODY,
        kwargs=OLD_NUMBER_OF_UNPUBLISHED,
        note="old number, unpublished",
    ),
    # An edition's page and its current PDF.
    Row("bulletins:edition", EVERYONE, kwargs=_edition(_public, "en"), note="published"),
    Row(
        "bulletins:edition",
        NOBODY,
        kwargs=_edition(_public, "ar"),
        note="built, its bulletin's other edition published",
    ),
    Row("bulletins:edition", NOBODY, kwargs=_edition(_unpublished, "en"), note="ready"),
    Row("bulletins:edition_pdf", EVERYONE, kwargs=_edition(_public, "en"), note="published"),
    Row(
        "bulletins:edition_pdf",
        NOBODY,
        kwargs=_edition(_public, "ar"),
        note="built, its bulletin's other edition published",
    ),
    Row("bulletins:edition_pdf", NOBODY, kwargs=_edition(_unpublished, "en"), note="ready"),
    # Every published version's PDF, the earlier ones included.
    Row("bulletins:version_pdf", EVERYONE, kwargs=_edition(_public, "en", 1), note="earlier"),
    Row("bulletins:version_pdf", EVERYONE, kwargs=_edition(_public, "en", 2), note="current"),
    Row("bulletins:version_pdf", NOBODY, kwargs=_edition(_public, "en", 3), note="no such"),
    Row(
        "bulletins:version_pdf",
        NOBODY,
        kwargs=_edition(_public, "ar", 1),
        note="edition built, not published",
    ),
    Row("bulletins:version_pdf", NOBODY, kwargs=_edition(_unpublished, "en", 1), note="ready"),
    # Publishing and withdrawing.
    Row("bulletins:publish", COORDINATOR_READS, kwargs=_unpublished_pk, note="the confirmation"),
    Row(
        "bulletins:publish",
        COORDINATOR_WRITES,
        kwargs=_unpublished_pk,
        method="post",
        data=_languages,
    ),
    Row(
        "bulletins:publish",
        every_role(403, anonymous=LOGIN, coordinator=400, site_admin=400),  # on the confirmation
        kwargs=_unpublished_pk,
        method="post",
        note="no edition chosen",
    ),
    Row("bulletins:withdraw", COORDINATOR_READS, kwargs=_public_pk, note="the confirmation"),
    Row("bulletins:withdraw", COORDINATOR_WRITES, kwargs=_public_pk, method="post", data=_reason),
    Row(
        "bulletins:withdraw",
        every_role(403, anonymous=LOGIN, coordinator=400, site_admin=400),  # on the confirmation
        kwargs=_public_pk,
        method="post",
        note="no reason",
    ),
]


@pytest.mark.parametrize(("row", "role"), params(MATRIX), ids=str)
def test_permissions(row, role, world, login):
    check(row, role, world, login)


def test_an_old_number_leads_everyone_to_its_edition(world, login):
    edition = _public(world)
    old = 600 + world.org_a.pk

    for role in ("anonymous", "focal", "coordinator"):
        client = login(world.user(role))
        page = client.get(reverse("bulletins:public", kwargs={"number": old}))
        pdf = client.get(reverse("bulletins:public_pdf", kwargs={"number": old}))
        assert page["Location"] == f"/en/bulletins/{edition.bulletin.number}/en/"
        assert pdf["Location"] == f"/en/bulletins/{edition.bulletin.number}/en/pdf/"


def test_a_member_cannot_publish_or_withdraw_and_nothing_changes(world, login):
    unpublished = _unpublished(world)
    public = _public(world)
    client = login(world.user("focal"))

    publish = reverse("bulletins:publish", kwargs={"pk": unpublished.bulletin_id})
    withdraw = reverse("bulletins:withdraw", kwargs={"pk": public.bulletin_id})
    assert client.post(publish, _languages(world)).status_code == 403
    assert client.post(withdraw, _reason(world)).status_code == 403

    editions = Edition.objects.filter(bulletin_id=unpublished.bulletin_id)
    assert [edition.published_at for edition in editions] == [None, None]
    public.refresh_from_db()
    assert public.withdrawn_at is None
