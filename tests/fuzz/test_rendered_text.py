"""A hostile text saved where the portal shows it as Markdown, then shown: no server error.

The walker sends hostile values to the editors, but an editor answers a save with a redirect
to itself, so the page that renders the text is never read. Here each value is saved through
the real editor (its form, its service) into a page's body, a meeting's agenda and a
bulletin edition's narrative, and the pages that render it are read: the public page, the
meeting's page and the public calendar feed, the edition's print preview. A value the editor
refuses (too long, too deep) is stored as it is, as a text saved before the limits was, when
the database can hold it: the renderer must cope with those too.

Every value of ``BODIES`` is sent in every run, then as many drawn ones as the profile asks.
It fails on any 5xx, and on a page that does not answer 200. Slow answers are reported in
`make fuzz` (never failed on).
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from hypothesis import example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from bulletins.models import Edition
from core.inputs import is_storable_text
from meetings.models import Meeting
from pages import services as page_services
from pages.models import Page
from tests.bulletins.factories import bilingual_bulletin
from tests.fuzz.hostile import describe, hostile_values, nested_markup
from tests.fuzz.profile import PROFILE
from tests.fuzz.walker import (
    SLOW_SECONDS,
    Outcome,
    attempt,
    baseline_of,
    form_posting_to,
    forms_of,
    merged,
    rolled_back,
    signed_in,
)
from tests.meetings.conftest import MeetingFactory


def _nested_list(depth: int) -> str:
    return "\n".join("    " * level + "- x" for level in range(depth))


# The classes that broke a renderer or a page, sent in every run.
BODIES = [
    "[" * 20_000,  # the longest text the editor takes, all link openers
    "[" * 30_000 + "x",  # longer than the editor takes: stored as saved before the limit
    "- " * 1000 + "x",  # 2 KB of list markers, one inside the other
    _nested_list(200),
    "> " * 5000 + "x",
    "<ul><li>" * 2000 + "x" + "</li></ul>" * 2000,
    "*" * 20_000,
    "`" * 20_000,
    "![" * 10_000,
    "\\" * 20_000,
    "\u202eevil.exe\u202c **bold** \u2066[link](https://example.org)\u2069 \u200f\u0661\u0662",
    "<script>alert(1)</script><img src=x onerror=alert(1)> 1 < 2 & 3 > 2",
    "a\x00b",  # refused by the editor, and no database column holds it
    "a\udfffb",
    "a" * 100_000,
    "\n" * 20_000,
]


@dataclass
class Shown:
    """Where a text is edited and where it is shown."""

    editor: Client
    url: str  # the editor's URL
    fields: list[str]  # the Markdown fields the value goes into
    store: Callable[[str], None]  # stores a text as it is, past the editor's limits
    readers: list[tuple[Client, str]]  # who reads which page
    baseline: list[tuple] | None = None
    multipart: bool = False

    def prepare(self) -> None:
        page = attempt(self.editor, "get", self.url, [])
        assert page.status == 200, f"{self.url}: {page.status}"
        form = form_posting_to(forms_of(page.html), self.url)
        self.baseline, self.multipart = baseline_of(form), form.multipart


def page(world) -> Shown:
    coordinator = world.user("coordinator")
    saved = page_services.page_create(
        fields={"slug": "hostile", "title_en": "Hostile", "is_published": True}, by=coordinator
    )
    public = reverse("pages:detail", args=[saved.slug])
    with translation.override("ar"):
        arabic = reverse("pages:detail", args=[saved.slug])
    return Shown(
        editor=signed_in("coordinator", coordinator),
        url=reverse("pages:edit", args=[saved.pk]),
        fields=["body_en", "body_ar"],
        store=lambda text: Page.objects.filter(pk=saved.pk).update(body_en=text, body_ar=text),
        readers=[(Client(), public), (Client(), arabic)],
    )


def meeting(world) -> Shown:
    coordinator = world.user("coordinator")
    saved = MeetingFactory()
    return Shown(
        editor=signed_in("coordinator", coordinator),
        url=reverse("meetings:edit", args=[saved.pk]),
        fields=["agenda_en", "agenda_ar"],
        store=lambda text: Meeting.objects.filter(pk=saved.pk).update(
            agenda_en=text, agenda_ar=text
        ),
        readers=[
            (Client(), reverse("meetings:detail", args=[saved.pk])),
            (Client(), reverse("meetings:ics")),
        ],
    )


NARRATIVE = ["highlights", "situation_overview", "health_response", "coordination"]


def narrative(world) -> Shown:
    coordinator = world.user("coordinator")
    _bulletin, english, _arabic = bilingual_bulletin(number=990)
    kwargs = {"pk": english.bulletin_id, "language": "en"}
    editor = signed_in("coordinator", coordinator)
    return Shown(
        editor=editor,
        url=reverse("bulletins:edition_edit", kwargs=kwargs),
        fields=NARRATIVE,
        store=lambda text: Edition.objects.filter(pk=english.pk).update(
            **dict.fromkeys(NARRATIVE, text)
        ),
        readers=[(editor, reverse("bulletins:edition_preview", kwargs=kwargs))],
    )


PLACES = {"page body": page, "meeting agenda": meeting, "bulletin narrative": narrative}


def save_and_show(shown: Shown, value: str) -> list[Outcome]:
    """Save the value through the editor (or store it, when refused), then read its pages."""
    pairs = merged(shown.baseline, [(name, value) for name in shown.fields])
    with rolled_back(shown.editor):
        saved = attempt(shown.editor, "post", shown.url, pairs, multipart=shown.multipart)
        if saved.status != 302 and is_storable_text(value):
            shown.store(value)
        return [saved, *(attempt(reader, "get", url, []) for reader, url in shown.readers)]


def problems_of(outcomes: list[Outcome]) -> list[str]:
    """Server errors; an editor that neither saved nor refused; a page that did not answer."""
    saved, *shown = outcomes
    found = [f"{o.url}: {o.error or o.status}" for o in outcomes if o.status >= 500]
    if saved.status not in (302, 400) and saved.status < 500:
        found.append(f"{saved.url}: the editor answered {saved.status}")
    found += [f"{o.url}: {o.status}" for o in shown if o.status != 200 and o.status < 500]
    return found


@pytest.mark.parametrize("place", PLACES)
def test_a_hostile_text_saved_and_shown_is_no_server_error(place, world, report_slow):
    shown = PLACES[place](world)
    shown.prepare()
    problems: list[str] = []

    @hypothesis_settings(hypothesis_settings.get_profile(PROFILE))
    @given(st.one_of(hostile_values(kind="textarea"), nested_markup()))
    def run(value):
        outcomes = save_and_show(shown, value)
        for outcome in outcomes:
            if outcome.seconds > SLOW_SECONDS:
                report_slow(f"{outcome.seconds:5.1f} s  {place} {outcome.url}: {describe(value)}")
        problems.extend(f"{place}: {describe(value)} -> {p}" for p in problems_of(outcomes))

    for body in reversed(BODIES):
        run = example(body)(run)
    run()
    if problems:
        listed = "\n".join(problems)
        pytest.fail(f"{len(problems)} problems:\n{listed}", pytrace=False)
