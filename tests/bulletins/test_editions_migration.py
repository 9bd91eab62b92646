"""The migration from one bulletin per language to bulletins with editions, on a database
holding each case: a matching English and Arabic pair (published, with subscribers told), an
unmatched draft, a withdrawn bulletin, and two bulletins of the same months and language.

Run backwards then forwards inside the test's transaction (PostgreSQL rolls the schema back).
"""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs transactional DDL"),
]

BEFORE = [("bulletins", "0002_withdrawal_reason"), ("subscribers", "0001_subscriptions")]
JAN, MAR, APR, JUN, JUL, SEP, OCT = (
    datetime.date(2026, month, 1) for month in (1, 3, 4, 6, 7, 9, 10)
)
PUBLISHED = datetime.datetime(2026, 4, 10, 9, 0, tzinfo=datetime.UTC)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _figures(people: int) -> dict:
    return {"version": 2, "key_figures": {"people_reached": people}}


def _old_bulletins(apps) -> dict:
    Bulletin = apps.get_model("bulletins", "Bulletin")
    Historical = apps.get_model("bulletins", "HistoricalBulletin")
    Announcement = apps.get_model("subscribers", "Announcement")
    made = {}
    for number, language, first, last, state, people in (
        (1, "en", JAN, MAR, "published", 100),
        (2, "ar", JAN, MAR, "published", 101),
        (3, "en", APR, JUN, "draft", 0),
        (4, "ar", JUL, SEP, "withdrawn", 300),
        (5, "en", OCT, OCT, "ready", 400),
        (6, "en", OCT, OCT, "ready", 401),
    ):
        public = state in ("published", "withdrawn")
        bulletin = Bulletin.objects.create(
            number=number,
            title=f"Bulletin {number} ({language})",
            language=language,
            first_month=first,
            last_month=last,
            highlights=f"Message of {number}",
            health_response=f"Response of {number}",
            status=state,
            snapshot=_figures(people) if people else {},
            snapshot_taken_at=PUBLISHED if people else None,
            pdf=f"bulletins/bulletin-{number}.pdf" if state != "draft" else "",
            built_at=PUBLISHED if state != "draft" else None,
            published_at=PUBLISHED if public else None,
            withdrawn_at=PUBLISHED if state == "withdrawn" else None,
            withdrawal_reason="Counted twice." if state == "withdrawn" else "",
        )
        Historical.objects.create(
            id=bulletin.pk,
            number=number,
            title=bulletin.title,
            language=language,
            first_month=first,
            last_month=last,
            status=state,
            created_at=PUBLISHED,
            updated_at=PUBLISHED,
            history_date=PUBLISHED,
            history_type="+",
        )
        if number == 1:
            Announcement.objects.create(
                key=f"bulletin-{bulletin.pk}", language="en", subject="s", body="b"
            )
        made[number] = bulletin
    return made


@pytest.fixture
def migrated():
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    old = _migrate(BEFORE)
    _old_bulletins(old)
    return _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def _editions(apps, number: int) -> dict:
    Edition = apps.get_model("bulletins", "Edition")
    return {e.language: e for e in Edition.objects.filter(bulletin__number=number)}


def test_a_matching_pair_becomes_one_bulletin_under_the_lower_number(migrated):
    Bulletin = migrated.get_model("bulletins", "Bulletin")
    assert sorted(Bulletin.objects.values_list("number", flat=True)) == [1, 3, 4, 5, 6]
    editions = _editions(migrated, 1)
    assert sorted(editions) == ["ar", "en"]
    arabic = editions["ar"]
    assert (arabic.title, arabic.highlights, arabic.health_response) == (
        "Bulletin 2 (ar)",
        "Message of 2",
        "Response of 2",
    )
    # Each edition keeps the snapshot and PDF it was published with.
    Version = migrated.get_model("bulletins", "EditionVersion")
    versions = {v.edition.language: v for v in Version.objects.filter(edition__bulletin__number=1)}
    assert versions["en"].snapshot == _figures(100)
    assert versions["ar"].snapshot == _figures(101)
    assert versions["ar"].pdf.name == "bulletins/bulletin-2.pdf"
    assert versions["ar"].published_at == PUBLISHED
    assert arabic.status == "ready"
    assert arabic.published_at == PUBLISHED
    redirect = migrated.get_model("bulletins", "BulletinRedirect").objects.get()
    assert (redirect.number, redirect.edition_id) == (2, arabic.pk)


def test_the_announcement_follows_its_edition_so_nobody_is_emailed_again(migrated):
    Announcement = migrated.get_model("subscribers", "Announcement")
    english = _editions(migrated, 1)["en"]
    assert list(Announcement.objects.values_list("key", flat=True)) == [f"edition-{english.pk}-v1"]
    Version = migrated.get_model("bulletins", "EditionVersion")
    emailed = dict(
        Version.objects.filter(edition__bulletin__number=1).values_list(
            "edition__language", "emailed"
        )
    )
    assert emailed == {"en": True, "ar": False}


def test_the_history_of_the_joined_bulletin_follows_its_edition(migrated):
    arabic = _editions(migrated, 1)["ar"]
    History = migrated.get_model("bulletins", "HistoricalEdition")
    rows = list(History.objects.filter(id=arabic.pk).values_list("title", "status"))
    assert rows == [("Bulletin 2 (ar)", "ready")]
    assert not migrated.get_model("bulletins", "HistoricalBulletin").objects.filter(number=2)


def test_an_unmatched_draft_becomes_a_bulletin_with_one_unpublished_edition(migrated):
    editions = _editions(migrated, 3)
    assert list(editions) == ["en"]
    draft = editions["en"]
    assert (draft.status, draft.published_at, draft.built_text_version) == ("draft", None, None)
    assert not draft.versions.exists()


def test_a_withdrawn_bulletin_stays_withdrawn_with_its_reason_and_its_version(migrated):
    withdrawn = _editions(migrated, 4)["ar"]
    assert withdrawn.withdrawn_at == PUBLISHED
    assert withdrawn.withdrawal_reason == "Counted twice."
    assert list(withdrawn.versions.values_list("number", "snapshot")) == [(1, _figures(300))]


def test_two_bulletins_of_the_same_months_and_language_stay_two(migrated):
    assert list(_editions(migrated, 5)) == ["en"]
    assert list(_editions(migrated, 6)) == ["en"]
    Bulletin = migrated.get_model("bulletins", "Bulletin")
    assert Bulletin.objects.get(number=6).snapshot == _figures(401)
