"""Who has reported: completeness of a period and over a year (coordinators), and a partner's
history of reports. Reopening a locked period for one organisation starts here too."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from activities import selectors
from activities.forms.catalogue import ReopenForm
from activities.models import PeriodReopening, ReportingPeriod
from activities.services import periods as period_services
from activities.views.catalogue import add_service_errors
from core.decorators import coordinator_required
from core.emails import told_by_email
from core.inputs import query_int
from partners.access import get_scoped_or_404, is_coordinator, user_organisation
from partners.models import Organisation


@require_safe
@coordinator_required
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(ReportingPeriod, pk=pk)
    return render(
        request,
        "activities/completeness/period_detail.html",
        {
            "period": period,
            "completeness": selectors.period_completeness(period),
            "locked": period.is_locked(),
            "time_zone": period_services.cluster_timezone().key,
        },
    )


@require_http_methods(["GET", "POST"])
@coordinator_required
def period_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(ReportingPeriod, pk=pk)
    if request.method == "POST":
        form = ReopenForm(request.POST)
        if form.is_valid():
            try:
                reopening = period_services.period_reopen(
                    period=period, **form.cleaned_data, by=request.user
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                reopened = _("%(period)s is reopened for %(organisation)s.") % {
                    "period": period,
                    "organisation": reopening.organisation.name,
                }
                told = told_by_email(period_services.focal_points(reopening.organisation))
                messages.success(request, f"{reopened} {told}")
                return redirect("activities:period_detail", pk=period.pk)
    else:
        initial = {}
        asked = query_int(request.GET, "organisation", minimum=1)
        organisation_pk = (
            Organisation.objects.approved().filter(pk=asked).values_list("pk", flat=True).first()
            if asked is not None
            else None
        )
        if organisation_pk is not None:
            initial["organisation"] = organisation_pk
            existing = PeriodReopening.objects.filter(
                period=period, organisation_id=organisation_pk
            ).first()
            if existing is not None:
                initial.update(until=existing.until, reason=existing.reason)
        form = ReopenForm(initial=initial)
    return render(
        request,
        "activities/completeness/period_reopen.html",
        {
            "period": period,
            "form": form,
            "locked": period.is_locked(),
            "time_zone": period_services.cluster_timezone().key,
        },
    )


@require_safe
@coordinator_required
def completeness(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "activities/completeness/completeness.html",
        {"table": selectors.completeness_table(), "states": selectors.STATE_LABELS},
    )


def _history_organisation(user, asked: str) -> Organisation | None:
    """The organisation named in the query, if the user's scope holds it (a 404 otherwise);
    with none named, the member's own and nothing yet for a coordinator."""
    if not asked:
        return None if is_coordinator(user) else user_organisation(user)
    queryset = Organisation.objects.all()
    if is_coordinator(user):
        queryset = queryset.filter(status__in=selectors.LISTED_STATUSES)
    return get_scoped_or_404(queryset, user, asked, organisation_field="pk")


@require_safe
@login_required
def history(request: HttpRequest) -> HttpResponse:
    """A member sees their organisation's reports; a coordinator any organisation's.

    A member who names another organisation gets a 404, as for any record of another
    organisation.
    """
    coordinator = is_coordinator(request.user)
    listed = Organisation.objects.filter(status__in=selectors.LISTED_STATUSES)
    organisations = list(listed.order_by("name_en")) if coordinator else []
    organisation = _history_organisation(request.user, request.GET.get("organisation", ""))
    page_obj = None
    if organisation is not None:
        page_obj = Paginator(selectors.organisation_history(organisation), 24).get_page(
            request.GET.get("page")
        )
    return render(
        request,
        "activities/completeness/history.html",
        {
            "organisation": organisation,
            "organisations": organisations,
            "coordinator": coordinator,
            "page_obj": page_obj,
            "now": timezone.now(),
        },
    )


urlpatterns = [
    path("periods/<int:pk>/", period_detail, name="period_detail"),
    path("periods/<int:pk>/reopen/", period_reopen, name="period_reopen"),
    path("completeness/", completeness, name="completeness"),
    path("history/", history, name="history"),
]
