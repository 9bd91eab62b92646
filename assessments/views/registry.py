"""The registry of needs assessments: the filtered list, an assessment's page, exports.

Everybody sees the published assessments open to the public; signed-in members of
partner organisations and coordinators also see the restricted ones, marked as such.
An assessment the user may not read is a 404.
"""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, re_path
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from assessments import selectors
from assessments.access import get_assessment_for_user
from assessments.exports import FORMATS, export_response
from assessments.filters import AssessmentRegistryFilter
from partners.access import reads_member_content

PAGE_SIZE = 20


def _filter(request: HttpRequest) -> AssessmentRegistryFilter:
    # Always bound, so the default sort order applies to an unfiltered list too.
    return AssessmentRegistryFilter(
        request.GET, queryset=selectors.registry_assessments(request.user), request=request
    )


def _private_for_members(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    # What a member sees may include restricted assessments: no shared cache may keep it.
    if request.user.is_authenticated:
        patch_cache_control(response, private=True)
    return response


@require_safe
def assessment_list(request: HttpRequest) -> HttpResponse:
    filterset = _filter(request)
    results = selectors.with_registry_details(filterset.qs)
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    export_query = request.GET.copy()
    export_query.pop("page", None)
    response = render(
        request,
        "assessments/registry/list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "assessments": page.object_list,
            "is_filtered": filterset.is_narrowed,
            "export_query": export_query.urlencode(),
            "sees_restricted": reads_member_content(request.user),
        },
    )
    return _private_for_members(request, response)


@require_safe
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, pk, selectors.assessment_page_queryset())
    findings = list(selectors.findings_of(assessment))
    response = render(
        request,
        "assessments/registry/detail.html",
        {
            "assessment": assessment,
            "findings": findings,
            "area_summary": selectors.severity_by_area(assessment),
            "attachments": list(selectors.attachments_of(assessment)),
        },
    )
    return _private_for_members(request, response)


@require_safe
def assessment_export(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    fmt = (fmt or request.GET.get("format") or "csv").lower()
    if fmt not in FORMATS:
        raise Http404
    return _private_for_members(request, export_response(_filter(request).qs, fmt))


urlpatterns = [
    path("", assessment_list, name="list"),
    path("<int:pk>/", assessment_detail, name="detail"),
    re_path(r"^export\.(?P<fmt>csv|xlsx|hxl)/$", assessment_export, name="export"),
    # The same export with the format as ?format=csv|xlsx|hxl, for forms and scripts.
    path("export/", assessment_export, name="export"),
]
