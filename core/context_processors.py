"""Values every page template needs: the other language's URL and the demo flag."""

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.translation import get_language, override


def other_language_url(request: HttpRequest, language: str) -> str:
    """The page of this request in ``language``, or that language's home page.

    The link is built from the URL the path resolved to (its name and arguments, reversed in
    the other language), never from the path as the browser sent it: a path such as
    ``//evil.example/login`` has no page, and echoing it would make a link to another site.
    The query string of a page that resolved is kept, re-encoded from its parsed parameters,
    so that it can only ever be a query string of this site's page; a path that does not
    resolve (the 404 page) links to the home page, without one.
    """
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    with override(language):
        if match is not None and match.url_name:
            try:
                url = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                pass
            else:
                query = request.GET.urlencode(safe="/")
                return f"{url}?{query}" if query else url
        return reverse("home")


def portal(request: HttpRequest) -> dict:
    current = (get_language() or settings.LANGUAGE_CODE)[:2]
    other = "en" if current == "ar" else "ar"
    return {
        "other_language": other,
        "other_language_url": other_language_url(request, other),
        "is_rtl": current == "ar",
        "demo_mode": settings.DEMO_MODE,
    }
