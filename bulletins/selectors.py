"""Reads of bulletins: the coordinators' list, one bulletin with its editions, a build's
status, the figures of a preview; and the public's archive, pages and feeds (editions ever
published, withdrawn ones included, read through their published versions)."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from analysis import snapshot as analysis_snapshot
from bulletins.models import (
    BuildStatus,
    Bulletin,
    BulletinRedirect,
    Edition,
    EditionVersion,
    in_language_order,
)
from core.tasks import Task
from partners.access import is_coordinator

# The coordinators' side ---------------------------------------------------------------------


def bulletins_for_management() -> QuerySet[Bulletin]:
    """Every bulletin, the latest number first, with its editions; no snapshots."""
    editions = (
        Edition.objects.defer("snapshot")
        .select_related("updated_by")
        .prefetch_related(Prefetch("versions", queryset=EditionVersion.objects.defer("snapshot")))
    )
    return (
        Bulletin.objects.select_related("updated_by")
        .defer("snapshot")
        .prefetch_related(Prefetch("editions", queryset=editions))
        .order_by("-number")
    )


def get_bulletin(pk: int) -> Bulletin:
    editions = Edition.objects.prefetch_related(
        Prefetch("versions", queryset=EditionVersion.objects.defer("snapshot"))
    )
    return get_object_or_404(
        Bulletin.objects.prefetch_related(Prefetch("editions", queryset=editions)), pk=pk
    )


def editions_of(bulletin: Bulletin) -> list[Edition]:
    """The bulletin's editions in the order of ``LANGUAGES``."""
    return in_language_order(bulletin.editions.all())


def get_edition(pk: int, language: str) -> Edition:
    return get_object_or_404(
        Edition.objects.select_related("bulletin").prefetch_related("versions"),
        bulletin_id=pk,
        language=language,
    )


def build_status(edition: Edition) -> dict:
    """The build as the status page and its polling script show it, staleness included."""
    status, reason = edition.effective_status()
    built_at = edition.built_at
    built_at_display = (
        formats.date_format(timezone.localtime(built_at), "DATETIME_FORMAT") if built_at else ""
    )
    return {
        "status": status,
        "label": str(BuildStatus(status).label),
        "reason": reason,
        "in_progress": edition.is_building,
        "has_pdf": bool(edition.pdf),
        "built_at": built_at.isoformat() if built_at else None,
        "built_at_display": built_at_display,
        "built_text": _("built on %(when)s") % {"when": built_at_display} if built_at else "",
        "attempts": edition.build_attempts,
        "download_url": edition.manage_url("download") if edition.pdf else "",
    }


def preview_figures(edition: Edition) -> tuple[dict, bool]:
    """The figures a preview shows: those of the edition's build, else the bulletin's, else
    today's (not stored). The flag says whether they are today's."""
    if edition.snapshot:
        return edition.snapshot, False
    if edition.bulletin.snapshot:
        return edition.bulletin.snapshot, False
    bulletin = edition.bulletin
    figures = analysis_snapshot.public_figures(
        first_month=bulletin.first_month, last_month=bulletin.last_month
    )
    return figures, True


def tasks_for_user(user) -> list[Task]:
    """My tasks: coordinators see the editions whose last build failed (one query)."""
    if not is_coordinator(user):
        return []
    failed = Edition.objects.filter(status=BuildStatus.FAILED).count()
    if not failed:
        return []
    return [
        Task(
            title=_("Bulletin builds that failed"),
            description=ngettext(
                "The PDF of %(count)d edition could not be built; its bulletin's page says why.",
                "The PDFs of %(count)d editions could not be built; their bulletins' pages "
                "say why.",
                failed,
            )
            % {"count": failed},
            url=reverse("bulletins:list"),
            count=failed,
            kind="action",
        )
    ]


# The public side ---------------------------------------------------------------------------


def _public_editions() -> QuerySet[Edition]:
    """Editions ever published, with their versions (no figures): what lists show."""
    versions = EditionVersion.objects.defer("snapshot").order_by("-number")
    return (
        Edition.objects.filter(published_at__isnull=False)
        .defer("snapshot")
        .prefetch_related(Prefetch("versions", queryset=versions))
    )


def public_bulletins() -> QuerySet[Bulletin]:
    """Every bulletin with an edition ever published, the latest first, with its public
    editions (``public_editions``).

    A withdrawn edition stays (marked, with its reason): it was public, people may have
    quoted it or followed a link to it, and the record says why it no longer stands.
    """
    public = Edition.objects.filter(bulletin=OuterRef("pk"), published_at__isnull=False)
    return (
        Bulletin.objects.filter(Exists(public))
        .defer("snapshot")
        .prefetch_related(Prefetch("editions", queryset=_public_editions(), to_attr="public"))
        .order_by("-number")
    )


def public_editions(bulletin: Bulletin) -> list[Edition]:
    """The bulletin's public editions in the order of ``LANGUAGES`` (from the prefetch)."""
    return in_language_order(getattr(bulletin, "public", None) or [])


def public_years() -> list[int]:
    """The years covered by public bulletins, the latest first (the archive's year filter)."""
    first_last = public_bulletins().order_by().values_list("first_month__year", "last_month__year")
    years = set()
    for first, last in first_last.distinct():
        years.update(range(first, last + 1))
    return sorted(years, reverse=True)


@dataclass(frozen=True)
class Moved:
    """A number that now leads to another bulletin's edition (a permanent redirect)."""

    edition: Edition


def find_public_bulletin(number: int) -> Bulletin | Moved:
    """The public bulletin of this number, or where an old number leads; else a 404."""
    bulletin = public_bulletins().filter(number=number).first()
    if bulletin is not None:
        return bulletin
    moved = (
        BulletinRedirect.objects.select_related("edition__bulletin")
        .filter(number=number, edition__published_at__isnull=False)
        .first()
    )
    if moved is None:
        raise Http404
    return Moved(edition=moved.edition)


def get_public_edition(number: int, language: str) -> Edition:
    """A published (or withdrawn) edition with its versions; anything else is a 404."""
    return get_object_or_404(
        Edition.objects.select_related("bulletin").prefetch_related(
            Prefetch("versions", queryset=EditionVersion.objects.order_by("-number"))
        ),
        bulletin__number=number,
        language=language,
        published_at__isnull=False,
    )


def get_public_version(number: int, language: str, version: int) -> EditionVersion:
    return get_object_or_404(
        EditionVersion.objects.select_related("edition__bulletin"),
        edition__bulletin__number=number,
        edition__language=language,
        edition__published_at__isnull=False,
        number=version,
    )


def current_bulletins() -> QuerySet[Bulletin]:
    """Public bulletins with an edition that is not withdrawn (the sitemap, the home page)."""
    current = Edition.objects.filter(
        bulletin=OuterRef("pk"), published_at__isnull=False, withdrawn_at__isnull=True
    )
    return public_bulletins().filter(Exists(current))


@dataclass(frozen=True)
class Listing:
    """A public bulletin as lists show it: once, with its editions, and the one in the
    page's language (else the first) giving the title."""

    bulletin: Bulletin
    editions: list[Edition]
    main: Edition

    @property
    def all_withdrawn(self) -> bool:
        return all(edition.is_withdrawn for edition in self.editions)


def listing(bulletin: Bulletin, language: str) -> Listing:
    """The main edition: the page's language's, else another's; one still standing before
    a withdrawn one."""
    editions = public_editions(bulletin)
    ranked = sorted(editions, key=lambda e: (e.is_withdrawn, e.language != language))
    return Listing(bulletin=bulletin, editions=editions, main=ranked[0])


def latest_published(language: str) -> Listing | None:
    """The latest bulletin with an edition published and not withdrawn (the home page)."""
    bulletin = current_bulletins().first()
    return listing(bulletin, language) if bulletin else None


def feed_editions(language: str, limit: int = 20) -> list[Edition]:
    """The feed's entries in one language: its public editions, the latest bulletin first,
    withdrawn ones included (a reader that has an entry sees it updated as withdrawn)."""
    return list(
        _public_editions()
        .filter(language=language)
        .select_related("bulletin")
        .order_by("-bulletin__number")[:limit]
    )
