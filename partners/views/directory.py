"""The public directory of partners: the list, each organisation's profile and its logo.

Approved organisations are public. An organisation that is not (yet) approved is
a 404 for everybody except its own members, the person who registered it and the
coordinators, who see it with a banner giving its status.
"""

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from core.bilingual import bilingual_expression
from locations.models import AdminArea
from partners.access import get_organisation_for_user, may_see_contacts
from partners.disclosure import public_organisations
from partners.filters import OrganisationDirectoryFilter
from partners.forms.registration import LOGO_TYPES
from partners.models import Organisation
from partners.stats import partner_counts_by_type

PAGE_SIZE = 20


def _areas_in_tree_order() -> Prefetch:
    return Prefetch("areas", queryset=AdminArea.objects.order_by("path"))


def _organisation_for_user(user, pk: int) -> Organisation:
    return get_organisation_for_user(
        user, pk, Organisation.objects.prefetch_related(_areas_in_tree_order())
    )


@dataclass
class AreaGroup:
    """The areas of one admin1 area (or the whole country) where an organisation works."""

    area: AdminArea | None
    whole: bool = False
    places: list[AdminArea] = field(default_factory=list)


def _group_by_admin1(areas: list[AdminArea]) -> list[AreaGroup]:
    codes = {area.path.strip("/").split("/")[1] for area in areas if area.level >= 1}
    admin1 = AdminArea.objects.in_bulk(codes, field_name="pcode") if codes else {}
    nationwide = AreaGroup(area=None, whole=True)
    groups: dict[str, AreaGroup] = {}
    for area in areas:
        if area.level == 0:
            nationwide.places.append(area)
            continue
        code = area.path.strip("/").split("/")[1]
        group = groups.setdefault(code, AreaGroup(area=admin1.get(code)))
        if area.level == 1:
            group.whole = True
        else:
            group.places.append(area)
    ordered = sorted(groups.values(), key=lambda group: group.area.path if group.area else "")
    return ([nationwide] if nationwide.places else []) + ordered


@require_safe
def organisation_list(request: HttpRequest) -> HttpResponse:
    approved = public_organisations()
    filterset = OrganisationDirectoryFilter(request.GET or None, queryset=approved)
    results = (
        filterset.qs.annotate(sort_name=bilingual_expression("name"))
        .order_by("sort_name", "pk")
        .prefetch_related(_areas_in_tree_order())
    )
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))

    # Counts by type for the other filters as chosen, so each type reads as a link
    # to the narrower list.
    without_type = request.GET.copy()
    without_type.pop("type", None)
    without_type.pop("page", None)
    facets = OrganisationDirectoryFilter(without_type or None, queryset=approved)
    type_counts = partner_counts_by_type(facets.qs)

    return render(
        request,
        "partners/directory/list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "organisations": page.object_list,
            "type_counts": type_counts,
            "chosen_type": filterset.form.cleaned_data.get("type") if filterset.is_bound else "",
            "is_filtered": filterset.is_bound,
        },
    )


@require_safe
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_for_user(request.user, pk)
    areas = list(organisation.areas.all())
    return render(
        request,
        "partners/directory/detail.html",
        {
            "organisation": organisation,
            "area_groups": _group_by_admin1(areas),
            "show_contact": may_see_contacts(request.user, organisation),
            "show_status": not organisation.is_approved,
        },
    )


@require_safe
def organisation_logo(request: HttpRequest, pk: int) -> FileResponse:
    organisation = _organisation_for_user(request.user, pk)
    if not organisation.logo:
        raise Http404
    try:
        handle = organisation.logo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    suffix = PurePosixPath(organisation.logo.name).suffix.lower()
    content_type = LOGO_TYPES.get(suffix)
    filename = f"logo-{organisation.pk}{suffix if content_type else ''}"
    response = FileResponse(
        handle,
        content_type=content_type or "application/octet-stream",
        as_attachment=content_type is None,
        filename=filename,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # A pending organisation's logo must not sit in a shared cache.
    if organisation.is_approved:
        patch_cache_control(response, public=True, max_age=3600)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


urlpatterns = [
    path("", organisation_list, name="list"),
    path("<int:pk>/", organisation_detail, name="detail"),
    path("<int:pk>/logo/", organisation_logo, name="logo"),
]
