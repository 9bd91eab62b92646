"""Publishing, revising and withdrawing a bulletin's editions: the services, the coordinators'
buttons, what is refused and left unchanged, and the announcement to the subscribers of each
edition's language through the subscribers app, once per version, whatever happens after.

The confirmation pages themselves (what they say before anything happens) are in
``test_confirmation.py``.
"""

import datetime
import re
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from bulletins import policy, publication, rendering, services
from bulletins.models import TEXT_FIELDS, BuildStatus, Bulletin, Edition, EditionVersion
from subscribers.models import Announcement
from tests.bulletins.conftest import sample_figures
from tests.bulletins.factories import (
    EditionFactory,
    bilingual_bulletin,
    built,
    published_edition,
    ready_edition,
    revise,
)
from tests.subscribers.conftest import SubscriberFactory, link_to, path_of
from tests.text import has_phrase

# Mid-March 2026: the bulletins cover January and February 2026.
NOW = datetime.datetime(2026, 3, 15, 12, 0, tzinfo=datetime.UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW)]


@pytest.fixture
def cora(world):
    return world.user("coordinator")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the on-commit callbacks (the announcement's sending) of what happens inside."""

    def _committed():
        return django_capture_on_commit_callbacks(execute=True)

    return _committed


@pytest.fixture
def quick_pdf(monkeypatch):
    """Real builds (figures, HTML, a new file) without WeasyPrint's seconds per PDF."""
    monkeypatch.setattr(rendering, "render_pdf", lambda html: b"%PDF-1.7\n% built\n")


def _row(edition: Edition) -> dict:
    return Edition.objects.values().get(pk=edition.pk)


def _bulletin_row(bulletin: Bulletin) -> dict:
    return Bulletin.objects.values().get(pk=bulletin.pk)


def _fresh(edition: Edition) -> Edition:
    return (
        Edition.objects.prefetch_related("versions").select_related("bulletin").get(pk=edition.pk)
    )


def _text(html: str) -> str:
    """The words of a page as a reader sees them: tags removed, entities read, spaces
    collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _publish(edition: Edition, by=None) -> list[publication.Published]:
    return publication.bulletin_publish(
        bulletin=edition.bulletin, languages=[edition.language], by=by
    )


def _revised_and_built(edition: Edition, **text) -> Edition:
    """A published edition edited and built again: a revision ready to publish."""
    revise(edition, **(text or {"highlights": "Consultations rose again in the north."}))
    return built(Edition.objects.get(pk=edition.pk))


# First publication ------------------------------------------------------------------------


def test_publishing_a_ready_edition_makes_version_1_of_its_text_figures_and_pdf(cora):
    edition = ready_edition(title="Bulletin of early 2026")
    bulletin = edition.bulletin
    figures_before = _bulletin_row(bulletin)

    done = _publish(edition, by=cora)

    assert [(p.edition.pk, p.first_time) for p in done] == [(edition.pk, True)]
    edition = _fresh(edition)
    assert edition.is_public
    assert not edition.is_withdrawn
    (version,) = edition.versions.all()
    assert version.number == 1
    assert {name: getattr(version, name) for name in TEXT_FIELDS} == {
        name: getattr(edition, name) for name in TEXT_FIELDS
    }
    assert version.title == "Bulletin of early 2026"
    assert version.text_version == edition.text_version
    assert version.snapshot == edition.snapshot == bulletin.snapshot
    assert version.snapshot_taken_at == edition.snapshot_taken_at
    assert version.pdf.name == edition.pdf.name
    assert default_storage.exists(version.pdf.name)
    assert version.built_at == edition.built_at
    # The same moment (bulletin_publish reads the clock twice, microseconds apart).
    assert abs(version.published_at - edition.published_at) < datetime.timedelta(seconds=1)
    assert version.published_by == cora
    assert version.note == ""
    assert not version.figures_refreshed
    # The figures are kept as they were built, and frozen from now on.
    assert _bulletin_row(bulletin)["snapshot"] == figures_before["snapshot"]
    assert _bulletin_row(bulletin)["snapshot_taken_at"] == figures_before["snapshot_taken_at"]
    assert Bulletin.objects.get(pk=bulletin.pk).figures_frozen()
    # Who did it is recorded.
    assert edition.updated_by == cora
    assert edition.history.first().history_user == cora


def test_the_first_publication_date_is_now():
    edition = ready_edition()

    _publish(edition)

    edition.refresh_from_db()
    assert abs(edition.published_at - timezone.now()) < datetime.timedelta(seconds=5)


@pytest.mark.parametrize(
    "status", [BuildStatus.DRAFT, BuildStatus.QUEUED, BuildStatus.BUILDING, BuildStatus.FAILED]
)
def test_only_a_ready_edition_can_be_published(cora, status):
    edition = ready_edition()
    Edition.objects.filter(pk=edition.pk).update(status=status)
    before, bulletin_before = _row(edition), _bulletin_row(edition.bulletin)

    with pytest.raises(
        ValidationError, match="English edition: Only a ready edition can be published"
    ):
        _publish(edition, by=cora)

    assert _row(edition) == before
    assert _bulletin_row(edition.bulletin) == bulletin_before
    assert not EditionVersion.objects.exists()
    assert not Announcement.objects.exists()


def test_a_ready_status_without_a_pdf_or_figures_is_not_enough(cora):
    edition = EditionFactory(status=BuildStatus.READY)

    with pytest.raises(ValidationError, match="Only a ready edition can be published"):
        _publish(edition, by=cora)

    edition.refresh_from_db()
    assert edition.published_at is None
    assert not EditionVersion.objects.exists()


def test_an_edition_whose_text_changed_after_its_build_is_refused(cora):
    edition = ready_edition()
    revise(edition, highlights="A message written after the build.")
    before = _row(edition)

    with pytest.raises(ValidationError) as raised:
        _publish(edition, by=cora)

    assert raised.value.messages == [
        "English edition: Its text changed after its PDF was built: build it again."
    ]
    assert _row(edition) == before
    assert not EditionVersion.objects.exists()
    assert not Announcement.objects.exists()


def test_an_edition_built_from_other_figures_than_the_bulletins_is_refused(cora, time_machine):
    bulletin, english, arabic = bilingual_bulletin()
    english = built(english)
    time_machine.shift(datetime.timedelta(minutes=10))
    # The Arabic edition's build took the figures again, later: the bulletin's are now those.
    arabic = built(arabic, figures=sample_figures(areas=5))
    before = {e.pk: _row(e) for e in (english, arabic)}

    for languages in (["en"], ["en", "ar"]):
        with pytest.raises(ValidationError) as raised:
            publication.bulletin_publish(bulletin=bulletin, languages=languages, by=cora)
        assert raised.value.messages == [
            "English edition: It was built from other figures than the bulletin's: build it "
            "again so every edition shows the same figures."
        ]

    # Nothing changed, the Arabic edition (which could be published alone) included.
    assert {e.pk: _row(e) for e in (english, arabic)} == before
    assert not EditionVersion.objects.exists()
    assert not Announcement.objects.exists()
    # Alone, the Arabic one, built from the bulletin's figures, can be.
    publication.bulletin_publish(bulletin=bulletin, languages=["ar"], by=cora)
    assert _fresh(arabic).is_public
    assert not _fresh(english).is_public


def test_choosing_no_edition_is_refused():
    edition = ready_edition()

    with pytest.raises(ValidationError, match="Choose at least one edition to publish"):
        publication.bulletin_publish(bulletin=edition.bulletin, languages=[], by=None)

    assert not _fresh(edition).is_public


def test_publishing_twice_is_refused_and_announces_once(cora, committed, mailoutbox):
    SubscriberFactory(language="en")
    edition = ready_edition()
    with committed():
        _publish(edition, by=cora)

    with pytest.raises(ValidationError, match="This edition is already published"), committed():
        _publish(edition, by=cora)
    assert policy.can_publish(cora, edition.bulletin).reason == (
        "Every edition is already published."
    )

    assert _fresh(edition).versions.count() == 1
    assert list(Announcement.objects.values_list("key", flat=True)) == [f"edition-{edition.pk}-v1"]
    assert len(mailoutbox) == 1


def test_publishing_says_when_nothing_is_ready(cora):
    bulletin, _english, _arabic = bilingual_bulletin()

    decision = policy.can_publish(cora, bulletin)

    assert not decision
    assert decision.reason.startswith("No edition is ready to publish")
    assert decision.code == "not_ready"


def test_both_editions_of_a_bilingual_bulletin_are_published_at_once(cora, committed, mailoutbox):
    english_reader = SubscriberFactory(email="reader@example.net", language="en")
    arabic_readers = [SubscriberFactory(language="ar") for _ in range(2)]
    SubscriberFactory(language="ar", confirmed_at=None)  # not confirmed: not emailed
    bulletin, english, arabic = bilingual_bulletin(number=12)
    english, arabic = built(english), built(arabic)

    with committed():
        done = publication.bulletin_publish(bulletin=bulletin, languages=["en", "ar"], by=cora)

    assert sorted((p.edition.language, p.first_time) for p in done) == [
        ("ar", True),
        ("en", True),
    ]
    english, arabic = _fresh(english), _fresh(arabic)
    assert english.current_version.number == arabic.current_version.number == 1
    assert english.current_version.snapshot == arabic.current_version.snapshot
    assert english.current_version.title == "Health Cluster Bulletin"
    assert arabic.current_version.title == "نشرة مجموعة الصحة"
    announcements = {a.key: a.language for a in Announcement.objects.all()}
    assert announcements == {f"edition-{english.pk}-v1": "en", f"edition-{arabic.pk}-v1": "ar"}
    by_reader = {message.to[0]: message for message in mailoutbox}
    assert sorted(by_reader) == sorted(
        [english_reader.email, *(reader.email for reader in arabic_readers)]
    )
    assert "Health Cluster Bulletin" in by_reader[english_reader.email].subject
    assert "نشرة مجموعة الصحة" in by_reader[arabic_readers[0].email].subject


def test_an_edition_left_out_can_be_published_later_and_is_announced_then(
    cora, committed, mailoutbox
):
    SubscriberFactory(language="ar")
    bulletin, english, arabic = bilingual_bulletin()
    english, arabic = built(english), built(arabic)
    with committed():
        publication.bulletin_publish(bulletin=bulletin, languages=["en"], by=cora)
    assert not _fresh(arabic).is_public
    assert mailoutbox == []  # no English subscriber; the Arabic edition waits

    with committed():
        publication.bulletin_publish(bulletin=bulletin, languages=["ar"], by=cora)

    assert _fresh(arabic).current_version.number == 1
    assert Announcement.objects.filter(key=f"edition-{arabic.pk}-v1", language="ar").exists()
    assert len(mailoutbox) == 1


# The announcement -------------------------------------------------------------------------


def test_the_announcement_is_sent_after_the_commit_only(
    cora, django_capture_on_commit_callbacks, mailoutbox
):
    SubscriberFactory(language="en")
    edition = ready_edition()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _publish(edition, by=cora)
        assert mailoutbox == []
    assert mailoutbox == []  # the transaction is not committed yet

    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 1


def test_nothing_is_emailed_when_the_publication_fails(cora, committed, mailoutbox):
    SubscriberFactory(language="en")
    edition = EditionFactory()

    with committed(), pytest.raises(ValidationError):
        _publish(edition, by=cora)

    assert mailoutbox == []
    assert not Announcement.objects.exists()


def test_publishing_announces_the_edition_in_its_language(cora, settings):
    settings.SITE_URL = "https://health.example.org"
    edition = ready_edition(
        bulletin__number=7, language="ar", title="النشرة السابعة", highlights="أ\nب"
    )

    _publish(edition, by=cora)

    (announcement,) = Announcement.objects.all()
    assert announcement.key == f"edition-{edition.pk}-v1"
    assert announcement.language == "ar"
    assert announcement.url == "https://health.example.org/ar/bulletins/7/ar/"
    assert "النشرة السابعة" in announcement.subject
    # Figures in the Arabic locale (Arabic thousands separator), the highlights.
    assert has_phrase(announcement.body, "123\u066c456")
    assert "- أ\n- ب\n" in announcement.body
    assert "people reached" not in announcement.body
    assert edition.versions.get().emailed


def test_the_english_email_has_the_title_period_figures_and_highlights(cora):
    edition = published_edition(bulletin__number=8, title="March bulletin")

    subject, body = publication.announcement_text(edition.current_version)

    assert subject == "Bulletin 8: March bulletin"
    assert "Period covered: January \u2013 February 2026" in body
    assert has_phrase(body, "123,456 people reached (25% of the 500,000 targeted)")
    assert has_phrase(body, "7 partners reporting")
    assert has_phrase(body, "3 areas covered")
    assert "- Consultations rose in the north.\n" in body
    assert "Revised" not in body
    assert body.rstrip().endswith("Read the bulletin and download its PDF:")


def test_the_round_trip_through_the_inbox(client, cora, committed, mailoutbox, settings):
    settings.SITE_URL = "http://testserver"
    english = SubscriberFactory(email="reader@example.net", language="en")
    arabic = SubscriberFactory(email="qari@example.net", language="ar")
    SubscriberFactory(email="pending@example.net", language="ar", confirmed_at=None)
    bulletin, en_edition, ar_edition = bilingual_bulletin(number=21)
    en_edition, ar_edition = built(en_edition), built(ar_edition)

    with committed():
        publication.bulletin_publish(bulletin=bulletin, languages=["ar"], by=cora)

    # The confirmed Arabic subscriber only, about the Arabic edition only.
    (message,) = mailoutbox
    assert message.to == [arabic.email]
    assert "نشرة مجموعة الصحة" in message.subject
    assert "http://testserver/ar/bulletins/21/ar/" in message.body
    unsubscribe = link_to(message, "/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    # The public page the email links to is there, in Arabic.
    response = client.get(path_of(link_to(message, "/bulletins/")))
    assert response.status_code == 200
    assert response.context["version"].edition_id == ar_edition.pk

    # Withdrawn and published again: nobody is emailed a second time.
    mailoutbox.clear()
    with committed():
        publication.bulletin_withdraw(bulletin=bulletin, by=cora, reason="A typo.")
    with committed():
        done = publication.bulletin_publish(bulletin=bulletin, languages=["ar"], by=cora)
    assert [p.first_time for p in done] == [False]
    assert mailoutbox == []

    # The English edition goes to the English subscriber.
    with committed():
        publication.bulletin_publish(bulletin=bulletin, languages=["en"], by=cora)
    (message,) = mailoutbox
    assert message.to == [english.email]
    assert "Health Cluster Bulletin" in message.subject
    assert Announcement.objects.count() == 2


# Withdrawal -------------------------------------------------------------------------------


def test_withdrawing_needs_a_reason_and_changes_nothing_without_one(cora):
    edition = published_edition()
    before = _row(edition)

    for reason in ("", "   "):
        with pytest.raises(ValidationError, match="Say why the bulletin is withdrawn"):
            publication.bulletin_withdraw(bulletin=edition.bulletin, by=cora, reason=reason)

    assert _row(edition) == before


def test_withdrawing_withdraws_every_public_edition_and_keeps_the_record(cora):
    bulletin, english, arabic = bilingual_bulletin()
    built(english), built(arabic)
    publication.bulletin_publish(bulletin=bulletin, languages=["en", "ar"], by=None)
    kept = {
        e.pk: (e.published_at, e.pdf.name, e.snapshot, e.current_version.pk)
        for e in map(_fresh, (english, arabic))
    }

    withdrawn = publication.bulletin_withdraw(
        bulletin=bulletin, by=cora, reason=" Figures of the north counted twice. "
    )

    assert sorted(e.language for e in withdrawn) == ["ar", "en"]
    for edition in map(_fresh, (english, arabic)):
        assert edition.is_withdrawn
        assert edition.is_public
        assert edition.withdrawal_reason == "Figures of the north counted twice."
        assert edition.withdrawn_at == withdrawn[0].withdrawn_at
        assert (
            edition.published_at,
            edition.pdf.name,
            edition.snapshot,
            edition.current_version.pk,
        ) == kept[edition.pk]
        assert default_storage.exists(edition.current_version.pdf.name)
        assert edition.history.first().history_user == cora
    assert Bulletin.objects.get(pk=bulletin.pk).figures_frozen()


def test_the_withdrawn_pages_and_pdfs_stay_public_with_the_reason(client):
    edition = published_edition(bulletin__number=33)
    publication.bulletin_withdraw(
        bulletin=edition.bulletin, by=None, reason="The northern figures were counted twice."
    )

    page = client.get("/en/bulletins/33/en/")
    pdf = client.get("/en/bulletins/33/en/pdf/")

    assert page.status_code == 200
    assert has_phrase(_text(page.content.decode()), "This bulletin was withdrawn")
    assert has_phrase(page.content.decode(), "The northern figures were counted twice.")
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_an_edition_not_published_is_left_alone_by_the_withdrawal(cora):
    bulletin, english, arabic = bilingual_bulletin()
    built(english), built(arabic)
    publication.bulletin_publish(bulletin=bulletin, languages=["en"], by=None)
    arabic_before = _row(arabic)

    publication.bulletin_withdraw(bulletin=bulletin, by=cora, reason="A mistake.")

    assert _fresh(english).is_withdrawn
    assert _row(arabic) == arabic_before


def test_only_a_published_bulletin_can_be_withdrawn(cora):
    edition = ready_edition()
    before = _row(edition)

    with pytest.raises(ValidationError, match="Only a published bulletin can be withdrawn"):
        publication.bulletin_withdraw(bulletin=edition.bulletin, by=cora, reason="A mistake.")
    assert policy.can_withdraw(cora, edition.bulletin).reason == (
        "Only a published bulletin can be withdrawn."
    )

    assert _row(edition) == before


def test_a_withdrawn_bulletin_cannot_be_withdrawn_again(cora):
    edition = published_edition()
    publication.bulletin_withdraw(bulletin=edition.bulletin, by=cora, reason="First reason.")

    with pytest.raises(ValidationError, match="Only a published bulletin can be withdrawn"):
        publication.bulletin_withdraw(bulletin=edition.bulletin, by=cora, reason="Second.")

    assert _fresh(edition).withdrawal_reason == "First reason."


def test_publishing_again_after_a_withdrawal_clears_it_keeps_the_first_date_and_emails_nobody(
    cora, committed, mailoutbox
):
    SubscriberFactory(language="en")
    edition = ready_edition()
    with committed():
        _publish(edition)
    first = _fresh(edition).published_at
    publication.bulletin_withdraw(bulletin=edition.bulletin, by=cora, reason="Checking.")
    mailoutbox.clear()

    with committed():
        done = _publish(edition, by=cora)

    assert [p.first_time for p in done] == [False]
    edition = _fresh(edition)
    assert edition.published_at == first
    assert (edition.withdrawn_at, edition.withdrawal_reason) == (None, "")
    assert edition.versions.count() == 1  # no new version: the same one is public again
    assert edition.history.first().history_user == cora
    assert Announcement.objects.count() == 1
    assert mailoutbox == []


def test_a_withdrawn_edition_changed_since_is_published_again_only_as_a_revision(cora):
    edition = published_edition()
    publication.bulletin_withdraw(bulletin=edition.bulletin, by=cora, reason="Wrong figure.")
    edition = _revised_and_built(edition)
    before = _row(edition)

    with pytest.raises(ValidationError, match="publish the revision, with a note"):
        _publish(edition, by=cora)

    assert _row(edition) == before


def test_a_rebuild_of_a_withdrawn_edition_keeps_it_withdrawn_and_its_figures(
    cora, validated_rows, profile, quick_pdf
):
    edition = published_edition()
    publication.bulletin_withdraw(bulletin=edition.bulletin, by=cora, reason="Layout error.")
    published = _fresh(edition).current_version
    bulletin_before = _bulletin_row(edition.bulletin)

    edition = services.edition_build_in_process(edition=edition, by=cora)

    edition = _fresh(edition)
    assert edition.status == BuildStatus.READY
    assert edition.is_withdrawn
    assert edition.withdrawal_reason == "Layout error."
    assert edition.snapshot == published.snapshot  # not today's validated figures
    assert edition.snapshot_taken_at == published.snapshot_taken_at
    assert _bulletin_row(edition.bulletin) == bulletin_before
    # The build wrote a new file; the published one stays.
    assert edition.pdf.name != published.pdf.name
    assert default_storage.exists(published.pdf.name)


# Revisions --------------------------------------------------------------------------------


def test_editing_a_published_edition_leaves_the_public_version_unchanged(client, cora):
    edition = published_edition(bulletin__number=60, title="Bulletin of early 2026")
    version = edition.current_version
    published_text = {name: getattr(version, name) for name in TEXT_FIELDS}

    revise(
        edition,
        by=cora,
        title="Another title",
        highlights="A corrected message about the south.",
    )

    edition = _fresh(edition)
    assert edition.title == "Bulletin of early 2026"  # fixed once published
    assert edition.highlights == "A corrected message about the south."
    assert edition.has_revision
    assert not edition.revision_publishable
    version.refresh_from_db()
    assert {name: getattr(version, name) for name in TEXT_FIELDS} == published_text
    assert edition.versions.count() == 1
    page = _text(client.get("/en/bulletins/60/en/").content.decode())
    assert has_phrase(page, "Consultations rose in the north.")
    assert not has_phrase(page, "A corrected message about the south.")


def test_a_revision_needs_a_build_of_its_current_text_with_a_new_pdf(cora):
    edition = published_edition()

    def refused():
        with pytest.raises(ValidationError, match="There is no revision ready to publish"):
            publication.edition_publish_revision(edition=edition, note="Corrected.", by=cora)
        assert _fresh(edition).versions.count() == 1

    refused()  # nothing changed since the publication
    revise(edition, highlights="A corrected message.")
    refused()  # edited, not built
    built(Edition.objects.get(pk=edition.pk))
    revise(edition, highlights="Corrected again after the build.")
    refused()  # built, then edited again

    built(Edition.objects.get(pk=edition.pk))
    version = publication.edition_publish_revision(edition=edition, note="Corrected.", by=cora)
    assert version.number == 2
    assert version.highlights == "Corrected again after the build."


def test_an_edition_not_published_has_no_revision_to_publish(cora):
    edition = ready_edition()

    with pytest.raises(ValidationError, match="This edition is not published yet"):
        publication.edition_publish_revision(edition=edition, note="Corrected.", by=cora)

    edition = _fresh(edition)
    assert not edition.is_public
    assert not EditionVersion.objects.exists()


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ("", "Say in one line what was revised"),
        ("  \n ", "Say in one line what was revised"),
        ("x" * 301, "Keep the note to 300 characters"),
    ],
)
def test_a_revision_needs_a_one_line_note_of_at_most_300_characters(cora, note, message):
    edition = _revised_and_built(published_edition())
    before = _row(edition)

    with pytest.raises(ValidationError, match=message):
        publication.edition_publish_revision(edition=edition, note=note, by=cora)

    assert _row(edition) == before
    assert _fresh(edition).versions.count() == 1


def test_the_note_is_kept_on_one_line_and_300_characters_are_enough(cora):
    first = _revised_and_built(published_edition())
    second = _revised_and_built(published_edition())

    long = publication.edition_publish_revision(edition=first, note="y" * 300, by=cora)
    lines = publication.edition_publish_revision(
        edition=second, note="  The north's figures\nwere   corrected. ", by=cora
    )

    assert long.note == "y" * 300
    assert lines.note == "The north's figures were corrected."


def test_publishing_a_revision_adds_version_2_and_emails_nobody_by_default(
    cora, committed, mailoutbox
):
    SubscriberFactory(language="en")
    edition = published_edition()
    first = edition.current_version
    first_published_at = edition.published_at
    edition = _revised_and_built(edition, highlights="Consultations rose again.")
    bulletin_before = _bulletin_row(edition.bulletin)
    mailoutbox.clear()

    with committed():
        version = publication.edition_publish_revision(
            edition=edition, note="The highlights were corrected.", by=cora
        )

    edition = _fresh(edition)
    assert edition.current_version == version
    assert [v.number for v in edition.versions.order_by("number")] == [1, 2]
    assert version.note == "The highlights were corrected."
    assert version.highlights == "Consultations rose again."
    assert version.published_by == cora
    assert version.pdf.name == edition.pdf.name != first.pdf.name
    assert default_storage.exists(first.pdf.name)  # the earlier PDF stays
    # The figures stay those it was published with.
    assert version.snapshot == first.snapshot
    assert version.snapshot_taken_at == first.snapshot_taken_at
    assert not version.figures_refreshed
    assert _bulletin_row(edition.bulletin) == bulletin_before
    # The first publication is still the first; version 1 is untouched.
    first.refresh_from_db()
    assert first.highlights != "Consultations rose again."
    assert edition.published_at == first_published_at
    assert edition.history.first().history_user == cora
    assert not version.emailed
    assert list(Announcement.objects.values_list("key", flat=True)) == [f"edition-{edition.pk}-v1"]
    assert mailoutbox == []


def test_a_revision_emails_the_subscribers_of_its_language_when_asked(cora, committed, mailoutbox):
    english = SubscriberFactory(language="en")
    SubscriberFactory(language="ar")
    edition = published_edition(bulletin__number=9, title="March bulletin")
    edition = _revised_and_built(edition)
    mailoutbox.clear()

    with committed():
        version = publication.edition_publish_revision(
            edition=edition,
            note="The figures for the north were corrected.",
            by=cora,
            email_subscribers=True,
        )

    (announcement,) = Announcement.objects.filter(key=f"edition-{edition.pk}-v2")
    assert announcement.language == "en"
    assert EditionVersion.objects.get(pk=version.pk).emailed
    (message,) = mailoutbox
    assert message.to == [english.email]
    assert "Revised: bulletin 9: March bulletin" in message.subject
    assert "Revised on 15 March 2026: The figures for the north were corrected." in message.body


def test_a_revision_clears_the_withdrawal(cora):
    edition = published_edition()
    publication.bulletin_withdraw(bulletin=edition.bulletin, by=cora, reason="Wrong figure.")
    edition = _revised_and_built(edition)

    publication.edition_publish_revision(edition=edition, note="Figure corrected.", by=cora)

    edition = _fresh(edition)
    assert (edition.withdrawn_at, edition.withdrawal_reason) == (None, "")
    assert edition.current_version.number == 2
    assert not edition.is_withdrawn


def test_a_revision_with_todays_figures_makes_them_the_bulletins(
    cora, validated_rows, profile, quick_pdf
):
    edition = published_edition()
    first = edition.current_version
    revise(edition, refresh_figures=True)
    edition = services.edition_build_in_process(edition=edition, by=cora)
    assert edition.snapshot != first.snapshot  # today's validated figures, not the sample

    version = publication.edition_publish_revision(
        edition=edition, note="Late reports are counted.", by=cora
    )

    edition = _fresh(edition)
    bulletin = Bulletin.objects.get(pk=edition.bulletin_id)
    assert version.figures_refreshed
    assert version.snapshot == edition.snapshot
    assert (bulletin.snapshot, bulletin.snapshot_taken_at) == (
        version.snapshot,
        version.snapshot_taken_at,
    )
    assert not edition.refresh_figures  # the next revision keeps these
    first.refresh_from_db()
    assert first.snapshot == sample_figures()  # the first version keeps what it showed


def test_a_revision_built_for_real_keeps_the_published_figures(
    cora, validated_rows, profile, quick_pdf
):
    edition = published_edition()
    first = edition.current_version
    bulletin_before = _bulletin_row(edition.bulletin)
    revise(edition, highlights="A corrected message.")
    edition = services.edition_build_in_process(edition=edition, by=cora)

    version = publication.edition_publish_revision(
        edition=edition, note="Message corrected.", by=cora
    )

    assert version.snapshot == first.snapshot
    assert version.snapshot_taken_at == first.snapshot_taken_at
    assert not version.figures_refreshed
    assert _bulletin_row(edition.bulletin) == bulletin_before


# The coordinators' pages -----------------------------------------------------------------


def test_the_bulletin_page_offers_to_publish_a_ready_edition_and_shows_the_counts(world, login):
    SubscriberFactory(language="ar")
    SubscriberFactory(language="ar")
    SubscriberFactory(language="en", confirmed_at=None)
    edition = ready_edition(language="ar")
    client = login(world.user("coordinator"))

    html = client.get(reverse("bulletins:detail", kwargs={"pk": edition.bulletin_id}))
    page = _text(html.content.decode())

    assert reverse("bulletins:publish", kwargs={"pk": edition.bulletin_id}) in (
        html.content.decode()
    )
    assert has_phrase(page, "emails the confirmed subscribers of each edition's language, once")
    assert has_phrase(page, "Confirmed, in Arabic 2")
    assert has_phrase(page, "Confirmed, in English 0")
    assert has_phrase(page, "Waiting for confirmation 1")


def test_a_page_with_nothing_built_says_to_build_first_and_has_no_publish_button(world, login):
    bulletin, _english, _arabic = bilingual_bulletin()
    client = login(world.user("coordinator"))

    html = client.get(reverse("bulletins:detail", kwargs={"pk": bulletin.pk})).content.decode()

    assert has_phrase(_text(html), "once an edition's status is Ready, you can publish it here")
    assert reverse("bulletins:publish", kwargs={"pk": bulletin.pk}) not in html


def test_the_publish_button_publishes_the_chosen_editions_and_says_who_is_emailed(
    world, login, committed, mailoutbox
):
    cora = world.user("coordinator")
    SubscriberFactory(language="en")
    SubscriberFactory(language="ar")
    bulletin, english, arabic = bilingual_bulletin(number=31)
    built(english), built(arabic)
    client = login(cora)

    with committed():
        response = client.post(
            reverse("bulletins:publish", kwargs={"pk": bulletin.pk}),
            {"languages": ["en", "ar"]},
            follow=True,
        )

    assert response.redirect_chain == [
        (reverse("bulletins:detail", kwargs={"pk": bulletin.pk}), 302)
    ]
    page = _text(response.content.decode())
    for language in ("English", "Arabic"):
        assert has_phrase(
            page,
            f"The {language} edition of bulletin 31 is published. Its confirmed subscribers "
            "are being emailed.",
        )
    for edition in map(_fresh, (english, arabic)):
        assert edition.is_public
        assert edition.current_version.published_by == cora
        assert edition.get_public_url() in response.content.decode()
    assert reverse("bulletins:withdraw", kwargs={"pk": bulletin.pk}) in response.content.decode()
    assert Announcement.objects.count() == 2
    assert len(mailoutbox) == 2


def test_the_publish_button_publishes_only_the_editions_ticked(world, login):
    bulletin, english, arabic = bilingual_bulletin()
    built(english), built(arabic)
    client = login(world.user("coordinator"))

    client.post(reverse("bulletins:publish", kwargs={"pk": bulletin.pk}), {"languages": ["ar"]})

    assert _fresh(arabic).is_public
    assert not _fresh(english).is_public
    assert list(Announcement.objects.values_list("key", flat=True)) == [f"edition-{arabic.pk}-v1"]


def test_publishing_from_the_page_when_nothing_is_ready_says_why_and_changes_nothing(world, login):
    edition = EditionFactory()
    before = _row(edition)
    client = login(world.user("coordinator"))

    response = client.post(
        reverse("bulletins:publish", kwargs={"pk": edition.bulletin_id}),
        {"languages": ["en"]},
        follow=True,
    )

    assert has_phrase(_text(response.content.decode()), "No edition is ready to publish")
    assert _row(edition) == before
    assert not EditionVersion.objects.exists()


def test_withdrawing_with_a_reason_and_publishing_again_from_the_page(
    world, login, committed, mailoutbox
):
    SubscriberFactory(language="en")
    with committed():
        edition = published_edition(bulletin__number=33)
    assert len(mailoutbox) == 1
    client = login(world.user("coordinator"))
    mailoutbox.clear()

    response = client.post(
        reverse("bulletins:withdraw", kwargs={"pk": edition.bulletin_id}),
        {"reason": "The northern figures were counted twice."},
        follow=True,
    )
    page = _text(response.content.decode())
    assert has_phrase(page, "Bulletin 33 is withdrawn.")
    assert has_phrase(page, "The northern figures were counted twice.")
    assert _fresh(edition).is_withdrawn

    with committed():
        response = client.post(
            reverse("bulletins:publish", kwargs={"pk": edition.bulletin_id}),
            {"languages": ["en"]},
            follow=True,
        )
    assert has_phrase(
        _text(response.content.decode()),
        "The English edition of bulletin 33 is published again. Its subscribers were emailed "
        "when it was first published and are not emailed again.",
    )
    edition = _fresh(edition)
    assert not edition.is_withdrawn
    assert Announcement.objects.count() == 1
    assert mailoutbox == []


def test_the_revision_button_publishes_version_2_with_its_note(world, login, committed, mailoutbox):
    SubscriberFactory(language="en")
    cora = world.user("coordinator")
    edition = _revised_and_built(published_edition())
    client = login(cora)
    mailoutbox.clear()
    url = reverse("bulletins:edition_revise", kwargs={"pk": edition.bulletin_id, "language": "en"})

    with committed():
        response = client.post(url, {"note": "The highlights were corrected."}, follow=True)

    assert has_phrase(
        _text(response.content.decode()),
        "Version 2 of the English edition is published; its page shows your note.",
    )
    version = _fresh(edition).current_version
    assert (version.number, version.note, version.published_by) == (
        2,
        "The highlights were corrected.",
        cora,
    )
    assert not Announcement.objects.filter(key=f"edition-{edition.pk}-v2").exists()
    assert mailoutbox == []


def test_the_revision_button_emails_when_the_box_is_ticked(world, login, committed, mailoutbox):
    SubscriberFactory(language="en")
    edition = _revised_and_built(published_edition())
    client = login(world.user("coordinator"))
    mailoutbox.clear()
    url = reverse("bulletins:edition_revise", kwargs={"pk": edition.bulletin_id, "language": "en"})

    with committed():
        client.post(url, {"note": "Corrected.", "email_subscribers": "on"})

    assert Announcement.objects.filter(key=f"edition-{edition.pk}-v2", language="en").exists()
    assert len(mailoutbox) == 1


def test_the_public_page_shows_the_revision_its_note_and_the_earlier_pdf(client):
    edition = published_edition(bulletin__number=62)
    edition = _revised_and_built(edition, highlights="Consultations rose again.")
    publication.edition_publish_revision(edition=edition, note="Highlights corrected.", by=None)

    response = client.get("/en/bulletins/62/en/")

    page = _text(response.content.decode())
    assert response.context["version"].number == 2
    assert has_phrase(page, "Revised on 15 March 2026: Highlights corrected.")
    assert has_phrase(page, "Consultations rose again.")
    assert not has_phrase(page, "Consultations rose in the north.")
    assert [old.number for old in response.context["earlier"]] == [1]
    assert (
        reverse("bulletins:version_pdf", kwargs={"number": 62, "language": "en", "version": 1})
        in response.content.decode()
    )


# The home page ---------------------------------------------------------------------------


def test_the_home_page_shows_the_latest_published_bulletin_in_the_page_language(client):
    ready_edition(bulletin__number=40, title="A ready one, not published")
    published_edition(bulletin__number=41, title="Older English bulletin")
    bulletin, english, arabic = bilingual_bulletin(number=42)
    english.title, arabic.title = "Newest bulletin", "أحدث نشرة"
    english.save(), arabic.save()
    built(english), built(arabic)
    publication.bulletin_publish(bulletin=bulletin, languages=["en", "ar"], by=None)
    withdrawn = published_edition(bulletin__number=43, title="Withdrawn English bulletin")
    publication.bulletin_withdraw(bulletin=withdrawn.bulletin, by=None, reason="Wrong.")

    english_home = client.get("/en/").content.decode()
    arabic_home = client.get("/ar/").content.decode()

    assert has_phrase(_text(english_home), "Newest bulletin")
    assert 'href="/en/bulletins/42/"' in english_home
    assert 'href="/en/bulletins/42/en/pdf/"' in english_home
    assert 'href="/en/bulletins/42/ar/pdf/"' in english_home
    for other in ("Older English bulletin", "Withdrawn English bulletin", "A ready one"):
        assert not has_phrase(_text(english_home), other)
    assert has_phrase(_text(arabic_home), "أحدث نشرة")
    assert 'href="/ar/bulletins/42/ar/pdf/"' in arabic_home


def test_the_home_page_shows_a_bulletin_with_no_edition_in_its_language_in_the_other(client):
    published_edition(bulletin__number=44, language="ar", title="نشرة بالعربية فقط")

    page = client.get("/en/").content.decode()

    assert has_phrase(_text(page), "نشرة بالعربية فقط")
    assert 'href="/en/bulletins/44/ar/pdf/"' in page
    assert 'href="/en/bulletins/44/en/pdf/"' not in page


def test_the_home_page_without_bulletins_offers_the_subscription(client):
    ready_edition(title="Built, not published")

    page = client.get("/en/").content.decode()

    assert has_phrase(_text(page), "No bulletin has been published yet.")
    assert not has_phrase(_text(page), "Built, not published")
    assert 'href="/en/subscribe/"' in page


def test_every_page_links_to_the_feed_and_the_archive(client):
    page = client.get("/en/partners/").content.decode()

    assert (
        '<link rel="alternate" type="application/atom+xml" title="Health cluster bulletins" '
        'href="/en/bulletins/feed/">'
    ) in page
    assert '<a href="/en/bulletins/">Bulletins</a>' in page


# What a publication fixes ----------------------------------------------------------------


def test_a_published_editions_title_and_its_bulletins_number_and_months_are_fixed(world, login):
    edition = published_edition(bulletin__number=50, title="Bulletin of early 2026")
    client = login(world.user("coordinator"))
    bulletin_before = _bulletin_row(edition.bulletin)
    edit_url = reverse(
        "bulletins:edition_edit", kwargs={"pk": edition.bulletin_id, "language": "en"}
    )

    editor = client.get(edit_url)
    response = client.post(
        edit_url, {"title": "New title", "highlights": "Corrected", "situation_overview": ""}
    )
    settings_page = client.post(
        reverse("bulletins:settings", kwargs={"pk": edition.bulletin_id}),
        {"number": "51", "first_month": "2025-01", "last_month": "2025-02"},
        follow=True,
    )

    assert editor.context["form"].fields["title"].disabled
    assert has_phrase(_text(editor.content.decode()), "Fixed once the edition is published.")
    assert response.status_code == 302
    edition = _fresh(edition)
    assert edition.title == "Bulletin of early 2026"
    assert edition.highlights == "Corrected"  # the revision's text
    assert has_phrase(
        _text(settings_page.content.decode()),
        "The number and months are fixed once an edition is published.",
    )
    assert _bulletin_row(edition.bulletin) == bulletin_before
    with pytest.raises(ValidationError, match="fixed once an edition is published"):
        services.bulletin_update(
            bulletin=edition.bulletin,
            fields={
                "number": 51,
                "first_month": datetime.date(2025, 1, 1),
                "last_month": datetime.date(2025, 2, 1),
            },
            by=None,
        )
    assert client.get("/en/bulletins/50/en/").status_code == 200
