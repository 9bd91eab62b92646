"""Pages of the facility statuses: recording one, correcting a returned one, an
organisation's statuses, and the coordinators' review (validate, or return with a comment).

A status is reached through ``facilities.access`` (one the user may not read is a 404);
what the user may do with it is ``facilities.policy``'s to say. Validation answers GET with
the shared confirmation page (``core.confirm``) and acts only on its POST.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.confirm import Confirmation, back_url, confirmation_page
from core.emails import emailed_people, told_by_email
from core.forms import add_bootstrap_classes, add_service_errors
from core.inputs import query_int
from core.policy import Decision, refused_response
from facilities import access, policy, selectors, services
from facilities.forms import ReturnForm, StatusForm
from facilities.models import FacilityStatus, FacilitySupport, ReviewState
from partners.access import is_coordinator, user_organisation
from partners.models import Organisation

PAGE_SIZE = 25


def _allowed(decision: Decision) -> None:
    if not decision:
        raise PermissionDenied(decision.reason)


def _facility_url(status: FacilityStatus) -> str:
    return reverse("facilities:detail", kwargs={"pk": status.facility_id})


def _described(status: FacilityStatus) -> dict:
    return {
        "facility": status.facility,
        "date": formats.date_format(status.as_of, "DATE_FORMAT"),
    }


# --- recording and correcting --------------------------------------------------------------------


def _reporting_organisations():
    """The partners a coordinator may record a status for: approved ones supporting some
    facility (whether on the status's day is checked with the form)."""
    return (
        Organisation.objects.approved()
        .filter(pk__in=FacilitySupport.objects.values("organisation_id"))
        .order_by("name_en")
    )


@login_required
@require_http_methods(["GET", "POST"])
def status_record(request: HttpRequest) -> HttpResponse:
    _allowed(policy.can_record_statuses(request.user))
    coordinator = is_coordinator(request.user)
    facilities = selectors.facilities_recordable_by(request.user)
    posted = request.method == "POST"
    chosen = query_int(request.GET, "facility")
    form = StatusForm(
        request.POST if posted else None,
        facilities=facilities,
        organisations=_reporting_organisations() if coordinator else None,
        initial={"facility": chosen} if chosen else None,
    )
    add_bootstrap_classes(form)
    if posted and form.is_valid():
        facility = form.cleaned_data["facility"]
        try:
            status = services.status_record(
                facility=facility,
                values=form.service_values(),
                organisation=form.cleaned_data.get("organisation"),
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The status of %(facility)s on %(date)s is recorded. It counts once the "
                    "coordinators validate it."
                )
                % _described(status),
            )
            if "another" in request.POST:
                return redirect("facilities:status_record")
            return redirect("facilities:detail", pk=facility.pk)
    return render(
        request,
        "facilities/status_form.html",
        {
            "form": form,
            "status": None,
            "organisation": None if coordinator else user_organisation(request.user),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def status_edit(request: HttpRequest, pk: int) -> HttpResponse:
    status = access.get_status_for_user(request.user, pk)
    decision = policy.can_edit_status(request.user, status)
    if not decision:
        return refused_response(request, decision, "facilities:detail", pk=status.facility_id)
    posted = request.method == "POST"
    form = StatusForm(request.POST if posted else None, status=status)
    add_bootstrap_classes(form)
    if posted and form.is_valid():
        try:
            services.status_update(status=status, values=form.service_values(), by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The status is corrected and goes back to the coordinators for review."),
            )
            return redirect("facilities:detail", pk=status.facility_id)
    return render(
        request,
        "facilities/status_form.html",
        {"form": form, "status": status, "organisation": status.organisation},
        status=400 if form.is_bound and form.errors else 200,
    )


STATE_FILTERS = [choice.value for choice in ReviewState]


@login_required
@require_safe
def statuses_mine(request: HttpRequest) -> HttpResponse:
    """The statuses the user's organisation recorded, those returned first."""
    organisation = user_organisation(request.user)
    state = request.GET.get("state", "")
    if state not in STATE_FILTERS:
        state = ""
    statuses = selectors.organisation_statuses(organisation, state=state)
    page = Paginator(statuses, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "facilities/statuses_mine.html",
        {
            "organisation": organisation,
            "page_obj": page,
            "rows": [(status, policy.status_actions(request.user, status)) for status in page],
            "state": state,
            "states": ReviewState.choices,
            "can_record": policy.can_record_statuses(request.user),
        },
    )


# --- the review ----------------------------------------------------------------------------------


@login_required
@require_safe
def review_queue(request: HttpRequest) -> HttpResponse:
    _allowed(policy.can_review_statuses(request.user))
    page = Paginator(selectors.review_queue(), PAGE_SIZE).get_page(request.GET.get("page"))
    statuses = list(page.object_list)
    current = selectors.current_status({status.facility_id for status in statuses})
    return render(
        request,
        "facilities/review_queue.html",
        {
            "page_obj": page,
            "rows": [(status, current.get(status.facility_id)) for status in statuses],
            "here": request.get_full_path(),
        },
    )


def _refused(request: HttpRequest, decision: Decision, status: FacilityStatus) -> HttpResponse:
    return refused_response(request, decision, "facilities:detail", pk=status.facility_id)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def status_validate(request: HttpRequest, pk: int) -> HttpResponse:
    """GET says what validating does (``core.confirm``); the POST from its button validates."""
    status = access.get_status_for_user(request.user, pk)
    decision = policy.can_validate(request.user, status)
    if not decision:
        return _refused(request, decision, status)
    back = back_url(request, _facility_url(status))
    if request.method != "POST":
        return confirmation_page(request, _validate_confirmation(status, back))
    try:
        services.status_validate(status=status, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The status of %(facility)s on %(date)s is validated.") % _described(status)
        )
    return HttpResponseRedirect(back)


def _validate_confirmation(status: FacilityStatus, back: str) -> Confirmation:
    values = _described(status)
    return Confirmation(
        title=_("Validate the status of %(facility)s on %(date)s?") % values,
        button=_("Validate the status"),
        consequences=[
            _(
                "It becomes the facility's current status unless a newer one is validated, "
                "and counts in the cluster's figures: the dashboard, the home page and the "
                "bulletins not yet published."
            ),
            _(
                "A validated status is kept as it is. A change is recorded as a new status, "
                "which the coordinators review in turn."
            ),
            _("Nobody is emailed: the status shows as validated on the facility's page."),
        ],
        cancel_url=back,
    )


def _who_is_emailed(status: FacilityStatus) -> str:
    return emailed_people(services.told_of_return(status)) or _(
        "Nobody can be emailed about this status (its recorder has left and the organisation "
        "has no focal point with an address the portal can use): tell them yourself."
    )


@login_required
@require_http_methods(["GET", "POST"])
def status_return(request: HttpRequest, pk: int) -> HttpResponse:
    status = access.get_status_for_user(request.user, pk)
    decision = policy.can_return(request.user, status)
    if not decision:
        return _refused(request, decision, status)
    back = back_url(request, _facility_url(status))
    form = ReturnForm(request.POST if request.method == "POST" else None)
    add_bootstrap_classes(form)
    if request.method == "POST" and form.is_valid():
        try:
            services.status_return(
                status=status, by=request.user, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            told = told_by_email(services.told_of_return(status))
            messages.success(
                request, "{} {}".format(_("The status is returned for correction."), told)
            )
            return HttpResponseRedirect(back)
    return render(
        request,
        "facilities/return.html",
        {
            "status": status,
            "form": form,
            "emailed": _who_is_emailed(status),
            "back": back,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


urlpatterns = [
    path("statuses/new/", status_record, name="status_record"),
    path("statuses/mine/", statuses_mine, name="statuses_mine"),
    path("statuses/review/", review_queue, name="review_queue"),
    path("statuses/<int:pk>/edit/", status_edit, name="status_edit"),
    path("statuses/<int:pk>/validate/", status_validate, name="status_validate"),
    path("statuses/<int:pk>/return/", status_return, name="status_return"),
]
