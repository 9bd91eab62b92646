"""Pages of attacks on health care: the list and its filters, an incident's page, the report
and its correction, the coordinators' queue, verification and dismissal, and the SSA export.

The pages are for coordinators and members of partner organisations
(``incident_policy.can_read``): a visitor is asked to sign in, anybody else gets a 403 (the
section is the cluster's, refusing it reveals no record). An incident the user may not see
is a 404 (``incident_selectors.get_incident_for_user``). What the user may do with it is
``facilities.incident_policy``'s to say; verifying and dismissing ask first on the shared
confirmation page (``core.confirm``).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.confirm import Confirmation, confirmation_page
from core.decorators import coordinator_required
from core.emails import emailed_people, told_by_email
from core.forms import add_bootstrap_classes, add_service_errors
from core.policy import Decision, refused_response
from facilities import incident_policy as policy
from facilities import incident_selectors as selectors
from facilities import incident_services as services
from facilities.incident_exports import FORMATS, export_response
from facilities.incident_filters import IncidentFilter
from facilities.incident_forms import DismissForm, IncidentForm
from facilities.models import Incident, Resource
from locations.forms import is_area_search, show_for_area_search

PAGE_SIZE = 20


def _check(decision: Decision) -> None:
    if not decision:
        raise PermissionDenied(decision.reason)


def _private(response: HttpResponse) -> HttpResponse:
    # Incidents are sensitive: no shared cache may keep what a member saw.
    patch_cache_control(response, private=True, no_store=True)
    return response


def _detail(incident: Incident) -> HttpResponse:
    return redirect("incidents:detail", pk=incident.pk)


def _refused(request: HttpRequest, decision: Decision, incident: Incident) -> HttpResponse:
    return refused_response(request, decision, "incidents:detail", pk=incident.pk)


def _readable_incident(request: HttpRequest, pk: int) -> Incident:
    _check(policy.can_read(request.user))
    return selectors.get_incident_for_user(request.user, pk)


# --- the list and an incident's page -----------------------------------------------------------


@login_required
@require_safe
def incident_list(request: HttpRequest) -> HttpResponse:
    _check(policy.can_read(request.user))
    filterset = IncidentFilter(request.GET, queryset=selectors.incident_list(request.user))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    export_query = request.GET.copy()
    export_query.pop("page", None)
    export_query.pop("state", None)  # the export holds verified incidents only
    response = render(
        request,
        "facilities/incidents/list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "incidents": page.object_list,
            "is_filtered": filterset.is_narrowed,
            "can_report": policy.can_report(request.user),
            "reviews": policy.can_review(request.user),
            "export_query": export_query.urlencode(),
        },
    )
    return _private(response)


@login_required
@require_safe
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _readable_incident(request, pk)
    response = render(
        request,
        "facilities/incidents/detail.html",
        {
            "incident": incident,
            "actions": policy.incident_actions(request.user, incident),
            "resources": [label for code, label in Resource.choices if code in incident.resources],
        },
    )
    return _private(response)


# --- reporting and correcting ------------------------------------------------------------------


def _render_form(
    request: HttpRequest, form: IncidentForm, incident: Incident | None
) -> HttpResponse:
    status = 400 if request.method == "POST" and form.errors else 200
    response = render(
        request,
        "facilities/incidents/form.html",
        {"form": form, "incident": incident},
        status=status,
    )
    return _private(response)


@login_required
@require_http_methods(["GET", "POST"])
def incident_report(request: HttpRequest) -> HttpResponse:
    _check(policy.can_report(request.user))
    form = IncidentForm(request.POST if request.method == "POST" else None)
    add_bootstrap_classes(form)
    if is_area_search(request):
        show_for_area_search(form)
    elif request.method == "POST" and form.is_valid():
        try:
            incident = services.incident_report(values=form.values(), by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The attack is reported. The coordinators will verify it; until then only "
                    "they and your organisation see it."
                ),
            )
            return _detail(incident)
    return _render_form(request, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def incident_edit(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _readable_incident(request, pk)
    decision = policy.can_edit(request.user, incident)
    if not decision:
        return _refused(request, decision, incident)
    form = IncidentForm(
        request.POST if request.method == "POST" else None,
        initial=IncidentForm.initial_of(incident),
    )
    add_bootstrap_classes(form)
    if is_area_search(request):
        show_for_area_search(form)
    elif request.method == "POST" and form.is_valid():
        try:
            services.incident_update(incident=incident, values=form.values(), by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The incident is saved."))
            return _detail(incident)
    return _render_form(request, form, incident)


# --- the coordinators' review ------------------------------------------------------------------


@coordinator_required
@require_safe
def verification_queue(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.verification_queue(), PAGE_SIZE).get_page(request.GET.get("page"))
    response = render(
        request,
        "facilities/incidents/queue.html",
        {"page_obj": page, "incidents": page.object_list},
    )
    return _private(response)


def _what(incident: Incident) -> dict:
    return {"date": date_format(incident.date, "DATE_FORMAT"), "area": incident.area.name}


def _who_is_emailed(incident: Incident) -> str:
    """Whom the decision emails, by name, or that nobody can be (and why)."""
    if incident.organisation_id is None:
        return _("A coordinator reported it: nobody is emailed.")
    return emailed_people(services.incident_contacts(incident)) or _(
        "Nobody at the organisation that reported it can be emailed (no focal point or "
        "reporter with an address the portal can use): tell them yourself."
    )


def _told(incident: Incident) -> str:
    if incident.organisation_id is None:
        return ""
    return told_by_email(services.incident_contacts(incident))


def _verify_confirmation(incident: Incident) -> Confirmation:
    return Confirmation(
        title=_("Verify the attack of %(date)s in %(area)s?") % _what(incident),
        button=_("Verify the attack"),
        consequences=[
            _(
                "It counts in the public figures from now on: the dashboard, the home page and "
                "the bulletins not yet published, by month, admin1 area and type of attack. "
                "Its description and source stay with the coordinators and the organisation "
                "that reported it."
            ),
            _(
                "Members of every partner organisation can read it. Only the coordinators can "
                "correct it afterwards."
            ),
            _who_is_emailed(incident),
        ],
        cancel_url=reverse("incidents:detail", kwargs={"pk": incident.pk}),
    )


@require_http_methods(["GET", "POST"])
@coordinator_required
def incident_verify(request: HttpRequest, pk: int) -> HttpResponse:
    """GET says what verifying does and whom it emails; the POST from its button verifies."""
    incident = _readable_incident(request, pk)
    decision = policy.can_verify(request.user, incident)
    if not decision:
        return _refused(request, decision, incident)
    if request.method != "POST":
        return confirmation_page(request, _verify_confirmation(incident))
    try:
        incident = services.incident_verify(incident=incident, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{_('The attack is verified.')} {_told(incident)}".strip())
    return _detail(incident)


def _dismiss_confirmation(incident: Incident, form: DismissForm) -> Confirmation:
    return Confirmation(
        title=_("Dismiss the attack of %(date)s in %(area)s?") % _what(incident),
        button=_("Dismiss with this comment"),
        consequences=[
            _(
                "It is kept, and never counts in the figures. Only the coordinators and the "
                "organisation that reported it can read it."
            ),
            _who_is_emailed(incident),
        ],
        cancel_url=reverse("incidents:detail", kwargs={"pk": incident.pk}),
        form=form,
        danger=True,
    )


@require_http_methods(["GET", "POST"])
@coordinator_required
def incident_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks why; the POST from its button dismisses, with that comment."""
    incident = _readable_incident(request, pk)
    decision = policy.can_dismiss(request.user, incident)
    if not decision:
        return _refused(request, decision, incident)
    form = DismissForm(request.POST if request.method == "POST" else None)
    add_bootstrap_classes(form)
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.incident_dismiss(
                incident=incident, by=request.user, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{_('The attack is dismissed.')} {_told(incident)}".strip())
            return redirect("incidents:queue")
    status = 400 if form.errors else 200
    return confirmation_page(request, _dismiss_confirmation(incident, form), status=status)


@coordinator_required
@require_safe
def incident_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The verified incidents, filtered as the list is, in SSA's shape."""
    if fmt not in FORMATS:
        raise Http404
    filterset = IncidentFilter(request.GET, queryset=Incident.objects.all())
    return _private(export_response(filterset.qs, fmt))
