"""The build of an edition in-process (as ``make run`` runs it without Redis): its figures,
its PDF, what it keeps of the published record, and its failures.

The task runs eagerly inside ``edition_build`` and ``bulletin_build``; the real worker is in
test_worker.py.
"""

import datetime
import re
import subprocess
import uuid

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from activities.signals import report_figures_changed
from analysis import snapshot as analysis_snapshot
from analysis.snapshot import public_figures
from bulletins import build, policy, publication, rendering, services
from bulletins.models import BuildStatus, Bulletin, Edition, FailureReason, reason_text
from bulletins.tasks import build_edition, fail_stale_builds
from tests.bulletins.conftest import FEB, JAN, sample_figures
from tests.bulletins.factories import BulletinFactory, EditionFactory, bilingual_bulletin
from tests.storage import closed_port, storage_url, storages_for
from tests.text import has_phrase

# Mid-March 2026: the bulletins cover January and February 2026.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.time_machine(datetime.datetime(2026, 3, 15, 12, 0, tzinfo=datetime.UTC)),
    # Two organisations (validated_rows): the public would see none of their figures
    # (tests/conftest.py); what a bulletin does with figures not shown is in test_disclosure.
    pytest.mark.usefixtures("every_figure_public"),
]

BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# People reached once in January and February (validated_rows): North's largest month
# (February's 307, not January's 36) and South's 15; the draft and March do not count.
PEOPLE_REACHED = 307 + 15
# After _validate_more: North's February is 1,307.
PEOPLE_REACHED_LATER = 1307 + 15
# As each edition prints it (Arabic with its own thousands separator).
LATER_IN = {"en": "1,322", "ar": "1\u066c322"}


def stored_bytes(stored) -> bytes:
    """A stored file's content, read through its storage (the disk's or the bucket's)."""
    with stored.open("rb") as handle:
        return handle.read()


def pdf_text(stored) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=stored_bytes(stored),
        capture_output=True,
        check=True,
    )
    return BIDI_MARKS.sub("", result.stdout.decode())


def _fresh(edition: Edition) -> Edition:
    return (
        Edition.objects.select_related("bulletin").prefetch_related("versions").get(pk=edition.pk)
    )


def _build(edition: Edition, by=None) -> services.BuildRequest:
    return services.edition_build(edition=edition, by=by)


def _validate_more(rows) -> None:
    """Beta Care's February report in the north is corrected and validated again: 1,000
    more girls, so today's figures are no longer those of the earlier build."""
    report = rows.reports[1]
    row = report.rows.get()
    row.girls += 1000
    row.total += 1000
    row.save()
    report_figures_changed.send(sender=type(report), report_id=report.pk)
    assert (
        public_figures(first_month=JAN, last_month=FEB)["key_figures"]["people_reached"]
        == PEOPLE_REACHED_LATER
    )


def _publish(edition: Edition, by=None) -> Edition:
    publication.bulletin_publish(bulletin=edition.bulletin, languages=[edition.language], by=by)
    return _fresh(edition)


def _stored_files() -> list[str]:
    try:
        names = default_storage.listdir("bulletins")[1]
    except FileNotFoundError:  # no folder yet on disk; a bucket lists nothing
        return []
    return sorted(f"bulletins/{name}" for name in names)


# One edition ------------------------------------------------------------------------------


def test_a_build_stores_the_public_figures_and_a_pdf_of_them(
    validated_rows, profile, world, file_store
):
    bulletin = BulletinFactory(first_month=JAN, last_month=FEB)
    edition = EditionFactory(bulletin=bulletin)

    result = _build(edition, world.user("coordinator"))

    assert result.queued
    assert not result.error
    edition = _fresh(edition)
    bulletin.refresh_from_db()
    assert edition.status == BuildStatus.READY
    assert edition.shown_reason == ""
    assert edition.build_attempts == 1
    assert edition.built_at == edition.heartbeat_at
    assert edition.snapshot == public_figures(first_month=JAN, last_month=FEB)
    assert edition.snapshot["key_figures"]["people_reached"] == PEOPLE_REACHED
    # The first build of a bulletin takes its figures for every edition.
    assert bulletin.snapshot == edition.snapshot
    assert bulletin.snapshot_taken_at == edition.snapshot_taken_at
    assert edition.built_text_version == edition.text_version
    assert edition.pdf_shows_text
    assert edition.pdf.name.startswith(f"bulletins/bulletin-{bulletin.number}-en-")
    assert file_store.names() == {edition.pdf.name}
    assert policy.edition_publishable(edition)
    text = pdf_text(edition.pdf)
    assert has_phrase(text, str(PEOPLE_REACHED))
    for phrase in [
        edition.title,
        "Zedland Health Cluster",
        "World Health Organization",
        "Ministry of Health",
        "coordinator@example.org",
        "Heavy rains displaced families",
    ]:
        assert has_phrase(text, phrase), phrase
    assert not has_phrase(text, "5,555")
    assert not has_phrase(text, "9,999")


def test_a_single_edition_build_reuses_the_bulletins_figures(validated_rows, profile):
    bulletin, english, arabic = bilingual_bulletin(first_month=JAN, last_month=FEB)
    services.bulletin_build(bulletin=bulletin, by=None)
    bulletin.refresh_from_db()
    shared, taken_at = bulletin.snapshot, bulletin.snapshot_taken_at
    _validate_more(validated_rows)
    services.edition_update(
        edition=english, fields={"health_response": "Partners opened two clinics."}, by=None
    )

    _build(english)

    english = _fresh(english)
    bulletin.refresh_from_db()
    assert english.status == BuildStatus.READY
    assert english.snapshot == shared
    assert english.snapshot_taken_at == taken_at
    assert bulletin.snapshot == shared
    assert bulletin.snapshot_taken_at == taken_at
    text = pdf_text(english.pdf)
    assert has_phrase(text, str(PEOPLE_REACHED))
    assert not has_phrase(text, "1,322")
    assert has_phrase(text, "Partners opened two clinics.")
    # Both editions still show the same figures, so both can be published together.
    assert policy.edition_publishable(english)
    assert policy.edition_publishable(_fresh(arabic))


def test_a_rebuild_replaces_an_unpublished_editions_pdf_and_records_the_text_it_printed(
    profile, django_capture_on_commit_callbacks, file_store
):
    edition = EditionFactory()
    _build(edition)
    edition = _fresh(edition)
    first_file, first_version = edition.pdf.name, edition.text_version
    assert edition.built_text_version == first_version

    edition = services.edition_update(
        edition=edition, fields={"situation_overview": "Floods reached the south."}, by=None
    )

    edition = _fresh(edition)
    assert edition.text_version == first_version + 1
    assert edition.built_text_version == first_version
    assert not edition.pdf_shows_text, "the PDF no longer shows the text"
    assert edition.pdf.name == first_file
    assert policy.edition_publishable(edition).reason == (
        "Its text changed after its PDF was built: build it again."
    )

    with django_capture_on_commit_callbacks(execute=True):
        _build(edition)

    edition = _fresh(edition)
    assert edition.status == BuildStatus.READY
    assert edition.built_text_version == edition.text_version == first_version + 1
    assert edition.pdf_shows_text
    assert edition.pdf.name != first_file
    assert default_storage.exists(edition.pdf.name)
    assert not default_storage.exists(first_file), "the old PDF is deleted after the commit"
    assert _stored_files() == [edition.pdf.name]
    assert file_store.names() == {edition.pdf.name}
    assert has_phrase(pdf_text(edition.pdf), "Floods reached the south.")


def test_a_build_records_the_text_it_printed_when_the_text_changes_meanwhile(profile, monkeypatch):
    edition = EditionFactory(situation_overview="Heavy rains in the north.")
    printed = edition.text_version
    real_render_pdf = rendering.render_pdf

    def edited_while_rendering(html):
        services.edition_update(
            edition=edition, fields={"situation_overview": "Floods in the south."}, by=None
        )
        return real_render_pdf(html)

    monkeypatch.setattr(rendering, "render_pdf", edited_while_rendering)
    _build(edition)

    edition = _fresh(edition)
    assert edition.status == BuildStatus.READY
    assert edition.built_text_version == printed
    assert edition.text_version == printed + 1
    assert not edition.pdf_shows_text
    text = pdf_text(edition.pdf)
    assert has_phrase(text, "Heavy rains in the north.")
    assert not has_phrase(text, "Floods in the south.")
    assert not policy.edition_publishable(edition)


def test_edition_build_in_process_builds_here_whatever_the_broker(profile, monkeypatch):
    from bulletins import tasks

    def no_broker(*args, **kwargs):
        raise AssertionError("the in-process build sends no task")

    monkeypatch.setattr(tasks.build_edition, "apply_async", no_broker)
    edition = EditionFactory()

    # Safe inside a transaction, as the demo data builds its editions.
    with transaction.atomic():
        built = services.edition_build_in_process(edition=edition, by=None)

    assert built.status == BuildStatus.READY
    assert built.build_attempts == 1
    assert built.pdf_shows_text
    assert stored_bytes(built.pdf).startswith(b"%PDF")


# Every edition and the figures they share --------------------------------------------------


def test_building_every_edition_takes_todays_figures_once_and_both_share_them(
    validated_rows, profile, monkeypatch, world
):
    bulletin, english, arabic = bilingual_bulletin(first_month=JAN, last_month=FEB)
    # Figures an earlier build took: building every edition replaces them with today's.
    earlier = timezone.now() - datetime.timedelta(days=3)
    Bulletin.objects.filter(pk=bulletin.pk).update(
        snapshot=sample_figures(), snapshot_taken_at=earlier
    )
    taken = []
    real_public_figures = analysis_snapshot.public_figures

    def counted(**kwargs):
        taken.append(kwargs)
        return real_public_figures(**kwargs)

    monkeypatch.setattr(analysis_snapshot, "public_figures", counted)

    results = services.bulletin_build(bulletin=bulletin, by=world.user("coordinator"))

    assert [(r.edition.language, r.queued, r.error) for r in results] == [
        ("en", True, ""),
        ("ar", True, ""),
    ]
    assert taken == [{"first_month": JAN, "last_month": FEB}], "today's figures, taken once"
    bulletin.refresh_from_db()
    english, arabic = _fresh(english), _fresh(arabic)
    expected = real_public_figures(first_month=JAN, last_month=FEB)
    assert bulletin.snapshot == expected
    assert bulletin.snapshot_taken_at > earlier
    for edition in (english, arabic):
        assert edition.status == BuildStatus.READY, edition.language
        assert edition.snapshot == bulletin.snapshot
        assert edition.snapshot_taken_at == bulletin.snapshot_taken_at
        assert policy.edition_publishable(edition)
        assert has_phrase(pdf_text(edition.pdf), str(PEOPLE_REACHED)), edition.language
    assert english.pdf.name != arabic.pdf.name
    assert has_phrase(pdf_text(arabic.pdf), "نزحت أسر بسبب الأمطار.")


def test_building_every_edition_again_takes_new_figures_and_replaces_their_pdfs(
    validated_rows, profile, django_capture_on_commit_callbacks
):
    bulletin, english, arabic = bilingual_bulletin(first_month=JAN, last_month=FEB)
    services.bulletin_build(bulletin=bulletin, by=None)
    english, arabic = _fresh(english), _fresh(arabic)
    before = {e.language: (e.pdf.name, e.build_token) for e in (english, arabic)}
    _validate_more(validated_rows)

    with django_capture_on_commit_callbacks(execute=True):
        services.bulletin_build(bulletin=bulletin, by=None)

    bulletin.refresh_from_db()
    assert bulletin.snapshot["key_figures"]["people_reached"] == PEOPLE_REACHED_LATER
    for edition in (_fresh(english), _fresh(arabic)):
        old_file, old_token = before[edition.language]
        assert edition.build_token != old_token
        assert edition.snapshot == bulletin.snapshot
        assert edition.snapshot_taken_at == bulletin.snapshot_taken_at
        assert edition.pdf.name != old_file
        assert default_storage.exists(edition.pdf.name)
        assert not default_storage.exists(old_file), "the old PDF is deleted after the commit"
        assert has_phrase(pdf_text(edition.pdf), LATER_IN[edition.language])


def test_building_every_edition_leaves_a_running_build_alone_and_builds_the_other(profile):
    bulletin, english, arabic = bilingual_bulletin()
    token = uuid.uuid4()
    Edition.objects.filter(pk=english.pk).update(
        status=BuildStatus.BUILDING, build_token=token, heartbeat_at=timezone.now()
    )

    results = services.bulletin_build(bulletin=bulletin, by=None)

    assert [(r.edition.language, r.queued) for r in results] == [("en", False), ("ar", True)]
    english, arabic = _fresh(english), _fresh(arabic)
    assert english.status == BuildStatus.BUILDING
    assert english.build_token == token
    assert arabic.status == BuildStatus.READY


# Once an edition is public -----------------------------------------------------------------


def test_once_an_edition_is_public_its_figures_are_frozen_for_every_build(
    validated_rows, profile, world
):
    coordinator = world.user("coordinator")
    bulletin, english, arabic = bilingual_bulletin(first_month=JAN, last_month=FEB)
    services.bulletin_build(bulletin=bulletin, by=coordinator)
    english = _publish(_fresh(english), coordinator)
    frozen = english.current_version.snapshot
    frozen_at = english.current_version.snapshot_taken_at
    assert bulletin.figures_frozen()
    _validate_more(validated_rows)
    assert public_figures(first_month=JAN, last_month=FEB) != frozen

    # The other edition, built again on its own, keeps the published figures...
    _build(arabic, coordinator)
    # ...and so does the published one's revision.
    services.edition_update(
        edition=english, fields={"coordination": "The cluster met twice."}, by=coordinator
    )
    _build(english, coordinator)

    bulletin.refresh_from_db()
    assert bulletin.snapshot == frozen
    assert bulletin.snapshot_taken_at == frozen_at
    for edition in (_fresh(arabic), _fresh(english)):
        assert edition.status == BuildStatus.READY, edition.language
        assert edition.snapshot == frozen
        assert edition.snapshot_taken_at == frozen_at
        text = pdf_text(edition.pdf)
        assert has_phrase(text, str(PEOPLE_REACHED)), edition.language
        assert not has_phrase(text, LATER_IN[edition.language]), edition.language
    english = _fresh(english)
    assert english.is_public, "a build leaves it published"
    assert english.revision_publishable
    assert policy.edition_publishable(_fresh(arabic))


def test_building_every_edition_is_refused_once_an_edition_is_public(profile, world):
    bulletin, english, arabic = bilingual_bulletin()
    services.bulletin_build(bulletin=bulletin, by=None)
    _publish(_fresh(english))
    bulletin.refresh_from_db()
    arabic = _fresh(arabic)
    figures, token = bulletin.snapshot, arabic.build_token

    with pytest.raises(ValidationError) as refused:
        services.bulletin_build(bulletin=bulletin, by=world.user("coordinator"))

    assert refused.value.code == "published"
    assert "build each edition on its own" in refused.value.messages[0]
    bulletin.refresh_from_db()
    assert bulletin.snapshot == figures, "the figures stay frozen"
    arabic = _fresh(arabic)
    assert arabic.build_token == token
    assert arabic.status == BuildStatus.READY


def test_a_revision_that_refreshes_its_figures_takes_todays(validated_rows, profile, world):
    coordinator = world.user("coordinator")
    bulletin = BulletinFactory(first_month=JAN, last_month=FEB)
    english = EditionFactory(bulletin=bulletin)
    _build(english, coordinator)
    english = _publish(_fresh(english), coordinator)
    version = english.current_version
    _validate_more(validated_rows)

    services.edition_update(edition=english, fields={"refresh_figures": True}, by=coordinator)
    _build(english, coordinator)

    english = _fresh(english)
    assert english.status == BuildStatus.READY
    assert english.snapshot == public_figures(first_month=JAN, last_month=FEB)
    assert english.snapshot["key_figures"]["people_reached"] == PEOPLE_REACHED_LATER
    assert english.snapshot_taken_at > version.snapshot_taken_at
    assert has_phrase(pdf_text(english.pdf), "1,322")
    assert english.revision_publishable
    # What the public has, and the bulletin's figures, wait for the revision's publication.
    version.refresh_from_db()
    assert version.snapshot["key_figures"]["people_reached"] == PEOPLE_REACHED
    bulletin.refresh_from_db()
    assert bulletin.snapshot["key_figures"]["people_reached"] == PEOPLE_REACHED


def test_taking_todays_figures_after_a_revision_was_built_needs_a_new_build(
    validated_rows, profile, world
):
    coordinator = world.user("coordinator")
    english = EditionFactory(bulletin=BulletinFactory(first_month=JAN, last_month=FEB))
    _build(english, coordinator)
    english = _publish(_fresh(english), coordinator)
    services.edition_update(
        edition=english, fields={"coordination": "The cluster met twice."}, by=coordinator
    )
    _build(english, coordinator)
    assert _fresh(english).revision_publishable
    _validate_more(validated_rows)

    # The coordinator asks for today's figures after the revision was built from the
    # published ones: its PDF does not show what was asked for.
    services.edition_update(edition=english, fields={"refresh_figures": True}, by=coordinator)

    english = _fresh(english)
    assert english.snapshot == english.current_version.snapshot
    assert not english.revision_publishable
    assert policy.can_revise(coordinator, english).code == "no_revision"


def test_a_revision_build_never_deletes_or_replaces_the_published_pdf(
    client, profile, world, django_capture_on_commit_callbacks, file_store
):
    coordinator = world.user("coordinator")
    english = EditionFactory()
    _build(english, coordinator)
    english = _publish(_fresh(english), coordinator)
    version = english.current_version
    published_name = version.pdf.name
    published_bytes = stored_bytes(version.pdf)
    assert english.pdf.name == published_name

    def public_pdf() -> bytes:
        response = client.get(
            reverse(
                "bulletins:edition_pdf",
                kwargs={"number": english.bulletin.number, "language": "en"},
            )
        )
        assert response.status_code == 200
        return b"".join(response.streaming_content)

    assert public_pdf() == published_bytes

    services.edition_update(
        edition=english, fields={"coordination": "The cluster met twice."}, by=coordinator
    )
    with django_capture_on_commit_callbacks(execute=True):
        _build(english, coordinator)

    english = _fresh(english)
    first_revision = english.pdf.name
    assert english.status == BuildStatus.READY
    assert first_revision != published_name
    assert has_phrase(pdf_text(english.pdf), "The cluster met twice.")
    version.refresh_from_db()
    assert version.pdf.name == published_name
    assert stored_bytes(version.pdf) == published_bytes
    assert public_pdf() == published_bytes

    # Built again, the unpublished revision's PDF goes; the published one stays.
    services.edition_update(
        edition=english, fields={"coordination": "The cluster met three times."}, by=coordinator
    )
    with django_capture_on_commit_callbacks(execute=True):
        _build(english, coordinator)

    english = _fresh(english)
    assert not default_storage.exists(first_revision)
    assert default_storage.exists(english.pdf.name)
    assert stored_bytes(version.pdf) == published_bytes
    assert public_pdf() == published_bytes
    assert _stored_files() == sorted([published_name, english.pdf.name])
    assert file_store.names() == {published_name, english.pdf.name}


# Failures ---------------------------------------------------------------------------------


def test_a_broken_print_template_fails_with_the_reason_and_a_rebuild_succeeds(
    validated_rows, profile, settings
):
    edition = EditionFactory()
    settings.BULLETIN_PRINT_TEMPLATE = "bulletins/print/no-such-template.html"

    result = _build(edition)

    edition = _fresh(edition)
    assert result.queued
    assert edition.status == BuildStatus.FAILED
    assert edition.status_reason == FailureReason.TEMPLATE
    assert "print layout has an error" in edition.shown_reason
    assert "no-such-template.html" in edition.shown_reason
    assert not edition.pdf
    assert edition.built_text_version is None

    settings.BULLETIN_PRINT_TEMPLATE = "bulletins/print/bulletin.html"
    _build(edition)

    edition = _fresh(edition)
    assert edition.status == BuildStatus.READY
    assert edition.shown_reason == ""
    assert edition.pdf_shows_text


def test_a_build_over_its_soft_time_limit_fails_in_plain_words(profile, monkeypatch):
    edition = EditionFactory()

    def too_slow(html):
        raise SoftTimeLimitExceeded

    monkeypatch.setattr(rendering, "render_pdf", too_slow)
    _build(edition)

    edition = _fresh(edition)
    assert edition.status == BuildStatus.FAILED
    assert edition.status_reason == FailureReason.TOO_LONG
    assert edition.shown_reason.startswith("The build took longer than 4 minutes")
    assert not edition.pdf


@pytest.mark.parametrize(
    ("error", "reason", "words"),
    [
        (
            DatabaseError("server closed the connection"),
            FailureReason.DATABASE,
            "The database could not be reached during the build. Build again.",
        ),
        (
            ValueError("no"),
            FailureReason.UNEXPECTED,
            "The PDF could not be made because of an unexpected error (ValueError). Build "
            "again; if it fails again, tell the site administrator.",
        ),
    ],
)
def test_a_build_that_raises_fails_with_its_reason(profile, monkeypatch, error, reason, words):
    edition = EditionFactory()

    def broken(html):
        raise error

    monkeypatch.setattr(rendering, "render_pdf", broken)
    _build(edition)

    edition = _fresh(edition)
    assert edition.status == BuildStatus.FAILED
    assert edition.status_reason == reason
    assert edition.shown_reason == words


def test_a_build_while_the_file_store_is_down_fails_with_the_reason_and_keeps_the_last_pdf(
    profile, s3_bucket, settings, django_capture_on_commit_callbacks
):
    settings.STORAGES = storages_for(s3_bucket.url, settings.STORAGES)
    edition = EditionFactory()
    _build(edition)
    first = _fresh(edition).pdf.name
    edition = services.edition_update(
        edition=_fresh(edition), fields={"situation_overview": "Floods."}, by=None
    )
    settings.STORAGES = storages_for(
        storage_url(f"127.0.0.1:{closed_port()}", s3_bucket.name), settings.STORAGES
    )

    with django_capture_on_commit_callbacks(execute=True):
        result = _build(edition)

    assert result.queued
    edition = _fresh(edition)
    assert edition.status == BuildStatus.FAILED
    assert edition.status_reason == FailureReason.STORAGE
    assert edition.shown_reason == (
        "The file store could not be reached, so the PDF was not saved. Build again in a few "
        "minutes; if it keeps failing, tell the site administrator."
    )
    assert edition.pdf.name == first
    assert not policy.edition_publishable(edition)
    assert s3_bucket.object_keys() == {first}


def test_a_failed_rebuild_keeps_the_edition_unpublishable(profile, monkeypatch):
    edition = EditionFactory()
    _build(edition)
    built_pdf = _fresh(edition).pdf.name

    def broken(html):
        raise ValueError

    monkeypatch.setattr(rendering, "render_pdf", broken)
    _build(edition)

    edition = _fresh(edition)
    assert edition.status == BuildStatus.FAILED
    assert edition.pdf.name == built_pdf, "the PDF of the last good build stays"
    assert policy.edition_publishable(edition).reason.startswith("Only a ready edition")


def test_each_failure_reason_has_words():
    for reason in FailureReason:
        words = reason_text(reason, "7")
        assert words
        assert words != "7"
        assert "%(detail)s" not in words


# Tokens, attempts, heartbeat --------------------------------------------------------------


def test_a_task_with_an_old_token_does_nothing(profile):
    edition = EditionFactory()
    _build(edition)
    edition = _fresh(edition)
    built_at, pdf = edition.built_at, edition.pdf.name

    assert build_edition.apply(args=[edition.pk, str(uuid.uuid4())]).get() == "skipped"

    edition = _fresh(edition)
    assert edition.built_at == built_at
    assert edition.pdf.name == pdf
    assert edition.build_attempts == 1


def test_a_task_delivered_again_counts_attempts_and_gives_up_after_three(profile):
    edition = EditionFactory()
    token = uuid.uuid4()
    # As a worker killed mid-build thrice leaves it: building, three attempts made.
    Edition.objects.filter(pk=edition.pk).update(
        status=BuildStatus.BUILDING, build_token=token, build_attempts=3
    )

    assert build.build_run(edition_id=edition.pk, token=str(token), in_worker=False) == ("skipped")

    edition = _fresh(edition)
    assert edition.status == BuildStatus.FAILED
    assert edition.status_reason == FailureReason.TOO_MANY_ATTEMPTS
    assert edition.shown_reason.startswith("The build was given up after 3 attempts")
    assert not edition.pdf


def test_a_redelivered_task_under_the_limit_builds(profile):
    edition = EditionFactory()
    token = uuid.uuid4()
    Edition.objects.filter(pk=edition.pk).update(
        status=BuildStatus.BUILDING, build_token=token, build_attempts=2
    )

    assert build.build_run(edition_id=edition.pk, token=str(token), in_worker=False) == "built"

    edition = _fresh(edition)
    assert edition.status == BuildStatus.READY
    assert edition.build_attempts == 3


def test_a_build_replaced_while_it_renders_throws_its_pdf_away(
    profile, monkeypatch, settings, file_store
):
    settings.BULLETIN_HEARTBEAT_TIMEOUT = 30
    edition = EditionFactory()
    token = uuid.uuid4()
    Edition.objects.filter(pk=edition.pk).update(
        status=BuildStatus.QUEUED, build_token=token, queued_at=timezone.now()
    )
    real_render_pdf = rendering.render_pdf
    calls = []

    def replaced_meanwhile(html):
        calls.append(html)
        if len(calls) == 1:
            # Its heartbeat missed (a stalled server, say), the build shows failed, and the
            # coordinator builds again: that build runs to the end first.
            Edition.objects.filter(pk=edition.pk).update(
                heartbeat_at=timezone.now() - datetime.timedelta(minutes=5)
            )
            assert _build(edition).queued
        return real_render_pdf(html)

    monkeypatch.setattr(rendering, "render_pdf", replaced_meanwhile)

    assert build.build_run(edition_id=edition.pk, token=str(token), in_worker=False) == (
        "superseded"
    )

    edition = _fresh(edition)
    assert edition.status == BuildStatus.READY
    assert edition.build_token != token
    assert _stored_files() == [edition.pdf.name], "the replaced build left no file"
    assert file_store.names() == {edition.pdf.name}


def test_a_silent_build_shows_failed_at_once_and_the_beat_writes_it_down(settings):
    settings.BULLETIN_HEARTBEAT_TIMEOUT = 30
    long_ago = timezone.now() - datetime.timedelta(seconds=31)
    edition = EditionFactory()
    Edition.objects.filter(pk=edition.pk).update(
        status=BuildStatus.BUILDING,
        build_token=uuid.uuid4(),
        heartbeat_at=long_ago,
        build_started_at=long_ago,
    )
    alive = EditionFactory()
    Edition.objects.filter(pk=alive.pk).update(
        status=BuildStatus.BUILDING, build_token=uuid.uuid4(), heartbeat_at=timezone.now()
    )
    edition = _fresh(edition)

    assert edition.shown_status == BuildStatus.FAILED
    assert "stopped answering" in edition.shown_reason
    assert edition.status == BuildStatus.BUILDING  # read, not yet written
    assert _fresh(alive).shown_status == BuildStatus.BUILDING

    assert fail_stale_builds.apply().get() == 1

    edition, alive = _fresh(edition), _fresh(alive)
    assert edition.status == BuildStatus.FAILED
    assert edition.status_reason == FailureReason.STOPPED
    assert alive.status == BuildStatus.BUILDING


def test_a_build_queued_too_long_is_failed_as_not_started(settings):
    settings.BULLETIN_QUEUE_TIMEOUT = 600
    edition = EditionFactory()
    Edition.objects.filter(pk=edition.pk).update(
        status=BuildStatus.QUEUED,
        build_token=uuid.uuid4(),
        queued_at=timezone.now() - datetime.timedelta(minutes=11),
    )
    recent = EditionFactory()
    Edition.objects.filter(pk=recent.pk).update(
        status=BuildStatus.QUEUED,
        build_token=uuid.uuid4(),
        queued_at=timezone.now() - datetime.timedelta(minutes=9),
    )
    edition = _fresh(edition)
    assert "did not start; the task queue may be down" in edition.shown_reason

    assert services.editions_fail_stale() == 1

    edition = _fresh(edition)
    assert edition.status == BuildStatus.FAILED
    assert edition.status_reason == FailureReason.NOT_STARTED
    assert _fresh(recent).status == BuildStatus.QUEUED


def test_a_dead_build_can_be_rebuilt_and_its_late_task_is_ignored(profile, settings):
    settings.BULLETIN_HEARTBEAT_TIMEOUT = 30
    edition = EditionFactory()
    old_token = uuid.uuid4()
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    Edition.objects.filter(pk=edition.pk).update(
        status=BuildStatus.BUILDING, build_token=old_token, heartbeat_at=long_ago
    )

    result = _build(edition)

    assert result.queued
    edition = _fresh(edition)
    assert edition.status == BuildStatus.READY
    built_at = edition.built_at
    assert build.build_run(edition_id=edition.pk, token=str(old_token)) == "skipped"
    assert _fresh(edition).built_at == built_at


def test_build_leaves_a_running_build_alone(profile):
    edition = EditionFactory()
    token = uuid.uuid4()
    Edition.objects.filter(pk=edition.pk).update(
        status=BuildStatus.BUILDING, build_token=token, heartbeat_at=timezone.now()
    )

    result = _build(edition)

    assert not result.queued
    assert not result.error
    edition = _fresh(edition)
    assert edition.build_token == token
    assert edition.status == BuildStatus.BUILDING


def test_build_failed_marks_only_the_build_of_its_token(profile):
    edition = EditionFactory()
    token = uuid.uuid4()
    Edition.objects.filter(pk=edition.pk).update(status=BuildStatus.BUILDING, build_token=token)

    assert not services.build_fail(
        edition_id=edition.pk, token=uuid.uuid4(), reason=FailureReason.STOPPED
    )
    assert _fresh(edition).status == BuildStatus.BUILDING

    assert services.build_fail(edition_id=edition.pk, token=token, reason=FailureReason.STOPPED)
    edition = _fresh(edition)
    assert edition.status == BuildStatus.FAILED
    assert edition.status_reason == FailureReason.STOPPED
