"""The sitemap (both languages, with hreflang alternates) and robots.txt.

The root URLconf serves them without a language prefix:
``sitemap.xml`` with ``{"sitemaps": sitemaps}`` and ``robots.txt`` with ``robots_txt``.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_safe

from bulletins import selectors as bulletin_selectors
from bulletins.models import Bulletin
from meetings.models import Meeting
from pages.models import Page
from partners.disclosure import public_organisations
from partners.models import Organisation

LANGUAGES = ["en", "ar"]

# Public pages that are not records. A name another app has not registered yet is left out
# rather than breaking the sitemap.
STATIC_PAGES = [
    "home",
    "partners:list",
    "locations:list",
    "meetings:list",
    "pages:list",
    "strategy:current",
    "strategy:domains",
    "bulletins:archive",
]


class BilingualSitemap(Sitemap):
    i18n = True
    languages = LANGUAGES
    alternates = True


class StaticPagesSitemap(BilingualSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self) -> list[str]:
        names = []
        for name in STATIC_PAGES:
            try:
                reverse(name)
            except NoReverseMatch:
                continue
            names.append(name)
        return names

    def location(self, item: str) -> str:
        return reverse(item)


class PagesSitemap(BilingualSitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self) -> QuerySet[Page]:
        return Page.objects.published().order_by("pk")

    def lastmod(self, page: Page):
        return page.updated_at


class PartnersSitemap(BilingualSitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self) -> QuerySet[Organisation]:
        return public_organisations().order_by("pk")


class MeetingsSitemap(BilingualSitemap):
    changefreq = "weekly"
    priority = 0.4

    def items(self) -> QuerySet[Meeting]:
        return Meeting.objects.public().order_by("pk")

    def lastmod(self, meeting: Meeting):
        return meeting.updated_at


class BulletinsSitemap(BilingualSitemap):
    """Each public bulletin once, at its number: each language's address shows its edition
    in that language. Withdrawn ones stay reachable but are not offered."""

    changefreq = "yearly"
    priority = 0.7

    def items(self) -> list[Bulletin]:
        return bulletin_selectors.current_bulletins()

    def location(self, bulletin: Bulletin) -> str:
        return bulletin.get_public_url()

    def lastmod(self, bulletin: Bulletin):
        """When its latest version was published (a revision moves it)."""
        return max(
            version.published_at
            for edition in bulletin_selectors.public_editions(bulletin)
            for version in edition.versions.all()
        )


sitemaps = {
    "static": StaticPagesSitemap,
    "pages": PagesSitemap,
    "partners": PartnersSitemap,
    "meetings": MeetingsSitemap,
    "bulletins": BulletinsSitemap,
}

# Paths a crawler has no business in, in every language.
PRIVATE_PREFIXES = [
    "accounts/",
    "admin/",
    "revisions/",
    "tasks/",
    "pages/manage/",
    "meetings/manage/",
    "partners/review/",
    "partners/coordinators/",
    "partners/mine/",
    "partners/start/",
    "bulletins/manage/",
]


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    disallowed = [f"/{language}/{prefix}" for language in LANGUAGES for prefix in PRIVATE_PREFIXES]
    return render(
        request,
        "robots.txt",
        {
            "disallowed": disallowed,
            "sitemap_url": request.build_absolute_uri(reverse("sitemap")),
        },
        content_type="text/plain; charset=utf-8",
    )
