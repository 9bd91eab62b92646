"""Coordinators' pages: the review queue, every organisation, and the coordinator role.

Which decision a coordinator may take on an organisation is ``partners.policy``'s to say,
for the buttons and again in the services."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.bilingual import bilingual_expression
from core.decorators import coordinator_required
from locations.models import AdminArea
from partners import policy
from partners.filters import OrganisationReviewFilter
from partners.forms.review import CoordinatorGrantForm, OptionalReasonForm, ReasonForm
from partners.models import CURRENT_MEMBERSHIP, MemberRole, Membership, Organisation
from partners.services.coordinators import coordinator_grant, coordinator_list, coordinator_revoke
from partners.services.review import (
    organisation_approve,
    organisation_reinstate,
    organisation_reject,
    organisation_suspend,
)

PAGE_SIZE = 20


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


def _back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    """Return to the list the form was on (with its filters), or to ``default``."""
    target = request.POST.get("next", "")
    # Only a path of this site, sent as it is: ``redirect`` would look a bare word up as the
    # name of a URL and fail (a 500) when there is none.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect(default)


def _focal_points() -> Prefetch:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.filter(CURRENT_MEMBERSHIP, role=MemberRole.FOCAL_POINT)
        .select_related("user")
        .order_by("pk"),
        to_attr="focal_memberships",
    )


def _render_queue(
    request: HttpRequest, *, bound: dict[int, ReasonForm] | None = None, status: int = 200
) -> HttpResponse:
    pending = (
        Organisation.objects.pending()
        .select_related("registered_by")
        .prefetch_related(
            Prefetch("areas", queryset=AdminArea.objects.order_by("path")), _focal_points()
        )
        .order_by("created_at", "pk")
    )
    page = Paginator(pending, PAGE_SIZE).get_page(request.GET.get("page"))
    bound = bound or {}
    rows = [
        {
            "organisation": organisation,
            "reject_form": bound.get(organisation.pk)
            or ReasonForm(auto_id=f"reject-{organisation.pk}-%s"),
            "actions": policy.review_actions(request.user, organisation),
        }
        for organisation in page.object_list
    ]
    return render(
        request,
        "partners/review/queue.html",
        {"page_obj": page, "rows": rows, "pending_count": page.paginator.count},
        status=status,
    )


@require_safe
@coordinator_required
def review_queue(request: HttpRequest) -> HttpResponse:
    return _render_queue(request)


@require_POST
@coordinator_required
def review_approve(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    try:
        organisation = organisation_approve(organisation=organisation, by=request.user)
    except ValidationError as error:
        messages.error(request, _message(error))
    else:
        messages.success(
            request,
            _(
                "%(organisation)s is approved and now listed in the directory. Its focal point "
                "will be told by email."
            )
            % {"organisation": organisation},
        )
    return redirect("partners:review_queue")


@require_POST
@coordinator_required
def review_reject(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    form = ReasonForm(request.POST, auto_id=f"reject-{organisation.pk}-%s")
    if not form.is_valid():
        messages.error(request, _("The organisation was not rejected: give the reason."))
        return _render_queue(request, bound={organisation.pk: form}, status=400)
    try:
        organisation = organisation_reject(
            organisation=organisation, by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, _message(error))
    else:
        messages.success(
            request,
            _(
                "The registration of %(organisation)s is rejected; the registrant will be told "
                "why by email."
            )
            % {"organisation": organisation},
        )
    return redirect("partners:review_queue")


def _render_organisations(
    request: HttpRequest,
    *,
    bound: dict[int, ReasonForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    filterset = OrganisationReviewFilter(request.GET or None, queryset=Organisation.objects.all())
    organisations = (
        filterset.qs.select_related("status_changed_by")
        .annotate(sort_name=bilingual_expression("name"))
        .order_by("sort_name", "pk")
    )
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    bound = bound or {}
    rows = [
        {
            "organisation": organisation,
            "suspend_form": bound.get(organisation.pk)
            or ReasonForm(auto_id=f"suspend-{organisation.pk}-%s"),
            "reinstate_form": OptionalReasonForm(auto_id=f"reinstate-{organisation.pk}-%s"),
            "actions": policy.review_actions(request.user, organisation),
        }
        for organisation in page.object_list
    ]
    return render(
        request,
        "partners/review/organisations.html",
        {
            "filter": filterset,
            "page_obj": page,
            "rows": rows,
            # After a refused POST the filters are gone; return to the whole list.
            "this_page": request.get_full_path()
            if request.method in ("GET", "HEAD")
            else reverse("partners:review_organisations"),
        },
        status=status,
    )


@require_safe
@coordinator_required
def review_organisations(request: HttpRequest) -> HttpResponse:
    return _render_organisations(request)


@require_POST
@coordinator_required
def review_suspend(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    form = ReasonForm(request.POST, auto_id=f"suspend-{organisation.pk}-%s")
    if not form.is_valid():
        messages.error(request, _("The organisation was not suspended: give the reason."))
        return _render_organisations(request, bound={organisation.pk: form}, status=400)
    try:
        organisation = organisation_suspend(
            organisation=organisation, by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, _message(error))
    else:
        messages.success(
            request,
            _("%(organisation)s is suspended and no longer listed in the directory.")
            % {"organisation": organisation},
        )
    return _back(request, reverse("partners:review_organisations"))


@require_POST
@coordinator_required
def review_reinstate(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    form = OptionalReasonForm(request.POST)
    form.is_valid()
    try:
        organisation = organisation_reinstate(
            organisation=organisation,
            by=request.user,
            reason=form.cleaned_data.get("reason", ""),
        )
    except ValidationError as error:
        messages.error(request, _message(error))
    else:
        messages.success(
            request,
            _("%(organisation)s is reinstated and listed in the directory again.")
            % {"organisation": organisation},
        )
    return _back(request, reverse("partners:review_organisations"))


def _render_coordinators(
    request: HttpRequest, form: CoordinatorGrantForm, *, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "partners/review/coordinators.html",
        {"coordinators": coordinator_list(), "form": form},
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def coordinators(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = CoordinatorGrantForm(request.POST)
        if form.is_valid():
            try:
                user = coordinator_grant(email=form.cleaned_data["email"], by=request.user)
            except ValidationError as error:
                form.add_error("email", error)
            else:
                messages.success(
                    request, _("%(user)s is now a coordinator.") % {"user": user.email}
                )
                return redirect("partners:coordinators")
        return _render_coordinators(request, form, status=400)
    return _render_coordinators(request, CoordinatorGrantForm())


@require_POST
@coordinator_required
def coordinator_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(get_user_model(), pk=pk)
    try:
        coordinator_revoke(user=user, by=request.user)
    except ValidationError as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, _("%(user)s is no longer a coordinator.") % {"user": user.email})
    return redirect("partners:coordinators")


urlpatterns = [
    path("review/", review_queue, name="review_queue"),
    path("review/organisations/", review_organisations, name="review_organisations"),
    path("review/<int:pk>/approve/", review_approve, name="review_approve"),
    path("review/<int:pk>/reject/", review_reject, name="review_reject"),
    path("review/<int:pk>/suspend/", review_suspend, name="review_suspend"),
    path("review/<int:pk>/reinstate/", review_reinstate, name="review_reinstate"),
    path("coordinators/", coordinators, name="coordinators"),
    path("coordinators/<int:pk>/revoke/", coordinator_revoke_view, name="coordinator_revoke"),
]
