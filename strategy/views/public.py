"""The public strategy: the current cycle, earlier cycles and the health domains."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_safe

from strategy import progress, selectors
from strategy.models import IndicatorKind, StrategyCycle


def _render_cycle(request: HttpRequest, cycle: StrategyCycle | None) -> HttpResponse:
    earlier = selectors.cycles().filter(is_current=False)
    if cycle is not None:
        earlier = earlier.exclude(pk=cycle.pk)
    return render(
        request,
        "strategy/cycle.html",
        {
            "cycle": cycle,
            "earlier_cycles": earlier,
            "profile": selectors.cluster_profile_for_home(),
            "kinds": IndicatorKind,
            "progress": progress.progress_for(cycle),
        },
    )


@require_safe
def current(request: HttpRequest) -> HttpResponse:
    """The strategy in force; an explanation when none has been published yet."""
    cycle = selectors.cycle_with_content(StrategyCycle.objects.filter(is_current=True)).first()
    return _render_cycle(request, cycle)


@require_safe
def cycle(request: HttpRequest, start_year: int, end_year: int) -> HttpResponse:
    """An earlier strategy, kept readable; the current one lives at the strategy page."""
    found = selectors.cycle_with_content().filter(start_year=start_year, end_year=end_year).first()
    if found is None:
        raise Http404
    if found.is_current:
        return redirect("strategy:current")
    return _render_cycle(request, found)


@require_safe
def domains(request: HttpRequest) -> HttpResponse:
    return render(request, "strategy/domains.html", {"domains": selectors.health_domains()})


urlpatterns = [
    path("", current, name="current"),
    path("<int:start_year>-<int:end_year>/", cycle, name="cycle"),
    path("domains/", domains, name="domains"),
]
