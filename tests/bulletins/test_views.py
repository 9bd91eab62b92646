"""The coordinators' bulletin pages over HTTP: the list; creating a bulletin with an edition
per language; the bulletin's page with a card per edition; its number and months; each
edition's editor, autosave, build, status, preview and PDF; the builds of every edition;
what the forms refuse; no inline script or style; the list's query count."""

import datetime
import re
import uuid

import pytest
import tinyhtml5
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bulletins import policy, publication, services
from bulletins.models import (
    TEXT_FIELDS,
    BuildStatus,
    Bulletin,
    BulletinRedirect,
    Edition,
    FailureReason,
)
from tests.bulletins.conftest import sample_figures
from tests.bulletins.factories import (
    BulletinFactory,
    EditionFactory,
    bilingual_bulletin,
    built,
    published_edition,
    ready_edition,
    revise,
)
from tests.factories import UserFactory
from tests.storage import closed_port, storage_url, storages_for
from tests.text import has_phrase

# Mid-April 2026: the bulletins cover the first months of 2026.
NOW = datetime.datetime(2026, 4, 15, 12, 0, tzinfo=datetime.UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW)]

QUEUE_DOWN = (
    "The task queue cannot be reached, so the build was not started. "
    "Try again in a few minutes; if it keeps failing, tell the site administrator."
)
TODAYS_FIGURES = "These are today's figures; building the bulletin freezes them."


@pytest.fixture
def cora(world, login):
    return login(world.user("coordinator"))


# Helpers -----------------------------------------------------------------------------------


def _page(response):
    return tinyhtml5.parse(response.content.decode(), namespace_html_elements=False)


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def _messages(response) -> list[str]:
    """The messages the page shows (after ``follow=True``)."""
    return [_text(box) for box in _page(response).findall(".//div[@class='messages']/div")]


def _badges(element) -> list[str]:
    return [
        _text(span) for span in element.iter("span") if "badge" in (span.get("class") or "").split()
    ]


def _one(element, path: str):
    found = element.findall(path)
    assert len(found) == 1, f"{len(found)} elements at {path}"
    return found[0]


def _card(page, language: str):
    """An edition's card on the bulletin page."""
    return _one(page, f".//section[@data-edition='{language}']")


def _forms_to(page, url: str) -> list:
    return [form for form in page.iter("form") if form.get("action") == url]


def _links_to(element, url: str) -> list:
    return [link for link in element.iter("a") if link.get("href") == url]


def _no_inline_script_or_style(html: str) -> None:
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "an inline script"
    assert not re.search(r"\sstyle\s*=", html), "a style attribute"
    assert "<style" not in html, "a style element"


def _detail(bulletin: Bulletin) -> str:
    return reverse("bulletins:detail", kwargs={"pk": bulletin.pk})


def _bulletin_url(name: str, bulletin: Bulletin) -> str:
    return reverse(f"bulletins:{name}", kwargs={"pk": bulletin.pk})


def _edition_url(name: str, edition: Edition) -> str:
    return reverse(
        f"bulletins:edition_{name}",
        kwargs={"pk": edition.bulletin_id, "language": edition.language},
    )


def _create_form(**changes) -> dict:
    values = {
        "number": "12",
        "first_month": "2026-01",
        "last_month": "2026-03",
        "title_en": "Bulletin of the first quarter",
        "title_ar": "نشرة الربع الأول",
    }
    values.update(changes)
    return values


def _edition_form(edition: Edition, **changes) -> dict:
    values = {name: getattr(edition, name) for name in TEXT_FIELDS}
    values.update(changes)
    return values


def _settings_form(bulletin: Bulletin, **changes) -> dict:
    values = {
        "number": str(bulletin.number),
        "first_month": bulletin.first_month.strftime("%Y-%m"),
        "last_month": bulletin.last_month.strftime("%Y-%m"),
    }
    values.update(changes)
    return values


def _publish(*editions: Edition) -> None:
    bulletin = editions[0].bulletin
    publication.bulletin_publish(
        bulletin=bulletin, languages=[edition.language for edition in editions], by=None
    )


def _fresh(edition: Edition) -> Edition:
    return Edition.objects.prefetch_related("versions").get(pk=edition.pk)


@pytest.fixture
def no_task(monkeypatch):
    """The build's task is not sent: the editions stay queued, as with a busy worker."""
    from bulletins import tasks

    sent = []
    monkeypatch.setattr(
        tasks.build_edition, "apply_async", lambda *args, **kwargs: sent.append(kwargs)
    )
    return sent


@pytest.fixture
def queue_down(monkeypatch):
    """The broker refuses the connection, as when Redis is down."""
    from kombu.exceptions import OperationalError

    from bulletins import tasks

    def down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6399. Connection refused.")

    monkeypatch.setattr(tasks.build_edition, "apply_async", down)


# The list ----------------------------------------------------------------------------------


def test_the_list_shows_each_bulletin_once_with_its_editions_and_their_states(cora):
    not_built, _english, arabic = bilingual_bulletin(number=1)
    built(arabic)
    revised, english_2, arabic_2 = bilingual_bulletin(number=2)
    _publish(built(english_2), built(arabic_2))
    revise(_fresh(english_2), situation_overview="The figures for the north were corrected.")
    withdrawn, english_3, arabic_3 = bilingual_bulletin(number=3)
    _publish(built(english_3), built(arabic_3))
    publication.bulletin_withdraw(bulletin=withdrawn, by=None, reason="Counted twice.")

    response = cora.get(reverse("bulletins:list"))

    assert response.status_code == 200
    rows = _page(response).findall(".//table/tbody/tr")
    assert [_text(row.find("td/a")) for row in rows] == ["Bulletin 3", "Bulletin 2", "Bulletin 1"]
    assert [row.find("td/a").get("href") for row in rows] == [
        _detail(withdrawn),
        _detail(revised),
        _detail(not_built),
    ]
    states = {
        _text(row.find("td/a")): {
            li.get("data-edition"): _badges(li) for li in row.findall(".//li[@data-edition]")
        }
        for row in rows
    }
    assert states == {
        "Bulletin 1": {"en": ["Not built yet"], "ar": ["Ready"]},
        "Bulletin 2": {"en": ["Published", "Revision in progress"], "ar": ["Published"]},
        "Bulletin 3": {"en": ["Withdrawn"], "ar": ["Withdrawn"]},
    }
    first_row = rows[2]
    titles = [_text(li.find("span[@lang]")) for li in first_row.findall(".//li[@data-edition]")]
    assert titles == ["Health Cluster Bulletin", "نشرة مجموعة الصحة"]
    assert _text(first_row.findall("td")[1]) == "Jan 2026 \N{EN DASH} Feb 2026"


def test_the_list_shows_a_build_in_progress_and_a_failed_one(cora):
    _bulletin, english, arabic = bilingual_bulletin(number=1)
    Edition.objects.filter(pk=english.pk).update(
        status=BuildStatus.QUEUED, build_token=uuid.uuid4(), queued_at=timezone.now()
    )
    Edition.objects.filter(pk=arabic.pk).update(
        status=BuildStatus.FAILED, status_reason=FailureReason.DATABASE
    )

    page = _page(cora.get(reverse("bulletins:list")))

    assert _badges(_one(page, ".//li[@data-edition='en']")) == ["Waiting to be built"]
    assert _badges(_one(page, ".//li[@data-edition='ar']")) == ["Build failed"]


def test_the_list_shows_the_last_change_of_the_bulletin_or_of_an_edition(
    world, login, time_machine
):
    nadia = UserFactory(full_name="Nadia Haddad", is_coordinator=True)
    omar = UserFactory(full_name="Omar Said", is_coordinator=True)
    time_machine.move_to(datetime.datetime(2026, 4, 15, 9, 0, tzinfo=datetime.UTC), tick=False)
    bulletin = services.bulletin_create(
        fields={
            "number": 4,
            "first_month": datetime.date(2026, 1, 1),
            "last_month": datetime.date(2026, 3, 1),
        },
        by=nadia,
    )
    url = reverse("bulletins:list")

    def last_change():
        # Signed in afresh: a coordinator's session ends after 30 idle minutes.
        cora = login(world.user("coordinator"))
        cell = _page(cora.get(url)).findall(".//table/tbody/tr/td")[3]
        return cell.find("time").get("datetime"), _text(cell.find("span"))

    created = last_change()
    time_machine.move_to(datetime.datetime(2026, 4, 15, 11, 30, tzinfo=datetime.UTC), tick=False)
    services.edition_update(
        edition=bulletin.editions.get(language="ar"), fields={"coordination": "اجتماع"}, by=omar
    )
    edited = last_change()
    time_machine.move_to(datetime.datetime(2026, 4, 15, 13, 0, tzinfo=datetime.UTC), tick=False)
    services.bulletin_update(
        bulletin=bulletin,
        fields={
            "number": 5,
            "first_month": bulletin.first_month,
            "last_month": datetime.date(2026, 3, 1),
        },
        by=nadia,
    )
    changed = last_change()

    assert created == ("2026-04-15T09:00:00+00:00", "Nadia Haddad")
    assert edited == ("2026-04-15T11:30:00+00:00", "Omar Said")
    assert changed == ("2026-04-15T13:00:00+00:00", "Nadia Haddad")


def test_the_list_without_bulletins_says_so(cora):
    page = _page(cora.get(reverse("bulletins:list")))

    assert page.find(".//table") is None
    assert has_phrase(_text(page), "There are no bulletins yet.")


def test_the_list_page_makes_the_same_queries_for_three_or_thirty_bulletins(
    cora, django_assert_max_num_queries, world, settings
):
    settings.BULLETIN_HEARTBEAT_TIMEOUT = 30
    coordinator = world.user("coordinator")
    for number in range(3):
        _bulletin, english, _arabic = bilingual_bulletin(number=number + 1, updated_by=coordinator)
        published = built(english)
        _publish(published)
    url = reverse("bulletins:list")
    cora.get(url)
    with django_assert_max_num_queries(8) as few:
        response = cora.get(url)
    few = len(few.captured_queries)
    for number in range(3, 30):
        bilingual_bulletin(number=number + 1, updated_by=world.user("focal"))
    Edition.objects.filter(bulletin__number=30, language="en").update(
        status=BuildStatus.BUILDING,
        build_token=uuid.uuid4(),
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=5),
    )
    cora.get(url)  # the footer's identity read again after the writes, as before the first
    with django_assert_max_num_queries(few):
        response = cora.get(url)

    html = response.content.decode()
    page = _page(response)
    assert len(page.findall(".//table/tbody/tr")) == 30
    assert len(page.findall(".//li[@data-edition]")) == 60
    silent = page.findall(".//table/tbody/tr")[0].find(".//li[@data-edition='en']")
    assert _badges(silent) == ["Build failed"], "a silent build shows failed in the list"
    _no_inline_script_or_style(html)


# Creating a bulletin -----------------------------------------------------------------------


def test_the_create_form_offers_the_next_number(cora):
    BulletinFactory(number=7)
    BulletinFactory(number=9)

    form = cora.get(reverse("bulletins:create")).context["form"]

    assert form["number"].value() == 10


def test_the_next_number_counts_old_numbers_that_now_lead_to_an_edition(cora):
    edition = EditionFactory(bulletin=BulletinFactory(number=9))
    BulletinRedirect.objects.create(number=11, edition=edition)

    response = cora.get(reverse("bulletins:create"))

    assert response.context["form"]["number"].value() == 12
    assert _one(_page(response), ".//input[@name='number']").get("value") == "12"


def test_the_create_form_asks_for_a_title_per_language(cora):
    page = _page(cora.get(reverse("bulletins:create")))

    english = _one(page, ".//input[@name='title_en']")
    arabic = _one(page, ".//input[@name='title_ar']")
    assert english.get("lang") == "en"
    assert arabic.get("lang") == "ar"
    assert "required" not in english.attrib
    assert _text(_one(page, ".//label[@for='id_title_ar']")) == "Title in Arabic"
    assert _one(page, ".//input[@name='first_month']").get("type") == "month"


def test_a_coordinator_creates_a_bulletin_with_an_edition_per_language(cora, world):
    response = cora.post(reverse("bulletins:create"), _create_form(), follow=True)

    bulletin = Bulletin.objects.get(number=12)
    assert response.redirect_chain == [(_detail(bulletin), 302)]
    assert _messages(response) == [
        "Bulletin 12 is created, with an edition in each language. Write them below."
    ]
    assert bulletin.first_month == datetime.date(2026, 1, 1)
    assert bulletin.last_month == datetime.date(2026, 3, 1)
    assert bulletin.created_by == world.user("coordinator")
    assert bulletin.history.count() == 1
    editions = {edition.language: edition for edition in bulletin.editions.all()}
    assert {language: e.title for language, e in editions.items()} == {
        "en": "Bulletin of the first quarter",
        "ar": "نشرة الربع الأول",
    }
    assert all(e.status == BuildStatus.DRAFT and not e.is_public for e in editions.values())
    assert all(e.created_by == world.user("coordinator") for e in editions.values())
    page = _page(response)
    assert _text(_card(page, "en").find(".//p[@lang='en']")) == "Bulletin of the first quarter"
    assert _text(_card(page, "ar").find(".//p[@lang='ar']")) == "نشرة الربع الأول"


def test_titles_left_empty_are_the_cluster_s_name_and_the_months_in_each_language(cora, profile):
    cora.post(reverse("bulletins:create"), _create_form(title_en="", title_ar="  "))

    titles = dict(Edition.objects.filter(bulletin__number=12).values_list("language", "title"))
    assert titles == {
        "en": "Zedland Health Cluster Bulletin, January \N{EN DASH} March 2026",
        # The Arabic sentence, the cluster's Arabic name and the months' Arabic names.
        "ar": "نشرة مجموعة الصحة في زدلاند، يناير \N{EN DASH} مارس 2026",
    }


def test_a_title_given_in_one_language_leaves_the_other_s_default(cora, profile):
    cora.post(reverse("bulletins:create"), _create_form(title_en="", last_month="2026-01"))

    titles = dict(Edition.objects.filter(bulletin__number=12).values_list("language", "title"))
    assert titles == {
        "en": "Zedland Health Cluster Bulletin, January 2026",
        "ar": "نشرة الربع الأول",
    }


def _taken_by_an_old_number() -> None:
    edition = EditionFactory(bulletin=BulletinFactory(number=5))
    BulletinRedirect.objects.create(number=12, edition=edition)


@pytest.mark.parametrize(
    ("changes", "before", "field", "message"),
    [
        (
            {"first_month": "2026-03", "last_month": "2026-01"},
            None,
            "Last month",
            "The last month cannot be before the first month.",
        ),
        (
            {},
            lambda: EditionFactory(bulletin=BulletinFactory(number=12)),
            "Number",
            "Another bulletin already has this number.",
        ),
        (
            {},
            _taken_by_an_old_number,
            "Number",
            "This number was an earlier bulletin's and now leads to it; choose another.",
        ),
        ({"number": ""}, None, "Number", "This field is required."),
        ({"first_month": "March"}, None, "First month", "Enter a valid date."),
        (
            {"title_en": "x" * 201},
            None,
            "Title in English",
            "Ensure this value has at most 200 characters (it has 201).",
        ),
    ],
    ids=["months", "number used", "old number", "no number", "bad month", "long title"],
)
def test_the_create_form_refuses_and_saves_nothing(cora, changes, before, field, message):
    if before:
        before()
    bulletins, editions = Bulletin.objects.count(), Edition.objects.count()

    response = cora.post(reverse("bulletins:create"), _create_form(**changes))

    assert response.status_code == 400
    errors = [_text(li) for li in _page(response).findall(".//div[@role='alert']/ul/li")]
    assert errors == [f"{field}: {message}"]
    assert Bulletin.objects.count() == bulletins
    assert Edition.objects.count() == editions


# The bulletin's page -----------------------------------------------------------------------


def test_the_bulletin_page_has_a_card_per_edition_with_its_build_and_publication(cora):
    bulletin, english, arabic = bilingual_bulletin(number=7)
    built(english)

    response = cora.get(_detail(bulletin))

    assert response.status_code == 200
    page = _page(response)
    cards = page.findall(".//section[@data-edition]")
    assert [card.get("data-edition") for card in cards] == ["en", "ar"]
    en, ar = _card(page, "en"), _card(page, "ar")
    assert _text(en.find(".//h3")) == "English edition"
    assert _text(ar.find(".//h3")) == "Arabic edition"
    assert _text(en.find(".//*[@data-build-label]")) == "Ready"
    assert _text(ar.find(".//*[@data-build-label]")) == "Not built yet"
    assert _badges(en.find(".//*[@data-publication]")) == ["Not published"]
    assert _badges(ar.find(".//*[@data-publication]")) == ["Not published"]
    english_download = _one(en, ".//*[@data-build-download]")
    assert "hidden" not in english_download.attrib
    assert _links_to(english_download, _edition_url("download", english))
    assert "hidden" in _one(ar, ".//*[@data-build-download]").attrib
    assert _text(_one(en, ".//button[@data-build-button]")) == "Build again"
    assert _text(_one(ar, ".//button[@data-build-button]")) == "Build the PDF"
    assert _forms_to(en, _edition_url("build", english))
    assert _text(_links_to(en, _edition_url("edit", english))[0]) == "Edit the text"
    assert _links_to(ar, _edition_url("preview", arabic))
    assert "no-store" in response["Cache-Control"]


def test_before_publication_the_page_builds_every_edition_and_changes_the_months(cora):
    bulletin, _english, _arabic = bilingual_bulletin()

    page = _page(cora.get(_detail(bulletin)))

    build_all = _forms_to(page, _bulletin_url("build", bulletin))
    assert len(build_all) == 1
    assert _text(build_all[0].find("button")) == "Build every edition from today's figures"
    assert "disabled" not in build_all[0].find("button").attrib
    assert _links_to(page, _bulletin_url("settings", bulletin))


def test_once_an_edition_is_published_the_build_all_button_and_the_settings_link_go(cora):
    bulletin, english, arabic = bilingual_bulletin(number=7)
    _publish(built(english))
    built(arabic)

    page = _page(cora.get(_detail(bulletin)))

    assert not _forms_to(page, _bulletin_url("build", bulletin))
    assert not _links_to(page, _bulletin_url("settings", bulletin))
    en, ar = _card(page, "en"), _card(page, "ar")
    assert _badges(en.find(".//*[@data-publication]")) == ["Published"]
    assert has_phrase(_text(en.find(".//*[@data-publication]")), "the public sees version 1.")
    assert _links_to(en, reverse("bulletins:edition", kwargs={"number": 7, "language": "en"}))
    assert _badges(ar.find(".//*[@data-publication]")) == ["Not published"]
    assert _text(_links_to(en, _edition_url("edit", english))[0]) == "Revise the text"
    assert _text(_links_to(ar, _edition_url("edit", arabic))[0]) == "Edit the text"
    # Each edition is still built on its own.
    assert _forms_to(en, _edition_url("build", english))
    assert _forms_to(ar, _edition_url("build", arabic))
    # The Arabic edition is ready: it can be published.
    assert _links_to(page, _bulletin_url("publish", bulletin))


def test_a_withdrawn_edition_s_card_and_the_reason(cora):
    edition = published_edition(bulletin__number=7)
    publication.bulletin_withdraw(
        bulletin=edition.bulletin, by=None, reason="The figures of one area were counted twice."
    )

    page = _page(cora.get(_detail(edition.bulletin)))

    assert _badges(_card(page, "en").find(".//*[@data-publication]")) == ["Withdrawn"]
    assert _text(_one(page, ".//blockquote")) == "The figures of one area were counted twice."
    assert not _links_to(page, _bulletin_url("withdraw", edition.bulletin))
    assert _links_to(page, _bulletin_url("publish", edition.bulletin)), "it may be republished"


def test_a_published_edition_shows_no_revision_notice_until_it_is_edited(cora):
    edition = published_edition()

    card = _card(_page(cora.get(_detail(edition.bulletin))), "en")

    assert card.find(".//*[@data-revision-state]") is None
    assert not _links_to(card, _edition_url("revise", edition))


def test_a_revision_is_in_progress_then_ready_to_publish(cora):
    edition = published_edition()
    url = _detail(edition.bulletin)
    revise(edition, situation_overview="The figures for the north were corrected.")

    in_progress = _card(_page(cora.get(url)), "en")
    built(_fresh(edition))
    ready = _card(_page(cora.get(url)), "en")

    assert _text(_one(in_progress, ".//*[@data-revision-state]")) == (
        "A revision is in progress: build it, check its PDF, then publish it with a note. "
        "Until then the public sees the published version."
    )
    assert not _links_to(in_progress, _edition_url("revise", edition))
    assert _text(_one(ready, ".//*[@data-revision-state]")) == (
        "A revision is built and ready. The public sees the published version until you "
        "publish the revision with a note."
    )
    assert _text(_links_to(ready, _edition_url("revise", edition))[0]) == ("Publish the revision…")
    assert _badges(ready.find(".//*[@data-publication]")) == ["Published"]


def test_a_revision_that_takes_today_s_figures_says_so(cora):
    edition = published_edition()
    revise(edition, refresh_figures=True)

    card = _card(_page(cora.get(_detail(edition.bulletin))), "en")

    notice = _text(_one(card, ".//*[@data-revision-state]"))
    assert notice.startswith("A revision is in progress")
    assert notice.endswith("It takes today's figures when it is built.")


def test_the_page_warns_when_the_text_changed_after_the_build(cora):
    edition = ready_edition()
    url = _detail(edition.bulletin)
    unchanged = _card(_page(cora.get(url)), "en")
    services.edition_update(edition=edition, fields={"title": edition.title}, by=None)
    same_text = _card(_page(cora.get(url)), "en")
    services.edition_update(edition=edition, fields={"coordination": "Weekly."}, by=None)
    changed = _card(_page(cora.get(url)), "en")
    built(_fresh(edition))
    rebuilt = _card(_page(cora.get(url)), "en")

    assert unchanged.find(".//*[@data-text-changed]") is None
    assert same_text.find(".//*[@data-text-changed]") is None
    assert _text(_one(changed, ".//*[@data-text-changed]")) == (
        "The text changed after this PDF was built: build it again before publishing."
    )
    assert rebuilt.find(".//*[@data-text-changed]") is None


def test_an_edition_never_built_has_no_text_changed_warning(cora):
    bulletin, english, _arabic = bilingual_bulletin()
    services.edition_update(edition=english, fields={"coordination": "Weekly."}, by=None)

    card = _card(_page(cora.get(_detail(bulletin))), "en")

    assert card.find(".//*[@data-text-changed]") is None


def test_the_page_polls_while_building_and_offers_a_refresh_link(cora):
    bulletin, english, _arabic = bilingual_bulletin()
    Edition.objects.filter(pk=english.pk).update(
        status=BuildStatus.QUEUED, build_token=uuid.uuid4(), queued_at=timezone.now()
    )

    response = cora.get(_detail(bulletin))

    html = response.content.decode()
    page = _page(response)
    en, ar = _card(page, "en"), _card(page, "ar")
    status = _one(en, ".//*[@data-build-status]")
    assert status.get("data-poll") == "on"
    assert status.get("data-status-url") == _edition_url("status", english)
    assert _one(ar, ".//*[@data-build-status]").get("data-poll") == "off"
    live = _one(status, ".//*[@role='status']")
    assert live.get("aria-live") == "polite"
    assert _text(live.find(".//*[@data-build-label]")) == "Waiting to be built"
    assert _links_to(_one(en, ".//*[@data-build-refresh]"), _detail(bulletin))
    assert ar.find(".//*[@data-build-refresh]") is None
    assert "disabled" in _one(en, ".//button[@data-build-button]").attrib
    assert "disabled" not in _one(ar, ".//button[@data-build-button]").attrib
    assert "disabled" in _forms_to(page, _bulletin_url("build", bulletin))[0].find("button").attrib
    assert "js/bulletin-status.js" in html
    assert page.find(".//meta[@http-equiv='refresh']") is None
    _no_inline_script_or_style(html)


def test_the_page_shows_a_failure_in_plain_words(cora):
    bulletin, english, _arabic = bilingual_bulletin()
    token = uuid.uuid4()
    Edition.objects.filter(pk=english.pk).update(
        status=BuildStatus.QUEUED, build_token=token, queued_at=timezone.now()
    )
    services.build_fail(edition_id=english.pk, token=token, reason=FailureReason.DATABASE)

    card = _card(_page(cora.get(_detail(bulletin))), "en")

    assert _one(card, ".//*[@data-build-status]").get("data-poll") == "off"
    assert _text(card.find(".//*[@data-build-label]")) == "Build failed"
    assert _text(card.find(".//*[@data-build-reason]")) == (
        "The database could not be reached during the build. Build again."
    )


def test_a_missing_bulletin_is_a_404(cora):
    assert cora.get(reverse("bulletins:detail", kwargs={"pk": 999999})).status_code == 404


# The number and months ---------------------------------------------------------------------


def test_the_settings_page_shows_the_number_and_months(cora):
    bulletin = BulletinFactory(number=7)

    response = cora.get(_bulletin_url("settings", bulletin))

    assert response.status_code == 200
    page = _page(response)
    assert _one(page, ".//input[@name='number']").get("value") == "7"
    first = _one(page, ".//input[@name='first_month']")
    assert (first.get("type"), first.get("value")) == ("month", "2026-01")
    assert _one(page, ".//input[@name='last_month']").get("value") == "2026-02"


def test_changing_the_months_empties_the_bulletin_s_figures(cora, world):
    bulletin, english, _arabic = bilingual_bulletin(number=7)
    built(english)

    response = cora.post(
        _bulletin_url("settings", bulletin),
        _settings_form(bulletin, number="8", last_month="2026-03"),
        follow=True,
    )

    assert response.redirect_chain == [(_detail(bulletin), 302)]
    assert _messages(response) == ["The bulletin is saved. Build its editions again for the PDFs."]
    bulletin.refresh_from_db()
    assert bulletin.number == 8
    assert bulletin.last_month == datetime.date(2026, 3, 1)
    assert bulletin.snapshot == {}
    assert bulletin.snapshot_taken_at is None
    assert bulletin.updated_by == world.user("coordinator")
    page = _page(response)
    assert has_phrase(
        _text(_one(page, ".//section[@aria-labelledby='figures-heading']")),
        "No figures yet: the first build takes them from the validated reports.",
    )


def test_changing_only_the_number_keeps_the_figures(cora):
    bulletin, english, _arabic = bilingual_bulletin(number=7)
    built(english)
    figures = Bulletin.objects.get(pk=bulletin.pk).snapshot

    response = cora.post(_bulletin_url("settings", bulletin), _settings_form(bulletin, number="8"))

    assert response.status_code == 302
    bulletin.refresh_from_db()
    assert bulletin.number == 8
    assert bulletin.snapshot == figures != {}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"first_month": "2026-03", "last_month": "2026-01"},
            "Last month",
            "The last month cannot be before the first month.",
        ),
        ({"number": "3"}, "Number", "Another bulletin already has this number."),
        (
            {"number": "12"},
            "Number",
            "This number was an earlier bulletin's and now leads to it; choose another.",
        ),
    ],
    ids=["months", "number used", "old number"],
)
def test_the_settings_form_refuses_and_saves_nothing(cora, changes, field, message):
    BulletinRedirect.objects.create(number=12, edition=EditionFactory(bulletin__number=3))
    bulletin = BulletinFactory(number=7)

    response = cora.post(_bulletin_url("settings", bulletin), _settings_form(bulletin, **changes))

    assert response.status_code == 400
    errors = [_text(li) for li in _page(response).findall(".//div[@role='alert']/ul/li")]
    assert errors == [f"{field}: {message}"]
    bulletin.refresh_from_db()
    assert (bulletin.number, bulletin.first_month, bulletin.last_month) == (
        7,
        datetime.date(2026, 1, 1),
        datetime.date(2026, 2, 1),
    )


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_number_and_months_are_fixed_once_an_edition_is_published(cora, method):
    edition = published_edition(bulletin__number=7)
    bulletin = edition.bulletin
    form = _settings_form(bulletin, number="8", last_month="2026-03")

    response = getattr(cora, method)(_bulletin_url("settings", bulletin), form, follow=True)

    assert response.redirect_chain == [(_detail(bulletin), 302)]
    assert _messages(response) == ["The number and months are fixed once an edition is published."]
    bulletin.refresh_from_db()
    assert (bulletin.number, bulletin.last_month) == (7, datetime.date(2026, 2, 1))


# The edition's editor ----------------------------------------------------------------------


def test_the_editor_has_labelled_fields_the_autosave_hook_and_no_inline_code(cora):
    _bulletin, english, _arabic = bilingual_bulletin(number=7)

    response = cora.get(_edition_url("edit", english))

    html = response.content.decode()
    page = _page(response)
    assert response.status_code == 200
    for name in ["title", "highlights", "situation_overview", "coordination"]:
        label = _one(page, f".//label[@for='id_{name}']")
        assert "form-label" in label.get("class").split()
    form = _one(page, ".//form[@data-autosave-url]")
    assert form.get("data-autosave-url") == _edition_url("autosave", english)
    assert form.get("action") == _edition_url("edit", english)
    status = _one(page, f".//*[@id='{form.get('data-autosave-status')}']")
    assert status.get("aria-live") == "polite"
    assert _one(page, ".//input[@name='title']").get("value") == "Health Cluster Bulletin"
    assert "disabled" not in _one(page, ".//input[@name='title']").attrib
    assert page.find(".//input[@name='refresh_figures']") is None, "only on a published edition"
    assert page.find(".//*[@data-revision-notice]") is None
    assert "js/bulletin-editor.js" in html
    _no_inline_script_or_style(html)


def test_the_arabic_editor_writes_right_to_left(cora):
    _bulletin, _english, arabic = bilingual_bulletin()

    page = _page(cora.get(_edition_url("edit", arabic)))

    for name in ["title", "highlights", "situation_overview", "coordination"]:
        field = _one(page, f".//*[@name='{name}']")
        assert (field.get("lang"), field.get("dir")) == ("ar", "rtl"), name
    # The labels stay in the page's language.
    assert _text(_one(page, ".//label[@for='id_highlights']")) == "Highlights"
    assert (
        _text(_one(page, ".//h1"))
        == f"Edit the Arabic edition of bulletin {arabic.bulletin.number}"
    )


def test_the_editor_saves_and_sends_to_the_bulletin_page(cora, world):
    bulletin, english, arabic = bilingual_bulletin()
    history = english.history.count()

    response = cora.post(
        _edition_url("edit", english),
        _edition_form(english, coordination="Weekly meetings in **Zed City**."),
        follow=True,
    )

    assert response.redirect_chain == [(_detail(bulletin), 302)]
    assert _messages(response) == [
        "The edition is saved. Build it again for the PDF to show your changes."
    ]
    english.refresh_from_db()
    assert english.coordination == "Weekly meetings in **Zed City**."
    assert english.text_version == 2
    assert english.updated_by == world.user("coordinator")
    assert english.history.count() == history + 1
    arabic.refresh_from_db()
    assert arabic.text_version == 1, "the other edition is untouched"


def test_saving_the_editor_without_a_change_does_not_count_as_a_change(cora):
    edition = ready_edition()

    response = cora.post(_edition_url("edit", edition), _edition_form(edition))

    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.text_version == 1
    assert edition.pdf_shows_text


def test_the_editor_ignores_figures_on_an_edition_not_published(cora):
    edition = EditionFactory()

    cora.post(_edition_url("edit", edition), _edition_form(edition, refresh_figures="on"))

    edition.refresh_from_db()
    assert edition.refresh_figures is False


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"highlights": "1\n2\n3\n- 4\n\n* 5"},
            "Highlights",
            "Keep to at most 4 key messages; there are 5.",
        ),
        ({"title": ""}, "Title", "This field is required."),
    ],
    ids=["five highlights", "no title"],
)
def test_the_editor_refuses_and_saves_nothing(cora, changes, field, message):
    edition = EditionFactory(coordination="Before")

    response = cora.post(
        _edition_url("edit", edition), _edition_form(edition, coordination="After", **changes)
    )

    assert response.status_code == 400
    errors = [_text(li) for li in _page(response).findall(".//div[@role='alert']/ul/li")]
    assert errors == [f"{field}: {message}"]
    edition.refresh_from_db()
    assert edition.coordination == "Before"
    assert edition.text_version == 1


def test_four_highlights_and_blank_lines_are_fine(cora):
    edition = EditionFactory()

    response = cora.post(
        _edition_url("edit", edition), _edition_form(edition, highlights="1\n\n2\n3\n- 4\n")
    )

    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.highlight_list == ["1", "2", "3", "4"]


def test_a_published_edition_s_editor_says_it_writes_a_revision_with_a_fixed_title(cora):
    edition = published_edition()

    page = _page(cora.get(_edition_url("edit", edition)))

    assert _text(_one(page, ".//*[@data-revision-notice]")) == (
        "This edition is published. What you write here is a revision: the public page, the "
        "PDF and the feed keep showing version 1 until you build the revision and publish it "
        "with a one-line note. Its title is fixed."
    )
    assert "disabled" in _one(page, ".//input[@name='title']").attrib
    refresh = _one(page, ".//input[@name='refresh_figures']")
    assert refresh.get("type") == "checkbox"
    assert "checked" not in refresh.attrib
    assert _text(_one(page, ".//label[@for='id_refresh_figures']")) == "Take today's figures"


def test_saving_a_published_edition_saves_the_revision_and_keeps_the_title(cora):
    edition = published_edition(title="Bulletin of early 2026")

    response = cora.post(
        _edition_url("edit", edition),
        _edition_form(
            edition,
            title="Another title",
            situation_overview="The figures for the north were corrected.",
            refresh_figures="on",
        ),
        follow=True,
    )

    assert _messages(response) == [
        "The revision is saved; the public still sees the published edition. Build it, then "
        "publish the revision with a note."
    ]
    edition = _fresh(edition)
    assert edition.title == "Bulletin of early 2026"
    assert edition.situation_overview == "The figures for the north were corrected."
    assert edition.refresh_figures is True
    assert edition.has_revision
    version = edition.current_version
    assert version.number == 1
    assert version.title == "Bulletin of early 2026"
    assert version.situation_overview == "Heavy rains **displaced** families in the north."


# Autosave ----------------------------------------------------------------------------------


def test_autosave_saves_the_text_and_says_when(cora, time_machine):
    time_machine.move_to(datetime.datetime(2026, 4, 15, 12, 5, 30, tzinfo=datetime.UTC), tick=False)
    edition = EditionFactory()
    history = edition.history.count()

    response = cora.post(
        _edition_url("autosave", edition),
        _edition_form(edition, health_response="Typing…"),
        HTTP_X_REQUESTED_WITH="fetch",
    )

    data = response.json()
    assert response.status_code == 200
    assert data["saved"] is True
    assert data["message"] == "Draft saved at 12:05."
    assert data["saved_at"] == "2026-04-15T12:05:30+00:00"
    edition.refresh_from_db()
    assert edition.health_response == "Typing…"
    assert edition.text_version == 2
    assert edition.history.count() == history, "the autosave leaves no history row"


def test_autosave_counts_a_change_only_when_the_text_changed(cora):
    edition = EditionFactory()
    url = _edition_url("autosave", edition)

    first = cora.post(url, _edition_form(edition, health_response="Typing…"))
    edition.refresh_from_db()
    after_change = edition.text_version
    second = cora.post(url, _edition_form(edition))
    edition.refresh_from_db()

    assert first.json()["saved"] is True
    assert second.json()["saved"] is True
    assert after_change == 2
    assert edition.text_version == 2, "saving the same text again is no change"


def test_autosave_of_an_unchanged_built_edition_keeps_its_pdf_publishable(cora):
    edition = ready_edition()

    cora.post(_edition_url("autosave", edition), _edition_form(edition))

    edition.refresh_from_db()
    assert edition.pdf_shows_text
    assert policy.edition_publishable(_fresh(edition))


def test_autosave_says_why_it_cannot_save_yet(cora):
    edition = EditionFactory(health_response="Before")

    response = cora.post(
        _edition_url("autosave", edition),
        _edition_form(edition, highlights="1\n2\n3\n4\n5", health_response="After"),
    )

    data = response.json()
    assert response.status_code == 400
    assert data["saved"] is False
    assert data["message"] == "Not saved yet: Keep to at most 4 key messages; there are 5."
    assert data["errors"] == {"highlights": ["Keep to at most 4 key messages; there are 5."]}
    edition.refresh_from_db()
    assert edition.health_response == "Before"
    assert edition.text_version == 1


def test_autosave_needs_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("coordinator"))
    edition = EditionFactory(health_response="Before")

    response = client.post(
        _edition_url("autosave", edition), _edition_form(edition, health_response="After")
    )

    assert response.status_code == 403
    edition.refresh_from_db()
    assert edition.health_response == "Before"


# Builds ------------------------------------------------------------------------------------


def test_an_edition_is_built_in_process_without_redis_and_the_page_shows_it(cora, profile):
    bulletin, english, arabic = bilingual_bulletin(number=7)

    response = cora.post(_edition_url("build", english), follow=True)

    assert response.redirect_chain == [(_detail(bulletin), 302)]
    assert _messages(response) == ["The PDFs are built."]
    english.refresh_from_db()
    assert english.status == BuildStatus.READY
    assert english.pdf.read().startswith(b"%PDF")
    assert english.pdf_shows_text
    arabic.refresh_from_db()
    assert arabic.status == BuildStatus.DRAFT
    card = _card(_page(response), "en")
    assert _text(card.find(".//*[@data-build-label]")) == "Ready"
    download = _one(card, ".//*[@data-build-download]")
    assert _text(_links_to(download, _edition_url("download", english))[0]) == (
        "Download the English PDF"
    )


def test_building_every_edition_builds_them_from_the_same_figures(cora, profile):
    bulletin, english, arabic = bilingual_bulletin(number=7)

    response = cora.post(_bulletin_url("build", bulletin), follow=True)

    assert response.redirect_chain == [(_detail(bulletin), 302)]
    assert _messages(response) == ["The PDFs are built."]
    bulletin.refresh_from_db()
    english.refresh_from_db()
    arabic.refresh_from_db()
    assert english.status == arabic.status == BuildStatus.READY
    assert bulletin.snapshot_taken_at is not None
    assert english.snapshot_taken_at == arabic.snapshot_taken_at == bulletin.snapshot_taken_at
    assert english.pdf.name != arabic.pdf.name
    page = _page(response)
    assert [_text(_card(page, lang).find(".//*[@data-build-label]")) for lang in ("en", "ar")] == [
        "Ready",
        "Ready",
    ]
    assert _links_to(page, _bulletin_url("publish", bulletin))


def test_building_every_edition_empties_the_figures_and_queues_each_build(cora, no_task):
    bulletin, english, arabic = bilingual_bulletin(number=7)
    built(english, figures=sample_figures(areas=5))

    response = cora.post(_bulletin_url("build", bulletin), follow=True)

    assert _messages(response) == [
        "The builds are queued. This page shows their progress until they are done."
    ]
    assert len(no_task) == 2
    bulletin.refresh_from_db()
    assert bulletin.snapshot == {}, "the first build takes today's figures for both"
    assert bulletin.snapshot_taken_at is None
    english.refresh_from_db()
    arabic.refresh_from_db()
    assert english.status == arabic.status == BuildStatus.QUEUED
    page = _page(response)
    polls = [
        _one(_card(page, lang), ".//*[@data-build-status]").get("data-poll")
        for lang in ("en", "ar")
    ]
    assert polls == ["on", "on"]


def test_building_every_edition_is_refused_once_one_is_published(cora, no_task):
    bulletin, english, arabic = bilingual_bulletin(number=7)
    _publish(built(english))
    figures = Bulletin.objects.get(pk=bulletin.pk).snapshot

    response = cora.post(_bulletin_url("build", bulletin), follow=True)

    assert response.redirect_chain == [(_detail(bulletin), 302)]
    assert _messages(response) == [
        "An edition is published, so the figures are frozen: build each edition on its own."
    ]
    assert no_task == []
    bulletin.refresh_from_db()
    assert bulletin.snapshot == figures
    arabic.refresh_from_db()
    assert arabic.status == BuildStatus.DRAFT


def test_a_build_already_running_is_left_alone(cora, no_task):
    _bulletin, english, _arabic = bilingual_bulletin()
    token = uuid.uuid4()
    Edition.objects.filter(pk=english.pk).update(
        status=BuildStatus.BUILDING, build_token=token, heartbeat_at=timezone.now()
    )

    response = cora.post(_edition_url("build", english), follow=True)

    assert _messages(response) == ["These editions are already being built."]
    assert no_task == []
    english.refresh_from_db()
    assert english.build_token == token


@pytest.mark.usefixtures("queue_down")
def test_a_build_when_the_queue_is_down_says_so_at_once(cora):
    _bulletin, english, _arabic = bilingual_bulletin()

    response = cora.post(_edition_url("build", english), follow=True)

    assert _messages(response) == [QUEUE_DOWN]
    english.refresh_from_db()
    assert english.status == BuildStatus.FAILED
    assert english.status_reason == FailureReason.QUEUE_DOWN
    card = _card(_page(response), "en")
    assert _text(card.find(".//*[@data-build-label]")) == "Build failed"
    assert _text(card.find(".//*[@data-build-reason]")) == QUEUE_DOWN


@pytest.mark.usefixtures("queue_down")
def test_building_every_edition_when_the_queue_is_down_says_so_once(cora):
    bulletin, english, arabic = bilingual_bulletin()

    response = cora.post(_bulletin_url("build", bulletin), follow=True)

    assert _messages(response) == [QUEUE_DOWN]
    english.refresh_from_db()
    arabic.refresh_from_db()
    assert english.status == arabic.status == BuildStatus.FAILED


@pytest.mark.parametrize("name", ["build", "autosave"])
def test_the_edition_s_actions_are_posts_only(cora, name):
    edition = EditionFactory()

    assert cora.get(_edition_url(name, edition)).status_code == 405
    edition.refresh_from_db()
    assert edition.status == BuildStatus.DRAFT


# The build's status ------------------------------------------------------------------------


def test_the_status_json_follows_the_build(cora, settings):
    settings.BULLETIN_HEARTBEAT_TIMEOUT = 30
    edition = EditionFactory()
    url = _edition_url("status", edition)
    Edition.objects.filter(pk=edition.pk).update(
        status=BuildStatus.BUILDING, build_token=uuid.uuid4(), heartbeat_at=timezone.now()
    )

    building = cora.get(url).json()
    Edition.objects.filter(pk=edition.pk).update(
        heartbeat_at=timezone.now() - datetime.timedelta(seconds=31)
    )
    stale = cora.get(url)

    assert building["status"] == "building"
    assert building["label"] == "Building"
    assert building["in_progress"] is True
    assert building["has_pdf"] is False
    assert building["download_url"] == ""
    assert stale.json()["status"] == "failed"
    assert stale.json()["in_progress"] is False
    assert stale.json()["reason"] == (
        "The build stopped answering: the server building it was probably restarted. Build again."
    )
    assert "no-store" in stale["Cache-Control"]


def test_the_status_json_of_a_built_edition_links_its_pdf(cora, time_machine):
    time_machine.move_to(datetime.datetime(2026, 4, 15, 9, 30, tzinfo=datetime.UTC), tick=False)
    _bulletin, _english, arabic = bilingual_bulletin()
    built(arabic)

    data = cora.get(_edition_url("status", arabic)).json()

    assert data["status"] == "ready"
    assert data["label"] == "Ready"
    assert data["has_pdf"] is True
    assert data["download_url"] == _edition_url("download", arabic)
    assert data["built_at"] == "2026-04-15T09:30:00+00:00"
    assert data["built_text"] == f"built on {data['built_at_display']}"
    assert has_phrase(data["built_at_display"], "2026")


# The preview -------------------------------------------------------------------------------


def test_the_preview_before_any_build_shows_today_s_figures_and_says_so(
    cora, profile, validated_rows
):
    _bulletin, _english, arabic = bilingual_bulletin()

    response = cora.get(_edition_url("preview", arabic))

    html = response.content.decode()
    page = _page(response)
    assert response.status_code == 200
    assert (page.get("lang"), page.get("dir")) == ("ar", "rtl")
    assert _text(_one(page, ".//h1[@id='bulletin-title']")) == "نشرة مجموعة الصحة"
    flag = _one(page, ".//nav[@class='preview-bar']/strong")
    # The notice in the edition's language.
    assert _text(flag) == "هذه أرقام اليوم؛ ويؤدي إنشاء النشرة إلى تثبيتها."
    area_names = [
        _text(cell) for cell in page.findall(".//table[@class='data areas']/tbody/tr/*[1]")
    ]
    assert "الشمال" in " ".join(area_names), "the area's Arabic name from today's figures"
    # Every area's figure here is from fewer than three partners: no bar is drawn for it.
    assert not page.findall(".//section[@id='people-by-area']//ol[@class='bar-list']")
    assert "css/bulletin-print.css" in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "style-src 'self'" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]
    _no_inline_script_or_style(html)
    bulletin = Bulletin.objects.get(pk=arabic.bulletin_id)
    assert bulletin.snapshot == {}, "a preview stores no figures"


def test_the_english_preview_flags_today_s_figures(cora, profile):
    _bulletin, english, _arabic = bilingual_bulletin()

    page = _page(cora.get(_edition_url("preview", english)))

    assert _text(_one(page, ".//nav[@class='preview-bar']/strong")) == TODAYS_FIGURES


def test_the_preview_after_a_build_shows_the_build_s_figures_and_today_s_text(
    cora, profile, validated_rows
):
    _bulletin, english, _arabic = bilingual_bulletin()
    built(english)
    services.edition_update(edition=english, fields={"title": "A newer title"}, by=None)

    page = _page(cora.get(_edition_url("preview", english)))

    assert page.find(".//nav[@class='preview-bar']/strong") is None
    assert _text(_one(page, ".//*[@data-figure='people_reached']")) == "123,456"
    assert _text(_one(page, ".//h1[@id='bulletin-title']")) == "A newer title"


def test_an_edition_not_built_previews_the_figures_another_edition_s_build_took(cora, profile):
    _bulletin, english, arabic = bilingual_bulletin()
    built(english)

    page = _page(cora.get(_edition_url("preview", arabic)))

    assert page.find(".//nav[@class='preview-bar']/strong") is None
    # 123,456 with the Arabic thousands separator.
    assert _text(_one(page, ".//*[@data-figure='people_reached']")) == "123\u066c456"


# The PDF -----------------------------------------------------------------------------------


def test_download_serves_the_pdf_as_an_attachment(cora, file_store):
    edition = built(EditionFactory(bulletin__number=7), pdf=b"%PDF-1.7 test")

    response = cora.get(_edition_url("download", edition))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 test"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bulletin-7-en.pdf"'
    assert "private" in response["Cache-Control"]


def test_download_while_the_file_store_is_down_is_a_503_that_says_so(cora, settings):
    edition = built(EditionFactory(bulletin__number=7), pdf=b"%PDF-1.7 test")
    settings.STORAGES = storages_for(
        storage_url(f"127.0.0.1:{closed_port()}", "portal-files"), settings.STORAGES
    )

    response = cora.get(_edition_url("download", edition))

    assert response.status_code == 503
    assert "The file store cannot be reached" in response.content.decode()


def test_download_serves_the_latest_build_even_before_it_is_published(cora):
    _bulletin, english, arabic = bilingual_bulletin(number=7)
    built(arabic, pdf=b"%PDF-1.7 arabic")
    english = built(english, pdf=b"%PDF-1.7 published")
    _publish(english)
    revise(_fresh(english), situation_overview="Corrected.")
    built(_fresh(english), pdf=b"%PDF-1.7 revision")

    english_pdf = cora.get(_edition_url("download", english))
    arabic_pdf = cora.get(_edition_url("download", arabic))

    assert b"".join(english_pdf.streaming_content) == b"%PDF-1.7 revision"
    assert b"".join(arabic_pdf.streaming_content) == b"%PDF-1.7 arabic"
    assert arabic_pdf["Content-Disposition"] == 'attachment; filename="bulletin-7-ar.pdf"'


def test_download_without_a_pdf_is_a_404(cora):
    edition = EditionFactory()

    assert cora.get(_edition_url("download", edition)).status_code == 404


def test_download_of_a_pdf_missing_on_disk_is_a_404(cora):
    edition = EditionFactory()
    edition.pdf.name = "bulletins/gone.pdf"
    edition.save(update_fields=["pdf"])

    assert cora.get(_edition_url("download", edition)).status_code == 404


def test_the_pdf_has_no_public_address(settings):
    from django.urls import Resolver404, resolve

    assert not settings.MEDIA_URL.startswith("/media")
    with pytest.raises(Resolver404):
        resolve(settings.MEDIA_URL + "bulletins/x.pdf")


# My tasks ----------------------------------------------------------------------------------


def test_my_tasks_lists_failed_builds_for_coordinators_only(world, login):
    _bulletin, english, _arabic = bilingual_bulletin()
    Edition.objects.filter(pk=english.pk).update(
        status=BuildStatus.FAILED, status_reason=FailureReason.STOPPED
    )

    coordinator_page = _text(_page(login(world.user("coordinator")).get(reverse("my_tasks"))))
    member_page = _text(_page(login(world.user("focal")).get(reverse("my_tasks"))))

    assert has_phrase(coordinator_page, "Bulletin builds that failed")
    assert has_phrase(
        coordinator_page,
        "The PDF of 1 edition could not be built; its bulletin's page says why.",
    )
    assert not has_phrase(member_page, "Bulletin builds that failed")
