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
from core.confirm import confirmation_page
from core.decorators import coordinator_required
from core.emails import told_by_email
from core.policy import refused_response
from locations.models import AdminArea
from partners import policy
from partners.confirmations import (
    approve_confirmation,
    reject_confirmation,
    review_url,
    suspend_confirmation,
)
from partners.filters import OrganisationReviewFilter
from partners.forms.review import CoordinatorGrantForm, OptionalReasonForm, ReasonForm
from partners.models import (
    CURRENT_MEMBERSHIP,
    MemberRole,
    Membership,
    Organisation,
    OrganisationStatus,
)
from partners.services.coordinators import coordinator_grant, coordinator_list, coordinator_revoke
from partners.services.review import (
    organisation_approve,
    organisation_reinstate,
    organisation_reject,
    organisation_suspend,
    review_recipients,
)

PAGE_SIZE = 20


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


def _back_url(request: HttpRequest, default: str) -> str:
    """The list the decision was started from (with its filters, in ``?next=``), else
    ``default``. Only a path of this site: ``redirect`` would look a bare word up as the name
    of a URL and fail (a 500) when there is none."""
    target = request.GET.get("next", "") or request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(_back_url(request, default))


def _focal_points() -> Prefetch:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.filter(CURRENT_MEMBERSHIP, role=MemberRole.FOCAL_POINT)
        .select_related("user")
        .order_by("pk"),
        to_attr="focal_memberships",
    )


def _render_queue(request: HttpRequest) -> HttpResponse:
    pending = (
        Organisation.objects.pending()
        .select_related("registered_by")
        .prefetch_related(
            Prefetch("areas", queryset=AdminArea.objects.order_by("path")), _focal_points()
        )
        .order_by("created_at", "pk")
    )
    page = Paginator(pending, PAGE_SIZE).get_page(request.GET.get("page"))
    back = request.get_full_path()
    rows = [
        {
            "organisation": organisation,
            "actions": policy.review_actions(request.user, organisation),
            "approve_url": review_url("approve", organisation, back),
            "reject_url": review_url("reject", organisation, back),
        }
        for organisation in page.object_list
    ]
    return render(
        request,
        "partners/review/queue.html",
        {"page_obj": page, "rows": rows, "pending_count": page.paginator.count},
    )


@require_safe
@coordinator_required
def review_queue(request: HttpRequest) -> HttpResponse:
    return _render_queue(request)


def _decision(
    request: HttpRequest,
    pk: int,
    check,
    confirmation,
    act,
    *,
    reason: bool,
    default: str,
) -> HttpResponse:
    """GET shows what the decision will do and to whom (``core.confirm``); the POST from its
    button decides. A decision that needs a reason asks for it on the same page."""
    organisation = get_object_or_404(Organisation, pk=pk)
    back = _back_url(request, reverse(default))
    decision = check(request.user, organisation)
    if not decision:
        return refused_response(request, decision, back)
    form = ReasonForm(request.POST) if reason and request.method == "POST" else None
    if request.method != "POST" or (form is not None and not form.is_valid()):
        page = (
            confirmation(organisation, back, form) if reason else confirmation(organisation, back)
        )
        return confirmation_page(request, page, status=400 if form is not None else 200)
    extra = {"reason": form.cleaned_data["reason"]} if form is not None else {}
    try:
        organisation = act(organisation=organisation, by=request.user, **extra)
    except ValidationError as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, _decided(organisation))
    return HttpResponseRedirect(back)


def _decided(organisation: Organisation) -> str:
    values = {"organisation": organisation}
    if organisation.status == OrganisationStatus.APPROVED:
        text = _("%(organisation)s is approved and now listed in the directory.") % values
    elif organisation.status == OrganisationStatus.REJECTED:
        text = _("The registration of %(organisation)s is rejected.") % values
    else:
        text = _("%(organisation)s is suspended and no longer listed in the directory.") % values
    return f"{text} {told_by_email(review_recipients(organisation))}"


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def review_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decision(
        request,
        pk,
        policy.can_approve,
        approve_confirmation,
        organisation_approve,
        reason=False,
        default="partners:review_queue",
    )


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def review_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _decision(
        request,
        pk,
        policy.can_reject,
        reject_confirmation,
        organisation_reject,
        reason=True,
        default="partners:review_queue",
    )


def _render_organisations(request: HttpRequest) -> HttpResponse:
    filterset = OrganisationReviewFilter(request.GET or None, queryset=Organisation.objects.all())
    organisations = (
        filterset.qs.select_related("status_changed_by")
        .annotate(sort_name=bilingual_expression("name"))
        .order_by("sort_name", "pk")
    )
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    back = request.get_full_path()
    rows = [
        {
            "organisation": organisation,
            "suspend_url": review_url("suspend", organisation, back),
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
            "this_page": back,
        },
    )


@require_safe
@coordinator_required
def review_organisations(request: HttpRequest) -> HttpResponse:
    return _render_organisations(request)


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def review_suspend(request: HttpRequest, pk: int) -> HttpResponse:
    return _decision(
        request,
        pk,
        policy.can_suspend,
        suspend_confirmation,
        organisation_suspend,
        reason=True,
        default="partners:review_organisations",
    )


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
