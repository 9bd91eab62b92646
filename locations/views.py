"""Pages of the locations app: browsing the areas, searching them, loading a COD-AB file."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_safe

from locations.forms import QUERY_MAX_LENGTH, AdminAreaUploadForm
from locations.loader import AdminAreaFileError
from locations.models import AdminArea, AdminLevel
from locations.selectors import area_counts_by_level, area_search, areas_for_browsing
from locations.services import admin_areas_load

PAGE_SIZE = 50
PROBLEMS_SHOWN = 200


@require_safe
def area_list(request: HttpRequest) -> HttpResponse:
    """The public tree: admin1 areas first, then one level down per click."""
    parent_pcode = request.GET.get("parent", "").strip()
    parent = None
    ancestors: list[AdminArea] = []
    if parent_pcode:
        parent = get_object_or_404(AdminArea, pcode=parent_pcode)
        ancestors = [area for area in parent.ancestors() if area.level > 0]
    page = Paginator(areas_for_browsing(parent), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "locations/area_list.html",
        {"parent": parent, "ancestors": ancestors, "page": page, "areas": page.object_list},
    )


@cache_control(max_age=60)
@require_safe
def area_search_json(request: HttpRequest) -> JsonResponse:
    """Areas matching ``q`` (name in either language or p-code), for the area picker."""
    levels: list[int] = []
    for raw in request.GET.getlist("level"):
        for part in filter(None, (piece.strip() for piece in raw.split(","))):
            if not part.isdigit() or int(part) not in AdminLevel.values:
                return JsonResponse({"error": _("The level must be 0, 1, 2 or 3.")}, status=400)
            levels.append(int(part))
    query = request.GET.get("q", "")[:QUERY_MAX_LENGTH]
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
                    data=form.cleaned_data["file"].read(),
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
    )
