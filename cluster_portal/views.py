"""Pages composed from several apps (the home page) and the health check."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from assessments import selectors as assessment_selectors
from bulletins import selectors as bulletin_selectors
from cluster_portal import composition
from cluster_portal.health import health_report
from meetings import selectors as meeting_selectors
from partners import stats as partner_stats
from strategy import selectors as strategy_selectors


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The cluster's public front page, composed from each app's selectors."""
    key_figures = home_figures()
    cycle = strategy_selectors.current_cycle()
    context = {
        "profile": strategy_selectors.cluster_profile_for_home(),
        "cycle": cycle,
        "key_figures": key_figures,
        "presence_map": composition.presence_map(key_figures["people"].year),
        "next_meetings": meeting_selectors.next_meetings(limit=3),
        "latest_bulletin": bulletin_selectors.latest_published(get_language()),
    }
    return render(request, "home.html", context)


def home_figures() -> dict:
    """The home page's key figures, as the public may see them."""
    return {
        "partners": partner_stats.approved_partner_count(),
        "partners_by_type": partner_stats.partner_counts_by_type(),
        "assessments_recently": assessment_selectors.published_recently_count(),
        "people": composition.headline_this_year(),
        "hospitals": composition.hospitals_now(),
        "attacks": composition.attacks_this_year(),
        "funding": composition.funding_this_year(),
        "coverage": composition.coverage_this_year(),
    }


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    checks, healthy = health_report()
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", "checks": checks},
        status=200 if healthy else 503,
    )
