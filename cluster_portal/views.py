"""Pages composed from several apps (the home page) and the health check."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from cluster_portal.health import health_report
from partners import stats as partner_stats


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The cluster's public front page: its purpose and its key figures."""
    key_figures = {
        "partners": partner_stats.approved_partner_count(),
        "partners_by_type": partner_stats.partner_counts_by_type(),
    }
    return render(request, "home.html", {"key_figures": key_figures})


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    checks, healthy = health_report()
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", "checks": checks},
        status=200 if healthy else 503,
    )
