"""The facility registry's files: the facilities with their current status for whoever sees
them, and the history of their statuses for coordinators; each filtered as the list is, as
CSV, Excel or CSV with HXL hashtags (``facilities.exports``)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import re_path, reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from facilities import exports, policy, selectors
from facilities.filters import FacilityFilter
from facilities.models import Facility
from partners.disclosure import sees_facilities


def _filtered(request: HttpRequest, facilities) -> FacilityFilter:
    return FacilityFilter(request.GET, queryset=facilities, request=request)


def _back_to_the_list(request: HttpRequest) -> HttpResponse:
    # The list says what is wrong with the filters, rather than a file without them.
    return redirect(f"{reverse('facilities:list')}?{request.GET.urlencode()}")


def _private(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if request.user.is_authenticated:
        patch_cache_control(response, private=True)
    return response


@require_safe
def facility_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The facilities, filtered as the list is, with their current status."""
    if fmt not in exports.FORMATS or not sees_facilities(request.user):
        raise Http404
    filterset = _filtered(request, selectors.registry(request.user))
    if filterset.is_bound and request.GET and not filterset.form.is_valid():
        return _back_to_the_list(request)
    return _private(request, exports.registry_response(filterset.qs, fmt))


@login_required
@require_safe
def status_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Every status of the facilities, filtered as the list is, in every review state."""
    decision = policy.can_review_statuses(request.user)
    if not decision:
        raise PermissionDenied(decision.reason)
    if fmt not in exports.FORMATS:
        raise Http404
    filterset = _filtered(request, selectors.with_current_status(Facility.objects.all()))
    if filterset.is_bound and request.GET and not filterset.form.is_valid():
        return _back_to_the_list(request)
    response = exports.history_response(filterset.qs, fmt)
    # Statuses under review and their sources: no cache may keep them.
    patch_cache_control(response, private=True, no_store=True)
    return response


urlpatterns = [
    re_path(r"^export\.(?P<fmt>csv|xlsx|hxl)/$", facility_export, name="export"),
    re_path(r"^statuses/export\.(?P<fmt>csv|xlsx|hxl)/$", status_export, name="status_export"),
]
