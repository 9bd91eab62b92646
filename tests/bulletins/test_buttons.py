"""A bulletin's page offers an action exactly when doing it works.

For a bulletin in each state of its publication, seen by every role of the permission
matrix, each button or link of its page (the bulletin's and its English edition's) is there
if and only if its POST changes the bulletin (``tests/buttons.py``). The page asks
``bulletins.policy`` and the services enforce it: this checks that the two agree.
"""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from bulletins import publication
from bulletins.models import TEXT_FIELDS, BuildStatus, Bulletin, Edition
from tests.bulletins.factories import bilingual_bulletin, built, revise
from tests.buttons import Action, mismatches
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_real_build(monkeypatch):
    """A build asked for is queued; whether a worker makes the PDF is the build's tests'."""
    from bulletins import tasks

    monkeypatch.setattr(tasks.build_edition, "apply_async", lambda *args, **kwargs: None)


@dataclass
class Seen:
    """The bulletin and its two editions as the database has them."""

    bulletin: Bulletin
    english: Edition
    arabic: Edition

    @property
    def public(self) -> int:
        return sum(e.is_public and not e.is_withdrawn for e in (self.english, self.arabic))

    @property
    def withdrawn(self) -> int:
        return sum(e.is_withdrawn for e in (self.english, self.arabic))


def _seen(bulletin: Bulletin) -> Seen:
    editions = Edition.objects.prefetch_related("versions").filter(bulletin_id=bulletin.pk)
    by_language = {edition.language: edition for edition in editions}
    return Seen(
        bulletin=Bulletin.objects.get(pk=bulletin.pk),
        english=by_language["en"],
        arabic=by_language["ar"],
    )


def _page(bulletin: Bulletin) -> str:
    return reverse("bulletins:detail", kwargs={"pk": bulletin.pk})


def _url(name: str):
    return lambda bulletin: reverse(f"bulletins:{name}", kwargs={"pk": bulletin.pk})


def _english(name: str):
    return lambda bulletin: reverse(
        f"bulletins:edition_{name}", kwargs={"pk": bulletin.pk, "language": "en"}
    )


def _queued(*editions: str):
    def done(before: Seen, after: Seen) -> bool:
        return any(
            getattr(before, name).status != BuildStatus.QUEUED
            and getattr(after, name).status == BuildStatus.QUEUED
            for name in editions
        )

    return done


def _english_text(bulletin: Bulletin) -> dict:
    english = bulletin.editions.get(language="en")
    return {**{name: getattr(english, name) for name in TEXT_FIELDS}, "highlights": "Checked."}


ACTIONS = [
    Action(
        "change the months",
        _page,
        _url("settings"),
        lambda before, after: after.bulletin.last_month != before.bulletin.last_month,
        lambda bulletin: {
            "number": str(bulletin.number),
            "first_month": "2026-01",
            "last_month": "2026-03",
        },
    ),
    Action("build every edition", _page, _url("build"), _queued("english", "arabic")),
    Action(
        "publish",
        _page,
        _url("publish"),
        lambda before, after: after.public > before.public,
        lambda bulletin: {"languages": ["en", "ar"]},
    ),
    Action(
        "withdraw",
        _page,
        _url("withdraw"),
        lambda before, after: after.withdrawn > before.withdrawn,
        lambda bulletin: {"reason": "The figures of one area were counted twice."},
    ),
    Action(
        "edit the English edition",
        _page,
        _english("edit"),
        lambda before, after: after.english.highlights == "Checked.",
        _english_text,
    ),
    Action("build the English edition", _page, _english("build"), _queued("english")),
    Action(
        "publish the English revision",
        _page,
        _english("revise"),
        lambda before, after: after.english.versions.count() > before.english.versions.count(),
        lambda bulletin: {"note": "The figures for the north were corrected."},
    ),
]

HALF = "English published, Arabic not built"
REVISED = "published, its English revision ready"
STATES = ["not built", "ready", "published", REVISED, "withdrawn", HALF]


def _bulletin(state: str) -> Bulletin:
    bulletin, english, arabic = bilingual_bulletin()
    if state == "not built":
        return bulletin
    built(english)
    if state != HALF:
        built(arabic)
    if state == "ready":
        return bulletin
    languages = ["en"] if state == HALF else ["en", "ar"]
    publication.bulletin_publish(bulletin=bulletin, languages=languages, by=None)
    if state == REVISED:
        revise(english, situation_overview="The figures for the north were corrected.")
        built(Edition.objects.prefetch_related("versions").get(pk=english.pk))
    if state == "withdrawn":
        publication.bulletin_withdraw(bulletin=bulletin, by=None, reason="Counted twice.")
    return bulletin


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", STATES)
def test_the_bulletin_page_shows_a_button_exactly_when_its_action_works(state, role, world, login):
    bulletin = _bulletin(state)
    client = login(world.user(role))

    assert mismatches(client, bulletin, ACTIONS, _seen) == []
