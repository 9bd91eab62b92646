"""Pages of the membership workflow: getting started, registering an organisation, asking to
join one, and the member's own organisation page where its focal point manages the people.

Membership records are reached through ``partners.access.get_membership_for_focal_point``:
another organisation's record, or any record for someone who is not a focal point, is a 404.
What the focal point or a member may do is ``partners.policy``'s to say.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.policy import refused_response
from locations.forms import is_area_search
from partners import policy, selectors
from partners.access import (
    active_membership,
    focal_point_membership,
    get_membership_for_focal_point,
)
from partners.disclosure import get_public_organisation_or_404
from partners.forms.membership import JoinRequestForm, OrganisationSearchForm
from partners.forms.registration import OrganisationForm
from partners.models import CURRENT_MEMBERSHIP, Membership, MembershipStatus, Organisation
from partners.services.membership import (
    focal_point_hand_over,
    membership_accept,
    membership_cancel,
    membership_decline,
    membership_leave,
    membership_remove,
    membership_request,
)
from partners.services.registration import (
    organisation_register,
    organisation_update,
)

START_LIST_LIMIT = 50


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _current_membership(user) -> Membership | None:
    return (
        Membership.objects.select_related("organisation")
        .filter(CURRENT_MEMBERSHIP, user=user)
        .first()
    )


def _refuse_current_membership(request: HttpRequest, membership: Membership) -> HttpResponse:
    messages.error(request, policy.can_start_membership(membership).reason)
    if membership.status == MembershipStatus.ACTIVE:
        return redirect("partners:my_organisation")
    return redirect("partners:start")


def _posted(request: HttpRequest) -> tuple:
    """A form's data and files: bound on every POST, even an empty one; unbound otherwise."""
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None


def _status_of(form) -> int:
    """400 for a form sent back with errors, as every form page answers; 200 otherwise."""
    return 400 if form.is_bound and form.errors else 200


def _hold_for_area_search(form) -> None:
    """Show a bound form again after an area search, with its values and without errors."""
    form._errors = ErrorDict()
    form.cleaned_data = {}


@login_required
@require_safe
def start(request: HttpRequest) -> HttpResponse:
    """Get started: register an organisation or find one to join."""
    if active_membership(request.user) is not None:
        return redirect("partners:my_organisation")
    open_request = selectors.open_request_of(request.user)
    search = OrganisationSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    organisations = []
    more = False
    if open_request is None:
        organisations = list(selectors.organisations_to_join(query)[: START_LIST_LIMIT + 1])
        more = len(organisations) > START_LIST_LIMIT
        organisations = organisations[:START_LIST_LIMIT]
    return render(
        request,
        "partners/workflow/start.html",
        {
            "open_request": open_request,
            "search": search,
            "query": query,
            "organisations": organisations,
            "more": more,
            "limit": START_LIST_LIMIT,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """Register a new organisation; the person registering becomes its focal point."""
    current = _current_membership(request.user)
    if current is not None:
        return _refuse_current_membership(request, current)
    form = OrganisationForm(*_posted(request))
    if is_area_search(request):
        _hold_for_area_search(form)
    elif request.method == "POST" and form.is_valid():
        try:
            organisation = organisation_register(user=request.user, **form.service_arguments())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "%(organisation)s is registered. The cluster coordinators will review it; "
                    "you will receive an email when they decide."
                )
                % {"organisation": organisation.name},
            )
            return redirect("partners:my_organisation")
    return render(
        request, "partners/workflow/register.html", {"form": form}, status=_status_of(form)
    )


@login_required
@require_safe
def my_organisation(request: HttpRequest) -> HttpResponse:
    """The member's organisation: its status, its members and, for the focal point, requests."""
    membership = active_membership(request.user)
    if membership is None:
        return redirect("partners:start")
    organisation = membership.organisation
    is_focal_point = membership.is_focal_point
    members = list(selectors.organisation_members(organisation))
    requests = list(selectors.join_requests(organisation)) if is_focal_point else []
    # The buttons beside each person, as the policy decides them.
    for member in members:
        member.actions = policy.member_actions(request.user, member)
    for request_ in requests:
        request_.organisation = organisation
        request_.actions = policy.request_actions(request.user, request_)
    return render(
        request,
        "partners/workflow/my_organisation.html",
        {
            "membership": membership,
            "organisation": organisation,
            "is_focal_point": is_focal_point,
            "can_edit": policy.can_edit_profile(request.user, organisation),
            "status_notice": policy.status_notice(organisation),
            "taking_members": policy.can_take_members(organisation),
            "members": members,
            "requests": requests,
            "leave": policy.can_leave(request.user),
            "areas": list(organisation.areas.select_related("parent").order_by("path")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest) -> HttpResponse:
    """The focal point edits the organisation's profile."""
    organisation = focal_point_membership(request.user).organisation
    decision = policy.can_edit_profile(request.user, organisation)
    if not decision:
        return refused_response(request, decision, "partners:my_organisation")
    # A copy for the form, which writes the submitted values into its instance.
    instance = Organisation.objects.get(pk=organisation.pk)
    form = OrganisationForm(*_posted(request), instance=instance)
    if is_area_search(request):
        _hold_for_area_search(form)
    elif request.method == "POST" and form.is_valid():
        try:
            organisation_update(
                organisation=organisation, by=request.user, **form.service_arguments()
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The organisation's profile is saved."))
            return redirect("partners:my_organisation")
    return render(
        request,
        "partners/workflow/organisation_edit.html",
        {"form": form, "organisation": organisation},
        status=_status_of(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask to join an approved organisation, with an optional message to its focal point.

    Any other id, of an organisation that does not exist or is not approved, is the same 404
    (``partners.disclosure``): the page must not tell who registered or in what state."""
    organisation = get_public_organisation_or_404(pk)
    current = _current_membership(request.user)
    if current is not None:
        return _refuse_current_membership(request, current)
    form = JoinRequestForm(_posted(request)[0])
    if request.method == "POST" and form.is_valid():
        try:
            membership_request(
                user=request.user,
                organisation=organisation,
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(
                request,
                _(
                    "Your request to join %(organisation)s is sent to its focal point. "
                    "You will receive an email when they answer."
                )
                % {"organisation": organisation.name},
            )
        return redirect("partners:start")
    return render(
        request,
        "partners/workflow/join.html",
        {"form": form, "organisation": organisation},
        status=_status_of(form),
    )


@login_required
@require_POST
def request_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """The requester withdraws their own open request."""
    membership = get_object_or_404(Membership, pk=pk, user=request.user)
    try:
        membership_cancel(membership=membership, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Your request is withdrawn."))
    return redirect("partners:start")


def _answer(request: HttpRequest, pk: int, service, success: str) -> HttpResponse:
    membership = get_membership_for_focal_point(request.user, pk)
    try:
        service(membership=membership, by=request.user)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, success % {"user": membership.user})
    return redirect(reverse("partners:my_organisation") + "#requests")


@login_required
@require_POST
def request_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(
        request, pk, membership_accept, _("%(user)s is now a member of your organisation.")
    )


@login_required
@require_POST
def request_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(
        request, pk, membership_decline, _("The request of %(user)s is declined; they are told.")
    )


def _confirmed_member_action(
    request: HttpRequest, pk: int, *, decide, service, question: str, button: str, success: str
) -> HttpResponse:
    """GET asks for confirmation; POST acts on an active member of the focal point's team."""
    membership = get_membership_for_focal_point(request.user, pk)
    decision = decide(request.user, membership)
    if not decision:
        return refused_response(request, decision, "partners:my_organisation")
    if request.method == "POST":
        try:
            service(membership=membership, by=request.user)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, success % {"user": membership.user})
        return redirect("partners:my_organisation")
    return render(
        request,
        "partners/workflow/confirm.html",
        {
            "question": question % {"user": membership.user},
            "button": button,
            "membership": membership,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    return _confirmed_member_action(
        request,
        pk,
        decide=policy.can_remove,
        service=membership_remove,
        question=_(
            "Remove %(user)s from your organisation? They will no longer see member pages "
            "or report for it; the work they did stays attributed to them."
        ),
        button=_("Remove from the organisation"),
        success=_("%(user)s is removed from your organisation; they are told."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_make_focal_point(request: HttpRequest, pk: int) -> HttpResponse:
    return _confirmed_member_action(
        request,
        pk,
        decide=policy.can_hand_over,
        service=focal_point_hand_over,
        question=_(
            "Make %(user)s the focal point of your organisation? You will stay a member, "
            "as partner staff, and they will manage members and the profile."
        ),
        button=_("Hand over the focal point role"),
        success=_("%(user)s is now the focal point of your organisation."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def leave(request: HttpRequest) -> HttpResponse:
    """A member leaves their organisation, after confirming."""
    membership = active_membership(request.user)
    if membership is None:
        return redirect("partners:start")
    if request.method == "POST":
        try:
            membership_leave(user=request.user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
            return redirect("partners:my_organisation")
        messages.success(
            request,
            _("You have left %(organisation)s.") % {"organisation": membership.organisation.name},
        )
        return redirect("partners:start")
    return render(
        request,
        "partners/workflow/confirm.html",
        {
            "question": _(
                "Leave %(organisation)s? You will no longer see its member pages or report "
                "for it; the work you did stays attributed to you."
            )
            % {"organisation": membership.organisation.name},
            "button": _("Leave the organisation"),
            "membership": membership,
        },
    )


urlpatterns = [
    path("start/", start, name="start"),
    path("register/", register, name="register"),
    path("mine/", my_organisation, name="my_organisation"),
    path("mine/edit/", organisation_edit, name="organisation_edit"),
    path("mine/leave/", leave, name="leave"),
    path("join/<int:pk>/", join, name="join"),
    path("requests/<int:pk>/cancel/", request_cancel, name="request_cancel"),
    path("requests/<int:pk>/accept/", request_accept, name="request_accept"),
    path("requests/<int:pk>/decline/", request_decline, name="request_decline"),
    path("members/<int:pk>/remove/", member_remove, name="member_remove"),
    path(
        "members/<int:pk>/make-focal-point/",
        member_make_focal_point,
        name="member_make_focal_point",
    ),
]
