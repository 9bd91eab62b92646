"""Pages of the locations app: browsing the areas, searching them, loading a COD-AB file and
the population per area (a COD-PS table)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_safe

from core.decorators import coordinator_required
from core.inputs import UNSTORABLE_TEXT, is_storable_text, query_text, whole_number_or_none
from locations.forms import QUERY_MAX_LENGTH, AdminAreaUploadForm, PopulationUploadForm
from locations.loader import AdminAreaFileError
from locations.models import AdminArea, AdminLevel
from locations.population import PopulationFileError
from locations.selectors import (
    area_counts_by_level,
    area_search,
    areas_for_browsing,
    population_by_area,
    population_years,
)
from locations.services import admin_areas_load, area_populations_load

PAGE_SIZE = 50
PROBLEMS_SHOWN = 200


@require_safe
def area_list(request: HttpRequest) -> HttpResponse:
    """The public tree: admin1 areas first, then one level down per click."""
    parent_pcode = request.GET.get("parent", "").strip()
    parent = None
    ancestors: list[AdminArea] = []
    if not is_storable_text(parent_pcode):
        raise Http404  # no area has such a p-code
    if parent_pcode:
        parent = get_object_or_404(AdminArea, pcode=parent_pcode)
        ancestors = [area for area in parent.ancestors() if area.level > 0]
    page = Paginator(areas_for_browsing(parent), PAGE_SIZE).get_page(request.GET.get("page"))
    areas = list(page.object_list)
    populations = population_by_area([area.pk for area in areas], timezone.localdate().year)
    return render(
        request,
        "locations/area_list.html",
        {
            "parent": parent,
            "ancestors": ancestors,
            "page": page,
            "areas": areas,
            "rows": [(area, populations.get(area.pk)) for area in areas],
            "population_sources": sorted({figure.source for figure in populations.values()}),
        },
    )


def _levels(raw_values: list[str]) -> list[int] | None:
    """The levels asked for ("1,2" or several parameters); None when one is not a level."""
    levels = []
    for raw in raw_values:
        for part in filter(None, (piece.strip() for piece in raw.split(","))):
            level = whole_number_or_none(part, maximum=max(AdminLevel.values))
            if level is None:
                return None
            levels.append(level)
    return levels


@cache_control(max_age=60)
@require_safe
def area_search_json(request: HttpRequest) -> JsonResponse:
    """Areas matching ``q`` (name in either language or p-code), for the area picker."""
    levels = _levels(request.GET.getlist("level"))
    if levels is None:
        return JsonResponse({"error": _("The level must be 0, 1, 2 or 3.")}, status=400)
    query = query_text(request.GET, "q", max_length=QUERY_MAX_LENGTH)
    if query is None:
        return JsonResponse({"error": str(UNSTORABLE_TEXT)}, status=400)
    results = []
    for area in area_search(query, levels=levels):
        parent = area.parent.name if area.parent_id else None
        if parent:
            label = _("%(name)s (%(pcode)s) — %(parent)s") % {
                "name": area.name,
                "pcode": area.pcode,
                "parent": parent,
            }
        else:
            label = _("%(name)s (%(pcode)s)") % {"name": area.name, "pcode": area.pcode}
        results.append(
            {
                "pcode": area.pcode,
                "name": str(area.name),
                "level": area.level,
                "parent": str(parent) if parent else None,
                "parent_pcode": area.parent.pcode if area.parent_id else None,
                "label": label,
            }
        )
    return JsonResponse(results, safe=False)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """Coordinators load or refresh the areas from an OCHA COD-AB style CSV."""
    if not request.user.is_cluster_coordinator:
        raise PermissionDenied
    report = None
    problems = None
    if request.method == "POST":
        form = AdminAreaUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                report = admin_areas_load(
                    data=form.cleaned_data["file"],
                    by=request.user,
                    dry_run=form.cleaned_data["dry_run"],
                )
            except AdminAreaFileError as error:
                problems = error.problems
                messages.error(
                    request, _("Nothing was loaded: the file has problems, listed below.")
                )
            else:
                if report.dry_run:
                    messages.info(request, _("The file is correct. Nothing was loaded yet."))
                else:
                    messages.success(request, _("The areas were loaded."))
                form = AdminAreaUploadForm()
    else:
        form = AdminAreaUploadForm()
    return render(
        request,
        "locations/upload.html",
        {
            "form": form,
            "report": report,
            "problems": problems[:PROBLEMS_SHOWN] if problems else None,
            "problem_count": len(problems) if problems else 0,
            "problems_hidden": max(0, len(problems) - PROBLEMS_SHOWN) if problems else 0,
            "counts": area_counts_by_level(),
        },
        status=400 if form.errors or problems else 200,
    )


@coordinator_required
@require_http_methods(["GET", "HEAD", "POST"])
def population_upload(request: HttpRequest) -> HttpResponse:
    """Coordinators load the population per area and year from an OCHA COD-PS table."""
    report = None
    problems = None
    if request.method == "POST":
        form = PopulationUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                report = area_populations_load(
                    data=form.cleaned_data["file"],
                    year=form.cleaned_data["year"],
                    source=form.cleaned_data["source"],
                    by=request.user,
                    dry_run=form.cleaned_data["dry_run"],
                )
            except PopulationFileError as error:
                problems = error.problems
                messages.error(
                    request, _("Nothing was loaded: the file has problems, listed below.")
                )
            else:
                if report.dry_run:
                    messages.info(request, _("The file is correct. Nothing was loaded yet."))
                else:
                    messages.success(request, _("The population figures were loaded."))
                # The file must be chosen again; the year and source need not be typed again.
                form = PopulationUploadForm(
                    initial={"year": form.cleaned_data["year"], "source": report.source}
                )
    else:
        form = PopulationUploadForm()
    return render(
        request,
        "locations/population_upload.html",
        {
            "form": form,
            "report": report,
            "problems": problems[:PROBLEMS_SHOWN] if problems else None,
            "problem_count": len(problems) if problems else 0,
            "problems_hidden": max(0, len(problems) - PROBLEMS_SHOWN) if problems else 0,
            "in_sheets": any(problem.sheet for problem in problems or []),
            "years": population_years(),
        },
        status=400 if form.errors or problems else 200,
    )
