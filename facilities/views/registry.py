"""Pages of the facility registry: the filtered list, a facility's page, adding and changing
facilities, the list of facility types, and the partners supporting each facility.

Members and coordinators see every facility; the public only when the deployment publishes
their locations (``partners.disclosure.sees_facilities``), else every page is a 404. What a
user may change is ``facilities.policy``'s to say.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.forms import add_bootstrap_classes, add_service_errors
from core.policy import Decision
from facilities import access, policy, selectors, services
from facilities.filters import FacilityFilter
from facilities.forms import FacilityForm, FacilityTypeForm, SupportEndForm, SupportForm
from facilities.models import Facility, FacilityType
from locations.forms import is_area_search, show_for_area_search
from partners.access import reads_member_content
from partners.disclosure import sees_facilities

PAGE_SIZE = 25
HISTORY_PAGE_SIZE = 20


def _allowed(decision: Decision) -> None:
    """Refuse the page with the decision's reason: these are the cluster's own tools, so a
    403 reveals nothing."""
    if not decision:
        raise PermissionDenied(decision.reason)


def _private(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    # A member's page shows statuses under review: no shared cache may keep it.
    if request.user.is_authenticated:
        patch_cache_control(response, private=True)
    return response


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


# --- the list and a facility's page --------------------------------------------------------------


@require_safe
def facility_list(request: HttpRequest) -> HttpResponse:
    if not sees_facilities(request.user):
        raise Http404
    filterset = FacilityFilter(
        request.GET, queryset=selectors.registry(request.user), request=request
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    facilities = list(page.object_list)
    current = selectors.current_status(facilities)
    # The files hold the facilities the filters keep, every page of them.
    export_query = request.GET.copy()
    export_query.pop("page", None)
    response = render(
        request,
        "facilities/list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "rows": [(facility, current.get(facility.pk)) for facility in facilities],
            "is_filtered": filterset.is_narrowed,
            "can_manage": policy.can_manage_facilities(request.user),
            "can_record": policy.can_record_statuses(request.user),
            "can_review": policy.can_review_statuses(request.user),
            "export_query": export_query.urlencode(),
        },
    )
    return _private(request, response)


@require_safe
def facility_detail(request: HttpRequest, pk: int) -> HttpResponse:
    facility = access.get_facility_for_user(request.user, pk, selectors.facility_page_queryset())
    history = Paginator(selectors.facility_history(facility, request.user), HISTORY_PAGE_SIZE)
    page = history.get_page(request.GET.get("page"))
    response = render(
        request,
        "facilities/detail.html",
        {
            "facility": facility,
            "current": selectors.current_status([facility]).get(facility.pk),
            "page_obj": page,
            "history": [
                (
                    status,
                    policy.status_actions(request.user, status),
                    policy.sees_review(request.user, status),
                )
                for status in page
            ],
            "supports": [
                (support, policy.can_end_support(request.user, support))
                for support in selectors.facility_supports(facility)
            ],
            "actions": policy.facility_actions(request.user, facility),
            # Who recorded a status, and from what source, is for members and coordinators.
            "sees_reporters": reads_member_content(request.user),
        },
    )
    return _private(request, response)


# --- adding and changing facilities --------------------------------------------------------------


def _facility_form(request: HttpRequest, facility: Facility | None) -> HttpResponse:
    _allowed(policy.can_manage_facilities(request.user))
    posted = request.method == "POST"
    form = FacilityForm(request.POST if posted else None, facility=facility)
    add_bootstrap_classes(form)
    if is_area_search(request):
        show_for_area_search(form)
    elif posted and form.is_valid():
        values = form.service_values()
        domains = form.cleaned_data["domains"]
        try:
            if facility is None:
                saved = services.facility_create(values=values, domains=domains, by=request.user)
            else:
                saved = services.facility_update(
                    facility=facility, values=values, domains=domains, by=request.user
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(facility)s is saved, in %(area)s.") % {"facility": saved, "area": saved.area},
            )
            return redirect("facilities:detail", pk=saved.pk)
    return render(
        request,
        "facilities/form.html",
        {"form": form, "facility": facility},
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def facility_create(request: HttpRequest) -> HttpResponse:
    return _facility_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def facility_edit(request: HttpRequest, pk: int) -> HttpResponse:
    facility = access.get_facility_for_user(request.user, pk, selectors.facility_page_queryset())
    return _facility_form(request, facility)


# --- facility types ------------------------------------------------------------------------------


@login_required
@require_safe
def type_list(request: HttpRequest) -> HttpResponse:
    _allowed(policy.can_manage_types(request.user))
    return render(
        request,
        "facilities/types.html",
        {"types": list(selectors.facility_types())},
    )


def _type_form(request: HttpRequest, facility_type: FacilityType | None) -> HttpResponse:
    _allowed(policy.can_manage_types(request.user))
    posted = request.method == "POST"
    form = FacilityTypeForm(request.POST if posted else None, facility_type=facility_type)
    add_bootstrap_classes(form)
    if posted and form.is_valid():
        try:
            if facility_type is None:
                services.facility_type_create(values=form.service_values(), by=request.user)
            else:
                services.facility_type_update(
                    facility_type=facility_type, values=form.service_values(), by=request.user
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The facility type is saved."))
            return redirect("facilities:types")
    return render(
        request,
        "facilities/type_form.html",
        {"form": form, "facility_type": facility_type},
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def type_create(request: HttpRequest) -> HttpResponse:
    return _type_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def type_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _allowed(policy.can_manage_types(request.user))
    return _type_form(request, access.get_type_or_404(pk))


# --- supports ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def support_add(request: HttpRequest, pk: int) -> HttpResponse:
    facility = access.get_facility_for_user(request.user, pk)
    _allowed(policy.can_manage_supports(request.user))
    posted = request.method == "POST"
    form = SupportForm(request.POST if posted else None)
    add_bootstrap_classes(form)
    if posted and form.is_valid():
        try:
            support = services.support_add(facility=facility, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The support of %(organisation)s is recorded.")
                % {"organisation": support.organisation.name},
            )
            return redirect("facilities:detail", pk=facility.pk)
    return render(
        request,
        "facilities/support_form.html",
        {"form": form, "facility": facility},
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def support_end(request: HttpRequest, pk: int) -> HttpResponse:
    _allowed(policy.can_manage_supports(request.user))
    support = access.get_support_or_404(pk)
    decision = policy.can_end_support(request.user, support)
    if not decision:
        messages.error(request, decision.reason)
        return redirect("facilities:detail", pk=support.facility_id)
    posted = request.method == "POST"
    form = SupportEndForm(request.POST if posted else None)
    add_bootstrap_classes(form)
    if posted and form.is_valid():
        try:
            services.support_end(support=support, end=form.cleaned_data["end"], by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The end of the support of %(organisation)s is recorded.")
                % {"organisation": support.organisation.name},
            )
            return redirect("facilities:detail", pk=support.facility_id)
    return render(
        request,
        "facilities/support_end.html",
        {"form": form, "support": support, "facility": support.facility},
        status=_status(form),
    )


urlpatterns = [
    path("", facility_list, name="list"),
    path("new/", facility_create, name="create"),
    path("<int:pk>/", facility_detail, name="detail"),
    path("<int:pk>/edit/", facility_edit, name="edit"),
    path("<int:pk>/supports/new/", support_add, name="support_add"),
    path("supports/<int:pk>/end/", support_end, name="support_end"),
    path("types/", type_list, name="types"),
    path("types/new/", type_create, name="type_create"),
    path("types/<int:pk>/edit/", type_edit, name="type_edit"),
]
