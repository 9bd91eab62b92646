"""The activity catalogue (public) and the reporting periods (coordinators)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from activities import selectors
from activities.forms.catalogue import ActivityForm, PeriodEditForm, PeriodForm
from activities.models import Activity, ReportingPeriod
from activities.services import catalogue as catalogue_services
from activities.services import periods as period_services
from core.decorators import coordinator_required
from partners.access import is_coordinator


def add_service_errors(form: BaseForm, error: ValidationError) -> None:
    """Put a service's errors on their fields, or above the form for fields it lacks."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- reporting periods ----------------------------------------------------------------------------


@require_safe
@coordinator_required
def period_list(request: HttpRequest) -> HttpResponse:
    periods = Paginator(ReportingPeriod.objects.order_by("-year", "-month"), 24)
    year, month = period_services.next_period_month()
    return render(
        request,
        "activities/catalogue/period_list.html",
        {
            "page_obj": periods.get_page(request.GET.get("page")),
            "next_period": ReportingPeriod(year=year, month=month),
            "time_zone": period_services.cluster_timezone().key,
        },
    )


@require_http_methods(["GET", "POST"])
@coordinator_required
def period_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = PeriodForm(request.POST)
        if form.is_valid():
            try:
                period = period_services.period_create(**form.cleaned_data, by=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("The reporting period %(period)s is saved.") % {"period": period}
                )
                return redirect("activities:periods")
    else:
        year, month = period_services.next_period_month()
        opens_at, deadline = period_services.default_window(year, month)
        form = PeriodForm(
            initial={"year": year, "month": month, "opens_at": opens_at, "deadline": deadline}
        )
    return render(
        request,
        "activities/catalogue/period_form.html",
        {
            "form": form,
            "title": _("New reporting period"),
            "time_zone": period_services.cluster_timezone().key,
        },
    )


@require_POST
@coordinator_required
def period_create_next(request: HttpRequest) -> HttpResponse:
    try:
        period = period_services.period_create_next(by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The reporting period %(period)s is created with the usual dates.")
            % {"period": period},
        )
    return redirect("activities:periods")


@require_http_methods(["GET", "POST"])
@coordinator_required
def period_edit(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(ReportingPeriod, pk=pk)
    if request.method == "POST":
        form = PeriodEditForm(request.POST)
        if form.is_valid():
            try:
                period_services.period_update(period=period, **form.cleaned_data, by=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("The reporting period %(period)s is saved.") % {"period": period}
                )
                return redirect("activities:periods")
    else:
        form = PeriodEditForm(
            initial={
                "opens_at": period.opens_at,
                "deadline": period.deadline,
                "projects_required": period.projects_required,
            }
        )
    return render(
        request,
        "activities/catalogue/period_form.html",
        {
            "form": form,
            "period": period,
            "title": _("The reporting period %(period)s") % {"period": period},
            "time_zone": period_services.cluster_timezone().key,
        },
    )


# --- the catalogue --------------------------------------------------------------------------------


@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    coordinator = is_coordinator(request.user)
    groups = selectors.catalogue_by_indicator()
    retired = (
        Activity.objects.filter(is_active=False).select_related("indicator").order_by("code")
        if coordinator
        else []
    )
    return render(
        request,
        "activities/catalogue/catalogue.html",
        {"groups": groups, "retired": retired, "coordinator": coordinator},
    )


def _activity_fields(form: ActivityForm) -> dict:
    data = dict(form.cleaned_data)
    data.pop("domains")
    data["feeds"] = {relation: data.pop(relation) for relation in catalogue_services.FEEDS}
    return data


@require_http_methods(["GET", "POST"])
@coordinator_required
def activity_create(request: HttpRequest) -> HttpResponse:
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            activity = catalogue_services.activity_create(
                domains=form.cleaned_data["domains"], by=request.user, **_activity_fields(form)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The activity %(activity)s is in the catalogue.") % {"activity": activity},
            )
            return redirect("activities:catalogue")
    return render(
        request,
        "activities/catalogue/activity_form.html",
        {"form": form, "title": _("New activity")},
    )


@require_http_methods(["GET", "POST"])
@coordinator_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity, pk=pk)
    form = ActivityForm(request.POST or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        try:
            activity = catalogue_services.activity_update(
                activity=activity,
                domains=form.cleaned_data["domains"],
                by=request.user,
                **_activity_fields(form),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The activity %(activity)s is saved.") % {"activity": activity}
            )
            return redirect("activities:catalogue")
    return render(
        request,
        "activities/catalogue/activity_form.html",
        {
            "form": form,
            "activity": activity,
            "title": _("Edit the activity %(code)s") % {"code": activity.code},
        },
    )


@require_POST
@coordinator_required
def activity_retire(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity, pk=pk)
    try:
        catalogue_services.activity_retire(activity=activity, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The activity %(activity)s is out of the catalogue. Reports that used it keep it.")
            % {"activity": activity},
        )
    return redirect(reverse("activities:catalogue"))


urlpatterns = [
    path("periods/", period_list, name="periods"),
    path("periods/new/", period_create, name="period_create"),
    path("periods/next/", period_create_next, name="period_create_next"),
    path("periods/<int:pk>/edit/", period_edit, name="period_edit"),
    path("catalogue/", catalogue, name="catalogue"),
    path("catalogue/new/", activity_create, name="activity_create"),
    path("catalogue/<int:pk>/edit/", activity_edit, name="activity_edit"),
    path("catalogue/<int:pk>/retire/", activity_retire, name="activity_retire"),
]
