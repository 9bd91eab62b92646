"""The cluster's identity for every page: its colours as a small stylesheet, and its logo.

A stylesheet rather than a value in each page's template: the pages then need no query for
it (most are served from the page cache anyway), and the Content-Security-Policy, which
allows no inline style, is kept. Browsers keep it five minutes, so a new colour shows on
every page within that time.
"""

from pathlib import PurePosixPath

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition, require_safe

from strategy.models import cluster_profile
from strategy.theme import LOGO_TYPES, colour_rule

STYLESHEET_SECONDS = 300


def _version(request: HttpRequest) -> str:
    return cluster_profile().updated_at.isoformat()


def theme_text() -> str:
    """The custom properties the portal's and the bulletin's stylesheets read, and the logo
    beside the cluster's name in the navigation bar when there is one."""
    profile = cluster_profile()
    rules = [colour_rule(profile.accent_colour)]
    if profile.logo:
        logo = f"{reverse('cluster_logo')}?v={int(profile.updated_at.timestamp())}"
        rules.append(
            '.navbar-brand::before { content: ""; display: inline-block; width: 2rem; '
            f'height: 2rem; background: url("{logo}") center / contain no-repeat; '
            "vertical-align: middle; margin-inline-end: 0.5rem; }"
        )
    return "\n".join(rules) + "\n"


@require_safe
@condition(etag_func=lambda request: _version(request))
def theme_css(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(theme_text(), content_type="text/css; charset=utf-8")
    patch_cache_control(response, public=True, max_age=STYLESHEET_SECONDS)
    return response


@require_safe
def cluster_logo(request: HttpRequest) -> FileResponse:
    profile = cluster_profile()
    suffix = PurePosixPath(profile.logo.name).suffix.lower() if profile.logo else ""
    if suffix not in LOGO_TYPES:
        raise Http404
    try:
        handle = profile.logo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=LOGO_TYPES[suffix])
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, public=True, max_age=3600)
    return response
