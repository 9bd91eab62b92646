"""The public's bulletin pages: the archive, a bulletin's page, its PDF and the Atom feed.

Only bulletins that were published are public; a draft, or a bulletin ready but not yet
published, is a 404 here whoever asks (coordinators read theirs under manage/). A withdrawn
bulletin stays public, marked as withdrawn with the reason, so the record of what was
published is kept and links to it do not break. The PDF is served by ``public_pdf``, which
checks that; no media URL exposes it.
"""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from bulletins import rendering, selectors
from bulletins.filters import BulletinArchiveFilter
from bulletins.models import Bulletin
from strategy.selectors import cluster_profile_for_home

PAGE_SIZE = 20


@require_safe
def archive(request: HttpRequest) -> HttpResponse:
    # Always bound, so an unfiltered list goes through the same path as a filtered one.
    filterset = BulletinArchiveFilter(request.GET, queryset=selectors.public_bulletins())
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "bulletins/public/archive.html",
        {
            "filter": filterset,
            "page_obj": page,
            "bulletins": page.object_list,
            "is_filtered": filterset.is_narrowed,
        },
    )


@require_safe
def public_detail(request: HttpRequest, number: int) -> HttpResponse:
    bulletin = selectors.get_public_bulletin(number)
    return render(
        request,
        "bulletins/public/detail.html",
        {
            "bulletin": bulletin,
            "document": rendering.render_public_html(bulletin, cluster_profile_for_home()),
            "period": _period(bulletin),
            "pdf_size": _pdf_size(bulletin),
        },
    )


def _period(bulletin: Bulletin) -> str:
    return rendering.period_label(bulletin.first_month, bulletin.last_month)


def _pdf_size(bulletin: Bulletin) -> int | None:
    if not bulletin.pdf:
        return None
    try:
        return bulletin.pdf.size
    except (FileNotFoundError, OSError):
        return None


@require_safe
def public_pdf(request: HttpRequest, number: int) -> FileResponse:
    bulletin = selectors.get_public_bulletin(number)
    if not bulletin.pdf:
        raise Http404
    try:
        handle = bulletin.pdf.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"bulletin-{bulletin.number}-{bulletin.language}.pdf",
        content_type="application/pdf",
    )
