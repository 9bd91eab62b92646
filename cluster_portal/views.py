"""Pages composed from several apps (the home page) and the health check."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from cluster_portal.health import health_report


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {})


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    checks, healthy = health_report()
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", "checks": checks},
        status=200 if healthy else 503,
    )
