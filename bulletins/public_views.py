"""The public's bulletin pages: the archive, a bulletin's editions, their PDFs (every
published version's), and the Atom feed in each language.

Only editions that were published are public, read through their published versions: a
draft, a revision not yet published, or an edition built but not published is a 404 here
whoever asks (coordinators read theirs under manage/). A withdrawn edition stays public,
marked as withdrawn with the reason, so the record of what was published is kept and links
to it do not break. A number that became another bulletin's edition when bulletins got
editions answers a permanent redirect to it.
"""

from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from bulletins import rendering, selectors
from bulletins.downloads import pdf_filename, pdf_response
from bulletins.filters import BulletinArchiveFilter
from bulletins.models import Bulletin, Edition
from core.storage import StorageUnavailable
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
            "listings": [
                selectors.listing(bulletin, get_language()) for bulletin in page.object_list
            ],
            "is_filtered": filterset.is_narrowed,
        },
    )


def _edition_page(request: HttpRequest, bulletin: Bulletin, edition: Edition) -> HttpResponse:
    versions = list(edition.versions.all())
    current = versions[0]
    return render(
        request,
        "bulletins/public/detail.html",
        {
            "bulletin": bulletin,
            "edition": edition,
            "version": current,
            "revisions": [version for version in versions if version.is_revision],
            "earlier": versions[1:],
            "other_editions": [
                e for e in selectors.public_editions(bulletin) if e.language != edition.language
            ],
            "document": rendering.render_public_html(current, cluster_profile_for_home()),
            "period": rendering.period_label(bulletin.first_month, bulletin.last_month),
            "pdf_size": _pdf_size(current),
        },
    )


def _pdf_size(version) -> int | None:
    if not version.pdf:
        return None
    try:
        return version.pdf.size
    except (FileNotFoundError, OSError, StorageUnavailable):
        return None


@require_safe
def public_detail(request: HttpRequest, number: int) -> HttpResponse:
    """A bulletin's page: its edition in the page's language, else its first edition."""
    found = selectors.find_public_bulletin(number)
    if isinstance(found, selectors.Moved):
        return HttpResponsePermanentRedirect(found.edition.get_public_url())
    edition = selectors.listing(found, get_language()).main
    edition = selectors.get_public_edition(number, edition.language)
    return _edition_page(request, found, edition)


@require_safe
def edition_detail(request: HttpRequest, number: int, language: str) -> HttpResponse:
    edition = selectors.get_public_edition(number, language)
    bulletin = selectors.public_bulletins().get(pk=edition.bulletin_id)
    return _edition_page(request, bulletin, edition)


@require_safe
def public_pdf(request: HttpRequest, number: int) -> HttpResponse:
    """The PDF of the bulletin's edition in the page's language (addresses from before
    editions); a moved number leads to its edition's PDF."""
    found = selectors.find_public_bulletin(number)
    if isinstance(found, selectors.Moved):
        return HttpResponsePermanentRedirect(found.edition.get_public_pdf_url())
    edition = selectors.listing(found, get_language()).main
    return edition_pdf(request, number, edition.language)


@require_safe
def edition_pdf(request: HttpRequest, number: int, language: str) -> FileResponse:
    """The PDF the public has of the edition now: its latest version's."""
    edition = selectors.get_public_edition(number, language)
    current = edition.versions.all()[0]
    return pdf_response(current.pdf, pdf_filename(edition, current.number))


@require_safe
def version_pdf(request: HttpRequest, number: int, language: str, version: int) -> FileResponse:
    """The PDF of one published version, earlier ones included: the record stays whole."""
    found = selectors.get_public_version(number, language, version)
    return pdf_response(found.pdf, pdf_filename(found.edition, found.number))
