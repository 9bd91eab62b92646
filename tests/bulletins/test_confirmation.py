"""Publishing, revising and withdrawing ask first: the confirmation page says, edition by
edition, what will happen and whom it emails, warns when the period's reporting is thin and
which editions are left out, nothing happens on a GET, a POST missing what the action needs
shows the page again (400), and the POST from its button does it."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse

from activities.models import ReportStatus
from bulletins import publication, rendering, services
from bulletins.models import Bulletin, Edition, EditionVersion
from partners.models import Organisation, OrganisationStatus
from subscribers.models import Announcement
from tests.activities.factories import PeriodFactory, ReportFactory
from tests.bulletins.conftest import sample_figures
from tests.bulletins.factories import (
    bilingual_bulletin,
    built,
    published_edition,
    ready_edition,
    revise,
)
from tests.factories import OrganisationFactory
from tests.subscribers.conftest import SubscriberFactory
from tests.text import has_phrase

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.time_machine(datetime.datetime(2026, 3, 15, 12, 0, tzinfo=datetime.UTC)),
]

SITE = "https://health.example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def cora(world, login):
    return login(world.user("coordinator"))


@pytest.fixture
def all_reported(world):
    """Every approved partner has a validated report for January and February 2026."""
    for month in (1, 2):
        period = PeriodFactory(year=2026, month=month)
        for organisation in Organisation.objects.filter(status=OrganisationStatus.APPROVED):
            ReportFactory(organisation=organisation, period=period, status=ReportStatus.VALIDATED)


@pytest.fixture
def quick_pdf(monkeypatch):
    """Real builds (figures, HTML, a new file) without WeasyPrint's seconds per PDF."""
    monkeypatch.setattr(rendering, "render_pdf", lambda html: b"%PDF-1.7\n% built\n")


def _text(html: str) -> str:
    """The words of a page as a reader sees them: tags removed, entities read, spaces
    collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _shown(response):
    """The confirmation the page was rendered with, after checking the page shows its title,
    every consequence, every warning and the button's words."""
    assert response.status_code in (200, 400), response.status_code
    confirmation = response.context["confirmation"]
    page = _text(response.content.decode())
    for line in [confirmation.title, *confirmation.consequences, *confirmation.warnings]:
        assert has_phrase(page, str(line)), line
    assert has_phrase(page, str(confirmation.button))
    return confirmation


def _checkboxes(response, name: str) -> dict[str, bool]:
    """The page's checkboxes of this name: value -> ticked."""
    inputs = re.findall(r"<input[^>]*>", response.content.decode())
    boxes = [tag for tag in inputs if f'name="{name}"' in tag and 'type="checkbox"' in tag]
    return {
        (re.search(r'value="([^"]*)"', tag).group(1) if 'value="' in tag else "on"): (
            re.search(r"\schecked\b", tag) is not None
        )
        for tag in boxes
    }


def _rows(*editions: Edition) -> list[dict]:
    return [Edition.objects.values().get(pk=edition.pk) for edition in editions]


def _url(name: str, edition: Edition) -> str:
    if name == "edition_revise":
        return reverse(
            "bulletins:edition_revise",
            kwargs={"pk": edition.bulletin_id, "language": edition.language},
        )
    return reverse(f"bulletins:{name}", kwargs={"pk": edition.bulletin_id})


def _fresh(edition: Edition) -> Edition:
    return Edition.objects.prefetch_related("versions").get(pk=edition.pk)


def _ready_bilingual(number: int = 21) -> tuple[Bulletin, Edition, Edition]:
    bulletin, english, arabic = bilingual_bulletin(number=number)
    return bulletin, built(english), built(arabic)


# Publishing -------------------------------------------------------------------------------


def test_the_publication_says_per_edition_how_many_subscribers_of_its_language_are_emailed(
    cora, all_reported
):
    _bulletin, english, arabic = _ready_bilingual(number=21)
    SubscriberFactory.create_batch(3, language="en")
    SubscriberFactory.create_batch(2, language="ar")
    SubscriberFactory(language="en", confirmed_at=None)  # not confirmed: not emailed
    SubscriberFactory(language="ar", confirmed_at=None)
    before = _rows(english, arabic)

    response = cora.get(_url("publish", english))

    confirmation = _shown(response)
    assert confirmation.title == "Publish bulletin 21?"
    assert confirmation.consequences == [
        f"English edition, “Health Cluster Bulletin”: becomes public at {SITE}/en/bulletins/21/en/ "
        "(its page, its PDF and its entry in the feed), and an email announcing it goes to the "
        "3 confirmed subscribers who read English, once.",
        f"Arabic edition, “نشرة مجموعة الصحة”: becomes public at {SITE}/en/bulletins/21/ar/ "
        "(its page, its PDF and its entry in the feed), and an email announcing it goes to the "
        "2 confirmed subscribers who read Arabic, once.",
        "The figures are frozen as they are now: later validations do not change them.",
    ]
    assert confirmation.warnings == []
    assert confirmation.button == "Publish and email 5 subscribers"
    assert _checkboxes(response, "languages") == {"en": True, "ar": True}
    # Nothing happened on the GET.
    assert _rows(english, arabic) == before
    assert not EditionVersion.objects.exists()
    assert not Announcement.objects.exists()


def test_one_subscriber_is_said_in_the_singular(cora, all_reported):
    edition = ready_edition(bulletin__number=22, title="Bulletin of early 2026")
    SubscriberFactory(language="en")
    SubscriberFactory(language="ar")  # the bulletin has no Arabic edition

    confirmation = _shown(cora.get(_url("publish", edition)))

    assert has_phrase(
        confirmation.consequences[0],
        "an email announcing it goes to 1 confirmed subscriber who reads English, once.",
    )
    assert confirmation.button == "Publish and email 1 subscriber"


def test_with_no_subscriber_of_its_language_nobody_is_emailed(cora, all_reported):
    edition = ready_edition(bulletin__number=23, title="Bulletin of early 2026")
    SubscriberFactory(language="ar")
    SubscriberFactory(language="en", confirmed_at=None)

    confirmation = _shown(cora.get(_url("publish", edition)))

    assert confirmation.consequences[0] == (
        f"English edition, “Bulletin of early 2026”: becomes public at {SITE}/en/bulletins/23/en/ "
        "(its page, its PDF and its entry in the feed). Nobody is emailed: no confirmed "
        "subscriber reads English."
    )
    assert confirmation.button == "Publish"


def _not_built(bulletin, english, arabic):
    return built(english), arabic


def _changed_after_build(bulletin, english, arabic):
    english, arabic = built(english), built(arabic)
    revise(arabic, highlights="A message written after the build.")
    return english, arabic


def _other_figures(bulletin, english, arabic, time_machine):
    arabic = built(arabic)
    time_machine.shift(datetime.timedelta(minutes=10))
    # The English build took the figures again: the Arabic one has other figures now.
    english = built(english, figures=sample_figures(areas=5))
    return english, arabic


@pytest.mark.parametrize(
    ("arrange", "reason"),
    [
        (
            _not_built,
            "Only a ready edition can be published: build its PDF, check it, and publish it "
            "once its status is Ready.",
        ),
        (_changed_after_build, "Its text changed after its PDF was built: build it again."),
        (
            _other_figures,
            "It was built from other figures than the bulletin's: build it again so every "
            "edition shows the same figures.",
        ),
    ],
    ids=["not built", "text changed", "other figures"],
)
def test_an_edition_left_out_is_said_with_its_reason(
    cora, all_reported, time_machine, arrange, reason
):
    bulletin, english, arabic = bilingual_bulletin(number=24)
    args = (bulletin, english, arabic)
    english, arabic = arrange(*args, time_machine) if arrange is _other_figures else arrange(*args)
    SubscriberFactory.create_batch(2, language="en")
    SubscriberFactory.create_batch(3, language="ar")

    response = cora.get(_url("publish", english))

    confirmation = _shown(response)
    assert confirmation.warnings == [f"The Arabic edition is not published: {reason}"]
    assert len(confirmation.consequences) == 2  # the English edition, and the frozen figures
    assert has_phrase(confirmation.consequences[0], "who read English, once.")
    assert confirmation.button == "Publish and email 2 subscribers"  # not the Arabic readers
    assert _checkboxes(response, "languages") == {"en": True}


def test_an_edition_already_published_is_neither_offered_nor_said_left_out(cora, all_reported):
    bulletin, english, _arabic = _ready_bilingual(number=25)
    publication.bulletin_publish(bulletin=bulletin, languages=["en"], by=None)
    SubscriberFactory.create_batch(4, language="en")
    SubscriberFactory(language="ar")

    response = cora.get(_url("publish", english))

    confirmation = _shown(response)
    assert len(confirmation.consequences) == 1  # figures already frozen: not said again
    assert confirmation.consequences[0].startswith("Arabic edition, “نشرة مجموعة الصحة”")
    assert confirmation.warnings == []
    assert confirmation.button == "Publish and email 1 subscriber"
    assert _checkboxes(response, "languages") == {"ar": True}


def test_thin_reporting_is_warned_month_by_month_below_80_percent(cora, world):
    OrganisationFactory.create_batch(3)  # five approved partners with the world's two
    OrganisationFactory(status=OrganisationStatus.PENDING)  # not approved: not expected
    approved = list(Organisation.objects.filter(status=OrganisationStatus.APPROVED))
    assert len(approved) == 5
    january, february = (PeriodFactory(year=2026, month=m) for m in (1, 2))
    for organisation in approved[:4]:  # 4 of 5: 80%, not fewer
        ReportFactory(organisation=organisation, period=january, status=ReportStatus.VALIDATED)
    for organisation in approved[:3]:  # 3 of 5: 60%
        ReportFactory(organisation=organisation, period=february, status=ReportStatus.VALIDATED)
    # Submitted, not validated: it does not count.
    ReportFactory(organisation=approved[3], period=february, status=ReportStatus.SUBMITTED)
    edition = ready_edition()  # January and February 2026
    before = _rows(edition)

    confirmation = _shown(cora.get(_url("publish", edition)))

    assert confirmation.warnings == [
        "February 2026: only 3 of the 5 approved partners (60%) have a validated report, "
        "fewer than 80%."
    ]
    assert _rows(edition) == before


def test_a_month_without_any_validated_report_is_warned(cora, world):
    edition = ready_edition()  # January and February 2026, nobody reported

    confirmation = _shown(cora.get(_url("publish", edition)))

    assert confirmation.warnings == [
        "January 2026: only 0 of the 2 approved partners (0%) have a validated report, fewer "
        "than 80%.",
        "February 2026: only 0 of the 2 approved partners (0%) have a validated report, fewer "
        "than 80%.",
    ]


def test_no_warning_when_every_month_is_reported(cora, all_reported):
    edition = ready_edition()

    response = cora.get(_url("publish", edition))

    assert _shown(response).warnings == []
    assert 'id="warnings"' not in response.content.decode()


def test_publishing_again_after_a_withdrawal_emails_nobody_and_warns_of_nothing(cora, world):
    edition = published_edition(bulletin__number=26, title="Bulletin of early 2026")
    publication.bulletin_withdraw(bulletin=edition.bulletin, by=None, reason="Counted twice.")
    SubscriberFactory(language="en")

    confirmation = _shown(cora.get(_url("publish", edition)))

    assert confirmation.consequences == [
        f"English edition, “Bulletin of early 2026”: public again at {SITE}/en/bulletins/26/en/ "
        "without the withdrawal notice. Nobody is emailed: its subscribers were told when it "
        "was first published."
    ]
    assert confirmation.button == "Publish"
    # Its figures were published already: the period's reporting is not warned again.
    assert confirmation.warnings == []


def test_confirming_publishes_the_ticked_editions_and_announces_each_once(
    cora, django_capture_on_commit_callbacks, mailoutbox
):
    _bulletin, english, arabic = _ready_bilingual()
    SubscriberFactory(language="en")
    SubscriberFactory(language="ar")

    with django_capture_on_commit_callbacks(execute=True):
        response = cora.post(_url("publish", english), {"languages": ["en", "ar"]})
    with django_capture_on_commit_callbacks(execute=True):
        again = cora.post(_url("publish", english), {"languages": ["en", "ar"]}, follow=True)

    assert response.status_code == 302
    assert all(_fresh(e).is_public for e in (english, arabic))
    assert sorted(Announcement.objects.values_list("key", flat=True)) == sorted(
        [f"edition-{english.pk}-v1", f"edition-{arabic.pk}-v1"]
    )
    assert len(mailoutbox) == 2
    # A second click finds them published: nothing more happens.
    assert has_phrase(_text(again.content.decode()), "Every edition is already published.")
    assert EditionVersion.objects.count() == 2


@pytest.mark.parametrize(
    "data", [{}, {"languages": []}, {"languages": ["ar"]}], ids=["none", "empty", "not ready"]
)
def test_a_publication_without_a_chosen_edition_shows_the_page_again(cora, all_reported, data):
    _bulletin, english, arabic = bilingual_bulletin(number=27)
    english = built(english)  # the Arabic edition is not ready
    before = _rows(english, arabic)

    response = cora.post(_url("publish", english), data)

    assert response.status_code == 400
    confirmation = _shown(response)
    assert confirmation.title == "Publish bulletin 27?"
    assert confirmation.form.errors["languages"]
    if not data.get("languages"):
        assert has_phrase(
            _text(response.content.decode()), "Choose at least one edition to publish."
        )
    assert _rows(english, arabic) == before
    assert not EditionVersion.objects.exists()
    assert not Announcement.objects.exists()


def test_no_confirmation_is_offered_for_what_cannot_be_done(cora):
    published = published_edition()
    nothing_ready, _english, _arabic = bilingual_bulletin()
    ready = ready_edition()

    cases = [
        (_url("publish", published), "Every edition is already published."),
        (
            reverse("bulletins:publish", kwargs={"pk": nothing_ready.pk}),
            "No edition is ready to publish",
        ),
        (_url("withdraw", ready), "Only a published bulletin can be withdrawn."),
        (_url("edition_revise", published), "There is no revision ready to publish"),
        (_url("edition_revise", ready), "This edition is not published yet"),
    ]
    for url, message in cases:
        for method in (cora.get, cora.post):
            response = method(url, follow=True)
            assert response.redirect_chain[-1][1] == 302, url
            assert "confirmation" not in response.context, url
            assert has_phrase(_text(response.content.decode()), message), url
    assert EditionVersion.objects.count() == 1
    assert not _fresh(published).is_withdrawn


# Withdrawing ------------------------------------------------------------------------------


def test_the_withdrawal_says_the_pages_stay_and_asks_for_the_reason(cora):
    bulletin, english, arabic = _ready_bilingual(number=28)
    publication.bulletin_publish(bulletin=bulletin, languages=["en", "ar"], by=None)
    before = _rows(english, arabic)
    url = _url("withdraw", english)

    response = cora.get(url)

    confirmation = _shown(response)
    assert confirmation.title == "Withdraw bulletin 28?"
    assert confirmation.consequences == [
        "Its public pages and PDFs (English, Arabic) stay online, marked as withdrawn, with "
        "your reason; the feeds say so too.",
        "Nobody is emailed.",
        "You can publish it again later; its subscribers are not emailed again.",
    ]
    assert confirmation.danger
    assert confirmation.button == "Withdraw the bulletin"
    assert 'name="reason"' in response.content.decode()
    assert _rows(english, arabic) == before

    response = cora.post(url, {"reason": "  "})
    assert response.status_code == 400
    _shown(response)
    assert has_phrase(
        _text(response.content.decode()),
        "Say why the bulletin is withdrawn: the reason is shown on its page.",
    )
    assert _rows(english, arabic) == before

    response = cora.post(url, {"reason": "One area was counted twice."})
    assert response.status_code == 302
    for edition in (english, arabic):
        edition = _fresh(edition)
        assert (edition.is_withdrawn, edition.withdrawal_reason) == (
            True,
            "One area was counted twice.",
        )


def test_the_withdrawal_names_only_the_published_editions(cora):
    bulletin, english, _arabic = _ready_bilingual()
    publication.bulletin_publish(bulletin=bulletin, languages=["ar"], by=None)

    confirmation = _shown(cora.get(_url("withdraw", english)))

    assert has_phrase(confirmation.consequences[0], "Its public pages and PDFs (Arabic) stay")


# Revising ---------------------------------------------------------------------------------


def _revision_ready(**fields) -> Edition:
    """A published edition, edited and built again: its revision is ready to publish."""
    edition = published_edition(**fields)
    revise(edition, highlights="Consultations rose again in the north.")
    return built(Edition.objects.get(pk=edition.pk))


def test_the_revision_says_the_next_version_the_earlier_pdfs_the_figures_and_who_is_emailed(
    cora,
):
    edition = _revision_ready(bulletin__number=9)
    SubscriberFactory.create_batch(2, language="en")
    SubscriberFactory(language="ar")
    before = _rows(edition)

    response = cora.get(_url("edition_revise", edition))

    confirmation = _shown(response)
    assert confirmation.title == "Publish the revision of the English edition of bulletin 9?"
    assert confirmation.consequences == [
        f"The English edition of bulletin 9 becomes version 2 at {SITE}/en/bulletins/9/en/: its "
        "page, PDF and feed entry show the revision, with your note and today's date.",
        "The PDFs of earlier versions stay on its page, for the record.",
        "Its figures stay those it was published with.",
        "Nobody is emailed unless you tick the box below; it emails 2 confirmed subscribers.",
    ]
    assert confirmation.button == "Publish the revision"
    assert 'name="note"' in response.content.decode()
    assert _checkboxes(response, "email_subscribers") == {"on": False}
    # Nothing happened on the GET.
    assert _rows(edition) == before
    assert _fresh(edition).versions.count() == 1
    assert Announcement.objects.count() == 1


def test_a_second_revision_becomes_version_3_and_one_subscriber_is_said_so(cora):
    edition = _revision_ready(bulletin__number=10)
    publication.edition_publish_revision(edition=edition, note="First correction.", by=None)
    revise(edition, highlights="A second correction.")
    edition = built(Edition.objects.get(pk=edition.pk))
    SubscriberFactory(language="en")

    confirmation = _shown(cora.get(_url("edition_revise", edition)))

    assert has_phrase(
        confirmation.consequences[0], "The English edition of bulletin 10 becomes version 3"
    )
    assert confirmation.consequences[3] == (
        "Nobody is emailed unless you tick the box below; it emails 1 confirmed subscriber."
    )


def test_a_revision_with_todays_figures_says_they_replace_the_published_ones(
    cora, validated_rows, profile, quick_pdf
):
    edition = published_edition()
    revise(edition, refresh_figures=True)
    services.edition_build_in_process(edition=edition, by=None)

    confirmation = _shown(cora.get(_url("edition_revise", edition)))

    assert confirmation.consequences[2] == (
        "Its figures are today's, taken when the revision was built: they replace those it "
        "was published with. Other editions keep theirs until they are revised."
    )


def test_the_revision_of_a_withdrawn_edition_says_the_notice_goes(cora):
    edition = published_edition()
    publication.bulletin_withdraw(bulletin=edition.bulletin, by=None, reason="Wrong figure.")
    revise(edition, highlights="The figure is corrected.")
    edition = built(Edition.objects.get(pk=edition.pk))

    confirmation = _shown(cora.get(_url("edition_revise", edition)))

    assert confirmation.consequences[-1] == "The withdrawal notice is removed."


@pytest.mark.parametrize(
    ("note", "error"),
    [
        ("", "Say in one line what was revised: it is shown on the public page."),
        ("   ", "Say in one line what was revised: it is shown on the public page."),
        ("x" * 301, "Ensure this value has at most 300 characters (it has 301)."),
    ],
    ids=["missing", "blank", "too long"],
)
def test_a_revision_without_a_proper_note_shows_the_page_again(cora, note, error):
    SubscriberFactory(language="en")
    edition = _revision_ready()
    before = _rows(edition)

    response = cora.post(_url("edition_revise", edition), {"note": note, "email_subscribers": "on"})

    assert response.status_code == 400
    confirmation = _shown(response)
    assert has_phrase(confirmation.title, "Publish the revision of the English edition")
    assert has_phrase(_text(response.content.decode()), error)
    assert _rows(edition) == before
    assert _fresh(edition).versions.count() == 1
    assert Announcement.objects.count() == 1  # the first publication's only


def test_confirming_the_revision_with_its_note_publishes_it(
    cora, django_capture_on_commit_callbacks, mailoutbox
):
    SubscriberFactory(language="en")
    edition = _revision_ready()
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = cora.post(
            _url("edition_revise", edition), {"note": "The north's figures were corrected."}
        )

    assert response.status_code == 302
    version = _fresh(edition).current_version
    assert (version.number, version.note) == (2, "The north's figures were corrected.")
    assert mailoutbox == []  # the box was not ticked
