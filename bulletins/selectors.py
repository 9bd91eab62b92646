"""Reads of bulletins: the coordinators' list, one bulletin, its build status, its figures;
and the public's archive, pages and feed (published bulletins, withdrawn ones included)."""

from django.db.models import Case, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from analysis import snapshot as analysis_snapshot
from bulletins.models import Bulletin, BulletinStatus
from core.tasks import Task
from partners.access import is_coordinator


def bulletins_for_management() -> QuerySet[Bulletin]:
    """Every bulletin, the latest number first, without the (large) snapshot."""
    return Bulletin.objects.select_related("updated_by").defer("snapshot").order_by("-number")


def get_bulletin(pk: int) -> Bulletin:
    return get_object_or_404(Bulletin, pk=pk)


# The public side ---------------------------------------------------------------------------


def public_bulletins() -> QuerySet[Bulletin]:
    """Every bulletin ever published, the latest first, without the snapshot.

    A withdrawn bulletin stays here (marked, with its reason): it was public, people may
    have quoted it or followed a link to it, and the record says why it no longer stands.
    Publication sets ``published_at`` once and a rebuild keeps it, so a published
    bulletin being rebuilt stays public.
    """
    return (
        Bulletin.objects.filter(published_at__isnull=False)
        .defer("snapshot")
        .order_by("-published_at", "-number")
    )


def public_years() -> list[int]:
    """The years covered by public bulletins, the latest first (the archive's year filter)."""
    first_last = public_bulletins().order_by().values_list("first_month__year", "last_month__year")
    years = set()
    for first, last in first_last.distinct():
        years.update(range(first, last + 1))
    return sorted(years, reverse=True)


def get_public_bulletin(number: int) -> Bulletin:
    """A published (or withdrawn) bulletin with its snapshot; anything else is a 404."""
    return get_object_or_404(Bulletin, number=number, published_at__isnull=False)


def latest_published(language: str | None = None) -> Bulletin | None:
    """The latest published bulletin that is not withdrawn, in ``language`` if there is one
    in it, else in any language (the home page)."""
    current = public_bulletins().filter(withdrawn_at__isnull=True)
    if language:
        # One query: the ones in the language first.
        in_language = Case(When(language=language, then=Value(0)), default=Value(1))
        current = current.order_by(in_language, "-published_at", "-number")
    return current.first()


def feed_bulletins(limit: int = 20) -> list[Bulletin]:
    """The feed's entries: the latest public bulletins, withdrawn ones included (a reader
    that already has an entry sees it updated as withdrawn)."""
    return list(public_bulletins().order_by("-published_at", "-number")[:limit])


def build_status(bulletin: Bulletin) -> dict:
    """The build as the status page and its polling script show it, staleness included."""
    status, reason = bulletin.effective_status()
    built_at = bulletin.built_at
    built_at_display = (
        formats.date_format(timezone.localtime(built_at), "DATETIME_FORMAT") if built_at else ""
    )
    return {
        "status": status,
        "label": str(BulletinStatus(status).label),
        "reason": reason,
        "in_progress": bulletin.is_building,
        "has_pdf": bool(bulletin.pdf),
        "built_at": built_at.isoformat() if built_at else None,
        "built_at_display": built_at_display,
        "built_text": _("built on %(when)s") % {"when": built_at_display} if built_at else "",
        "attempts": bulletin.build_attempts,
        "download_url": reverse("bulletins:download", kwargs={"pk": bulletin.pk})
        if bulletin.pdf
        else "",
    }


def preview_figures(bulletin: Bulletin) -> tuple[dict, bool]:
    """The figures a preview shows: the stored snapshot, or today's (not stored) before the
    first build. The flag says whether they are today's."""
    if bulletin.snapshot:
        return bulletin.snapshot, False
    figures = analysis_snapshot.public_figures(
        first_month=bulletin.first_month, last_month=bulletin.last_month
    )
    return figures, True


def tasks_for_user(user) -> list[Task]:
    """My tasks: coordinators see the bulletins whose last build failed (one query)."""
    if not is_coordinator(user):
        return []
    failed = Bulletin.objects.filter(status=BulletinStatus.FAILED).count()
    if not failed:
        return []
    return [
        Task(
            title=_("Bulletin builds that failed"),
            description=ngettext(
                "The PDF of %(count)d bulletin could not be built; its page says why.",
                "The PDFs of %(count)d bulletins could not be built; their pages say why.",
                failed,
            )
            % {"count": failed},
            url=reverse("bulletins:list"),
            count=failed,
            kind="action",
        )
    ]
