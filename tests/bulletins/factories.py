"""factory_boy factories for bulletins and their editions, and editions in the states a
build or a publication leaves them."""

import datetime

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from bulletins import publication, services
from bulletins.models import BuildStatus, Bulletin, Edition
from tests.factories import UserFactory

PDF = b"%PDF-1.7\n% a bulletin\n"


class BulletinFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bulletin

    number = factory.Sequence(lambda n: n + 1)
    first_month = datetime.date(2026, 1, 1)
    last_month = datetime.date(2026, 2, 1)
    created_by = factory.SubFactory(UserFactory, is_coordinator=True)


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition

    bulletin = factory.SubFactory(BulletinFactory)
    language = "en"
    title = factory.Sequence(lambda n: f"Health Cluster Bulletin {n + 1}")
    highlights = "Consultations rose in the north.\nNutrition screening started in the south."
    situation_overview = "Heavy rains **displaced** families in the north."
    health_response = "Partners ran mobile clinics."
    created_by = factory.SelfAttribute("bulletin.created_by")


def _sample_figures(bulletin: Bulletin) -> dict:
    from tests.bulletins.conftest import sample_figures

    return sample_figures(first_month=bulletin.first_month, last_month=bulletin.last_month)


def built(edition: Edition, figures: dict | None = None, pdf: bytes = PDF) -> Edition:
    """The edition as a build leaves it: ready, with the bulletin's figures (taken now if it
    has none) and a PDF on disk, built from its text as it is. "Now" is the test's clock:
    the months covered are fixed (January to February 2026), so no date depends on today."""
    bulletin = edition.bulletin
    if not bulletin.snapshot or figures is not None:
        bulletin.snapshot = figures if figures is not None else _sample_figures(bulletin)
        bulletin.snapshot_taken_at = timezone.now()
        bulletin.save(update_fields=["snapshot", "snapshot_taken_at"])
    if edition.is_public and not edition.refresh_figures:
        current = edition.current_version
        edition.snapshot, edition.snapshot_taken_at = current.snapshot, current.snapshot_taken_at
    else:
        edition.snapshot, edition.snapshot_taken_at = bulletin.snapshot, bulletin.snapshot_taken_at
    edition.built_at = timezone.now()
    edition.status = BuildStatus.READY
    edition.built_text_version = edition.text_version
    edition.pdf.save(f"b{bulletin.number}-{edition.language}.pdf", ContentFile(pdf), save=False)
    edition.save()
    return Edition.objects.prefetch_related("versions").get(pk=edition.pk)


def ready_edition(**fields) -> Edition:
    """A new edition, built and ready to publish."""
    return built(EditionFactory(**fields))


def published_edition(by=None, **fields) -> Edition:
    """A new edition, built and published (version 1; its subscribers announced)."""
    edition = ready_edition(**fields)
    publication.bulletin_publish(bulletin=edition.bulletin, languages=[edition.language], by=by)
    return Edition.objects.prefetch_related("versions").get(pk=edition.pk)


def bilingual_bulletin(**fields) -> tuple[Bulletin, Edition, Edition]:
    """A bulletin with an English and an Arabic edition, not built."""
    bulletin = BulletinFactory(**fields)
    english = EditionFactory(bulletin=bulletin, language="en", title="Health Cluster Bulletin")
    arabic = EditionFactory(
        bulletin=bulletin,
        language="ar",
        title="نشرة مجموعة الصحة",
        highlights="ارتفعت الاستشارات في الشمال.",
        situation_overview="نزحت أسر بسبب الأمطار.",
        health_response="شغّل الشركاء عيادات متنقلة.",
    )
    return bulletin, english, arabic


def revise(edition: Edition, by=None, **text) -> Edition:
    """Edit a published edition's text (its revision) through the service."""
    return services.edition_update(edition=edition, fields=text, by=by)
