"""Reminders a coordinator sends by hand from the period page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities.models import ReportingPeriod
from activities.services import reminders as services
from core.decorators import coordinator_required
from partners.models import Organisation


@require_POST
@coordinator_required
def period_remind(request: HttpRequest, pk: int, organisation_pk: int) -> HttpResponse:
    period = get_object_or_404(ReportingPeriod, pk=pk)
    organisation = get_object_or_404(Organisation, pk=organisation_pk)
    try:
        services.reminder_record_manual(period=period, organisation=organisation, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("A reminder about %(period)s is on its way to %(organisation)s.")
            % {"period": period, "organisation": organisation.name},
        )
    return redirect("activities:period_detail", pk=period.pk)


urlpatterns = [
    path(
        "periods/<int:pk>/remind/<int:organisation_pk>/",
        period_remind,
        name="period_remind",
    ),
]
