"""Who may open the coordinators' bulletin pages: coordinators (and site administrators) only.

The list, a bulletin and its editions, their builds, previews and PDFs, publishing, revising
and withdrawing are the cluster team's: visitors are sent to the login page, partner members
get a 403, whatever the bulletin's state. Coordinators get the page's real answer.
"""

import pytest
from django.urls import reverse

from bulletins import policy
from bulletins.models import BuildStatus, Bulletin, Edition
from tests.bulletins.factories import bilingual_bulletin, built, published_edition, revise
from tests.matrix import LOGIN, Row, check, every_role, params


def _cached(world, name: str, make):
    value = getattr(world, name, None)
    if value is None:
        value = make()
        setattr(world, name, value)
    return value


def _draft(world) -> Bulletin:
    """A bulletin with an English and an Arabic edition, neither built."""
    return _cached(world, "_draft", lambda: bilingual_bulletin(number=900 + world.org_a.pk)[0])


def _ready(world) -> Bulletin:
    """A bulletin whose two editions are built and ready to publish."""

    def make():
        bulletin, english, arabic = bilingual_bulletin(number=800 + world.org_a.pk)
        built(english)
        built(arabic)
        return bulletin

    return _cached(world, "_ready", make)


def _published(world) -> Edition:
    """A published English edition."""
    return _cached(
        world, "_published", lambda: published_edition(bulletin__number=700 + world.org_a.pk)
    )


def _revised(world) -> Edition:
    """A published edition whose revision is built and ready to publish."""

    def make():
        edition = published_edition(bulletin__number=600 + world.org_a.pk)
        revise(edition, situation_overview="The figures for the north were corrected.")
        return built(Edition.objects.prefetch_related("versions").get(pk=edition.pk))

    return _cached(world, "_revised", make)


def _draft_pk(world) -> dict:
    return {"pk": _draft(world).pk}


def _ready_pk(world) -> dict:
    return {"pk": _ready(world).pk}


def _published_pk(world) -> dict:
    return {"pk": _published(world).bulletin_id}


def _draft_edition(world) -> dict:
    return {"pk": _draft(world).pk, "language": "ar"}


def _built_edition(world) -> dict:
    return {"pk": _ready(world).pk, "language": "en"}


def _revised_edition(world) -> dict:
    return {"pk": _revised(world).bulletin_id, "language": "en"}


def _published_edition(world) -> dict:
    return {"pk": _published(world).bulletin_id, "language": "en"}


def _create_form(world) -> dict:
    return {
        "number": 950 + world.org_a.pk,
        "first_month": "2026-01",
        "last_month": "2026-02",
        "title_en": "Matrix bulletin",
        "title_ar": "",
    }


def _settings_form(world) -> dict:
    return {"number": 960 + world.org_a.pk, "first_month": "2026-01", "last_month": "2026-03"}


def _edition_form(world) -> dict:
    return {"title": "Matrix edition", "highlights": "One", "situation_overview": "Floods."}


def _languages(world) -> dict:
    return {"languages": ["en", "ar"]}


def _reason(world) -> dict:
    return {"reason": "The figures of one area were counted twice."}


def _note(world) -> dict:
    return {"note": "The figures for the north were corrected."}


def coordinators(status) -> dict:
    return every_role(403, anonymous=LOGIN, coordinator=status, site_admin=status)


READS = coordinators(200)
WRITES = coordinators(302)  # done, then back to the bulletin's page
REFUSED = coordinators(400)  # the form again, with its errors
MISSING = coordinators(404)

MATRIX = [
    Row("bulletins:list", READS),
    Row("bulletins:create", READS),
    Row("bulletins:create", WRITES, method="post", data=_create_form, note="valid"),
    Row("bulletins:create", REFUSED, method="post", note="empty form"),
    Row("bulletins:detail", READS, kwargs=_draft_pk, note="not built"),
    Row("bulletins:detail", READS, kwargs=_published_pk, note="published"),
    Row("bulletins:settings", READS, kwargs=_draft_pk),
    Row("bulletins:settings", WRITES, kwargs=_draft_pk, method="post", data=_settings_form),
    Row("bulletins:settings", REFUSED, kwargs=_draft_pk, method="post", note="empty form"),
    Row("bulletins:settings", WRITES, kwargs=_published_pk, note="published: sent back"),
    Row("bulletins:build", every_role(405), kwargs=_draft_pk, note="GET"),
    Row("bulletins:build", WRITES, kwargs=_draft_pk, method="post"),
    Row("bulletins:build", WRITES, kwargs=_published_pk, method="post", note="published: refused"),
    Row("bulletins:publish", READS, kwargs=_ready_pk, note="the confirmation"),
    Row("bulletins:publish", WRITES, kwargs=_ready_pk, method="post", data=_languages),
    Row("bulletins:publish", REFUSED, kwargs=_ready_pk, method="post", note="no edition chosen"),
    Row("bulletins:publish", WRITES, kwargs=_draft_pk, note="nothing ready: sent back"),
    Row("bulletins:withdraw", READS, kwargs=_published_pk, note="the confirmation"),
    Row("bulletins:withdraw", WRITES, kwargs=_published_pk, method="post", data=_reason),
    Row("bulletins:withdraw", REFUSED, kwargs=_published_pk, method="post", note="no reason"),
    Row("bulletins:withdraw", WRITES, kwargs=_draft_pk, note="not published: sent back"),
    Row("bulletins:edition_edit", READS, kwargs=_draft_edition),
    Row("bulletins:edition_edit", READS, kwargs=_published_edition, note="published"),
    Row(
        "bulletins:edition_edit",
        WRITES,
        kwargs=_draft_edition,
        method="post",
        data=_edition_form,
    ),
    Row("bulletins:edition_edit", REFUSED, kwargs=_draft_edition, method="post", note="empty form"),
    Row("bulletins:edition_autosave", every_role(405), kwargs=_draft_edition, note="GET"),
    Row(
        "bulletins:edition_autosave",
        READS,
        kwargs=_draft_edition,
        method="post",
        data=_edition_form,
    ),
    Row(
        "bulletins:edition_autosave",
        REFUSED,
        kwargs=_draft_edition,
        method="post",
        note="empty form",
    ),
    Row("bulletins:edition_build", every_role(405), kwargs=_draft_edition, note="GET"),
    Row("bulletins:edition_build", WRITES, kwargs=_draft_edition, method="post"),
    Row("bulletins:edition_status", READS, kwargs=_draft_edition),
    Row("bulletins:edition_preview", READS, kwargs=_draft_edition, note="today's figures"),
    Row("bulletins:edition_preview", READS, kwargs=_built_edition, note="built"),
    Row("bulletins:edition_download", READS, kwargs=_built_edition, note="built"),
    Row("bulletins:edition_download", MISSING, kwargs=_draft_edition, note="not built"),
    Row("bulletins:edition_download", READS, kwargs=_published_edition, note="published"),
    Row("bulletins:edition_revise", READS, kwargs=_revised_edition, note="the confirmation"),
    Row("bulletins:edition_revise", WRITES, kwargs=_revised_edition, method="post", data=_note),
    Row(
        "bulletins:edition_revise", REFUSED, kwargs=_revised_edition, method="post", note="no note"
    ),
    Row(
        "bulletins:edition_revise",
        WRITES,
        kwargs=_published_edition,
        note="no revision: sent back",
    ),
]


@pytest.fixture(autouse=True)
def _no_real_build(monkeypatch):
    """The matrix checks access, not the PDF: the build's task is not sent."""
    from bulletins import tasks

    monkeypatch.setattr(tasks.build_edition, "apply_async", lambda *args, **kwargs: None)


@pytest.mark.parametrize(("row", "role"), params(MATRIX), ids=str)
def test_permissions(row, role, world, login):
    check(row, role, world, login)


# What a refused request leaves: nothing changed. -----------------------------------------


@pytest.mark.parametrize("role", ["anonymous", "staff", "focal", "other_member"])
def test_a_member_s_writes_change_nothing(role, world, login):
    draft = _draft(world)
    ready = _ready(world)
    published = _published(world)
    revised = _revised(world)
    client = login(world.user(role))
    arabic = {"pk": draft.pk, "language": "ar"}
    posts = [
        (reverse("bulletins:create"), _create_form(world)),
        (reverse("bulletins:settings", kwargs={"pk": draft.pk}), _settings_form(world)),
        (reverse("bulletins:build", kwargs={"pk": draft.pk}), {}),
        (reverse("bulletins:publish", kwargs={"pk": ready.pk}), _languages(world)),
        (reverse("bulletins:withdraw", kwargs={"pk": published.bulletin_id}), _reason(world)),
        (reverse("bulletins:edition_edit", kwargs=arabic), _edition_form(world)),
        (reverse("bulletins:edition_autosave", kwargs=arabic), _edition_form(world)),
        (reverse("bulletins:edition_build", kwargs=arabic), {}),
        (reverse("bulletins:edition_revise", kwargs=_revised_edition(world)), _note(world)),
    ]

    answers = {url: client.post(url, data).status_code for url, data in posts}

    expected = 302 if role == "anonymous" else 403
    assert answers == {url: expected for url, _data in posts}
    assert not Bulletin.objects.filter(number=950 + world.org_a.pk).exists()
    draft.refresh_from_db()
    assert draft.number == 900 + world.org_a.pk
    assert draft.last_month.month == 2
    arabic_edition = draft.editions.get(language="ar")
    assert arabic_edition.title != "Matrix edition"
    assert arabic_edition.text_version == 1
    assert arabic_edition.status == BuildStatus.DRAFT
    assert not Edition.objects.filter(bulletin=ready, published_at__isnull=False).exists()
    published.refresh_from_db()
    assert not published.is_withdrawn
    assert revised.versions.count() == 1


# A bulletin or edition that does not exist is a 404, for coordinators too. --------------


@pytest.mark.parametrize(
    "name", ["detail", "settings", "build", "publish", "withdraw"], ids=lambda name: name
)
def test_a_missing_bulletin_is_a_404_for_coordinators(name, world, login):
    client = login(world.user("coordinator"))
    url = reverse(f"bulletins:{name}", kwargs={"pk": 999999})
    method = client.post if name == "build" else client.get

    assert method(url).status_code == 404


@pytest.mark.parametrize(
    "name", ["edit", "autosave", "build", "status", "preview", "download", "revise"]
)
def test_a_missing_bulletin_s_edition_is_a_404_for_coordinators(name, world, login):
    client = login(world.user("coordinator"))
    url = reverse(f"bulletins:edition_{name}", kwargs={"pk": 999999, "language": "en"})
    method = client.post if name in {"autosave", "build"} else client.get

    assert method(url).status_code == 404


def test_an_edition_in_a_language_the_portal_has_not_is_a_404(world, login):
    bulletin = _draft(world)
    client = login(world.user("coordinator"))
    english = reverse("bulletins:edition_edit", kwargs={"pk": bulletin.pk, "language": "en"})

    assert client.get(english.replace("/en/edit/", "/fr/edit/")).status_code == 404
    assert client.get(english).status_code == 200


def test_publishing_through_the_matrix_s_row_publishes_the_chosen_editions(world, login):
    """The matrix's publish POST does what it says (so its 302 is not a refusal)."""
    bulletin = _ready(world)
    client = login(world.user("coordinator"))

    client.post(reverse("bulletins:publish", kwargs={"pk": bulletin.pk}), _languages(world))

    public = Edition.objects.filter(bulletin=bulletin, published_at__isnull=False)
    assert sorted(public.values_list("language", flat=True)) == ["ar", "en"]
    assert not policy.publishable_editions(bulletin)
