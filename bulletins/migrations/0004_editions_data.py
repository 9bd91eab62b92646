"""Bulletins become editions: one bulletin per number and period, an edition per language.

Bulletins that cover the same months in different languages join the lowest-numbered of
them as its editions; each number that no longer has a bulletin of its own leads to its
edition (``BulletinRedirect``). Every other bulletin keeps its number and gets one edition.
An edition keeps its text, build, PDF, figures and publication; a published (or withdrawn)
one gets version 1, the record of what was published, with the snapshot it was published
with. Its history and its announcement to subscribers follow it.
"""

from django.db import migrations

TEXT = (
    "title",
    "highlights",
    "situation_overview",
    "public_health_concerns",
    "health_response",
    "gaps_and_challenges",
    "coordination",
)
BUILD = (
    "status_reason",
    "status_detail",
    "snapshot",
    "snapshot_taken_at",
    "pdf",
    "built_at",
    "build_token",
    "build_attempts",
    "queued_at",
    "build_started_at",
    "heartbeat_at",
)
PUBLICATION = ("published_at", "withdrawn_at", "withdrawal_reason")
# The build status of what was published is "ready": publication is recorded apart now.
STATUS = {"published": "ready", "withdrawn": "ready"}


def _hosts(bulletins):
    """Each bulletin and the bulletin it becomes an edition of (itself, or the lowest
    number of its months with no edition in its language yet)."""
    hosts = {}
    by_months = {}
    for bulletin in bulletins:
        months = by_months.setdefault((bulletin.first_month, bulletin.last_month), [])
        host = next((h for h in months if bulletin.language not in h["languages"]), None)
        if host is None:
            host = {"bulletin": bulletin, "languages": set()}
            months.append(host)
        host["languages"].add(bulletin.language)
        hosts[bulletin.pk] = host["bulletin"]
    return hosts


def _edition(apps, bulletin, host):
    Edition = apps.get_model("bulletins", "Edition")
    fields = {name: getattr(bulletin, name) for name in TEXT + BUILD + PUBLICATION}
    fields["pdf"] = bulletin.pdf.name
    edition = Edition.objects.create(
        bulletin=host,
        language=bulletin.language,
        status=STATUS.get(bulletin.status, bulletin.status),
        text_version=1,
        built_text_version=1 if bulletin.pdf else None,
        created_by_id=bulletin.created_by_id,
        updated_by_id=bulletin.updated_by_id,
        **fields,
    )
    # auto_now and auto_now_add would put today's dates there.
    Edition.objects.filter(pk=edition.pk).update(
        created_at=bulletin.created_at, updated_at=bulletin.updated_at
    )
    return edition


def _first_version(apps, bulletin, edition):
    """Version 1: what the public saw of a bulletin published before editions."""
    if bulletin.published_at is None:
        return
    Version = apps.get_model("bulletins", "EditionVersion")
    Announcement = apps.get_model("subscribers", "Announcement")
    announced = Announcement.objects.filter(key=f"bulletin-{bulletin.pk}")
    emailed = announced.exists()
    announced.update(key=f"edition-{edition.pk}-v1")
    Version.objects.create(
        edition=edition,
        number=1,
        text_version=1,
        snapshot=bulletin.snapshot,
        snapshot_taken_at=bulletin.snapshot_taken_at,
        pdf=bulletin.pdf.name,
        built_at=bulletin.built_at,
        published_at=bulletin.published_at,
        published_by_id=bulletin.updated_by_id,
        emailed=emailed,
        **{name: getattr(bulletin, name) for name in TEXT},
    )


def _history(apps, bulletin, edition):
    """The bulletin's history rows become its edition's."""
    Old = apps.get_model("bulletins", "HistoricalBulletin")
    New = apps.get_model("bulletins", "HistoricalEdition")
    names = {field.attname for field in New._meta.concrete_fields} & {
        field.attname for field in Old._meta.concrete_fields
    }
    names -= {"history_id", "id", "status"}
    rows = []
    for old in Old.objects.filter(id=bulletin.pk).order_by("history_id"):
        rows.append(
            New(
                id=edition.pk,
                bulletin_id=edition.bulletin_id,
                status=STATUS.get(old.status, old.status),
                text_version=1,
                **{name: getattr(old, name) for name in names},
            )
        )
    New.objects.bulk_create(rows)


def _frozen_figures(host, editions):
    """The bulletin's figures: those of its first published edition, else its own."""
    published = [(bulletin, e) for bulletin, e in editions if bulletin.published_at]
    if not published:
        return
    first, _edition = min(published, key=lambda pair: pair[0].published_at)
    if first.pk != host.pk:
        host.snapshot = first.snapshot
        host.snapshot_taken_at = first.snapshot_taken_at
        host.save(update_fields=["snapshot", "snapshot_taken_at"])


def forward(apps, schema_editor):
    Bulletin = apps.get_model("bulletins", "Bulletin")
    HistoricalBulletin = apps.get_model("bulletins", "HistoricalBulletin")
    Redirect = apps.get_model("bulletins", "BulletinRedirect")
    bulletins = list(Bulletin.objects.order_by("number"))
    hosts = _hosts(bulletins)
    editions_of = {}
    for bulletin in bulletins:
        host = hosts[bulletin.pk]
        edition = _edition(apps, bulletin, host)
        _first_version(apps, bulletin, edition)
        _history(apps, bulletin, edition)
        editions_of.setdefault(host.pk, []).append((bulletin, edition))
    for bulletin in bulletins:
        host = hosts[bulletin.pk]
        if host.pk == bulletin.pk:
            _frozen_figures(host, editions_of[host.pk])
            continue
        edition = next(e for b, e in editions_of[host.pk] if b.pk == bulletin.pk)
        Redirect.objects.create(number=bulletin.number, edition=edition)
        HistoricalBulletin.objects.filter(id=bulletin.pk).delete()
        Bulletin.objects.filter(pk=bulletin.pk).delete()


def backward(apps, schema_editor):
    """Going back would have to split bulletins again: only a database without editions
    can (a test's, or one migrated by mistake before any bulletin); restore a backup else."""
    if apps.get_model("bulletins", "Edition").objects.exists():
        raise RuntimeError(
            "Bulletins have editions: restore the backup taken before this migration instead."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("bulletins", "0003_editions"),
        ("subscribers", "0001_subscriptions"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
