"""Pages of partners' projects: the filtered list, a project's page with its funding history
and budget split, adding and changing a project, submitting it, the coordinators' review
(accept, or return with a comment) and funding updates.

A project is reached through ``projects.access`` (one the user may not read is a 404); what
the user may do with it is ``projects.policy``'s to say. Submitting and accepting answer GET
with the shared confirmation page (``core.confirm``) and act only on its POST.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.confirm import Confirmation, back_url, confirmation_page
from core.emails import emailed_people, told_by_email
from core.forms import add_bootstrap_classes, add_service_errors
from core.policy import Decision, refused_response
from partners.access import is_coordinator, user_organisation
from projects import access, exports, imports, policy, selectors, services, sheets
from projects.forms import (
    FundingForm,
    ImportForm,
    ProjectFilterForm,
    ProjectForm,
    ReturnForm,
    add_planned_errors,
    filled_planned,
    filled_shares,
    planned_formset,
    share_formsets,
)
from projects.models import Project

PAGE_SIZE = 25


def _allowed(decision: Decision) -> None:
    if not decision:
        raise PermissionDenied(decision.reason)


def _private(response: HttpResponse) -> HttpResponse:
    # Drafts and returned projects are their organisation's: no shared cache may keep them.
    patch_cache_control(response, private=True)
    return response


def _refused(request: HttpRequest, decision: Decision, project: Project) -> HttpResponse:
    return refused_response(request, decision, "projects:detail", pk=project.pk)


@login_required
@require_safe
def project_list(request: HttpRequest) -> HttpResponse:
    _allowed(policy.can_see_projects(request.user))
    filters = ProjectFilterForm(request.GET, user=request.user)
    add_bootstrap_classes(filters)
    projects = selectors.project_list(request.user, **filters.filters())
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    export_query = request.GET.copy()
    export_query.pop("page", None)
    return _private(
        render(
            request,
            "projects/list.html",
            {
                "filters": filters,
                "page_obj": page,
                "export_query": export_query.urlencode(),
                "can_create": policy.can_create(request.user),
                "can_import": policy.can_import(request.user),
                "can_review": policy.can_review(request.user),
            },
        )
    )


@login_required
@require_safe
def project_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The projects of the list, filtered as it is, as CSV, Excel or HXL."""
    _allowed(policy.can_see_projects(request.user))
    if fmt not in exports.FORMATS:
        raise Http404
    filters = ProjectFilterForm(request.GET, user=request.user)
    response = exports.projects_response(
        selectors.project_list(request.user, **filters.filters()), fmt
    )
    # Drafts and funding figures of the user's organisation: no cache may keep them.
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_safe
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.get_project_for_user(request.user, pk)
    return _private(
        render(
            request,
            "projects/detail.html",
            {
                "project": project,
                "partners": selectors.implementing_partners(project),
                "objectives": selectors.objectives_served(project),
                "funding": selectors.funding_history(project),
                "shares": selectors.shares(project),
                "planned": selectors.planned_activities(project),
                "reported": selectors.reported_under(project),
                "actions": policy.project_actions(request.user, project),
                "sees_review": policy.sees_review(request.user, project),
            },
        )
    )


def _project_form(request: HttpRequest, project: Project | None) -> HttpResponse:
    posted = request.method == "POST"
    data = request.POST if posted else None
    organisation = project.organisation if project else user_organisation(request.user)
    form = ProjectForm(data, organisation=organisation, project=project)
    by_objective, by_area = share_formsets(data, project)
    planned = planned_formset(data, project)
    for one in (form, *by_objective.forms, *by_area.forms, *planned.forms):
        add_bootstrap_classes(one)
    formsets = (by_objective, by_area, planned)
    if posted and form.is_valid() and all(formset.is_valid() for formset in formsets):
        arguments = {
            "values": form.service_values(),
            "implementing_partners": form.cleaned_data["implementing_partners"],
            "objectives": form.cleaned_data["objectives"],
            "objective_shares": filled_shares(by_objective),
            "area_shares": filled_shares(by_area),
            "planned": filled_planned(planned),
            "by": request.user,
        }
        try:
            if project is None:
                project = services.project_create(**arguments)
            else:
                project = services.project_update(project=project, **arguments)
        except ValidationError as error:
            errors = getattr(error, "error_dict", {})
            add_planned_errors(planned, errors.pop(services.PLANNED, []))
            if not hasattr(error, "error_dict") or errors:
                add_service_errors(form, ValidationError(errors) if errors else error)
        else:
            messages.success(
                request,
                _("The project is saved. Submit it when it is complete.")
                if policy.can_submit(request.user, project)
                else _("The project is saved."),
            )
            return redirect("projects:detail", pk=project.pk)
    invalid = posted and (bool(form.errors) or not all(formset.is_valid() for formset in formsets))
    return render(
        request,
        "projects/form.html",
        {
            "form": form,
            "by_objective": by_objective,
            "by_area": by_area,
            "planned": planned,
            "project": project,
            "organisation": organisation,
        },
        status=400 if invalid else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest) -> HttpResponse:
    _allowed(policy.can_create(request.user))
    return _project_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.get_project_for_user(request.user, pk)
    decision = policy.can_edit(request.user, project)
    if not decision:
        return _refused(request, decision, project)
    return _project_form(request, project)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def project_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """GET says what submitting does (``core.confirm``); the POST from its button submits."""
    project = access.get_project_for_user(request.user, pk)
    decision = policy.can_submit(request.user, project)
    if not decision:
        return _refused(request, decision, project)
    back = reverse("projects:detail", kwargs={"pk": project.pk})
    if request.method != "POST":
        problems = services.shares_not_adding_up(project)
        return confirmation_page(
            request,
            Confirmation(
                title=_("Submit %(project)s for review?") % {"project": project.title},
                button=_("Submit for review"),
                consequences=[
                    _(
                        "The cluster coordinators review the project: they accept it into "
                        "the plan or return it with what to correct."
                    ),
                    _("Until they do, the project cannot be changed."),
                ],
                warnings=[
                    *problems,
                    *([_("Correct the budget split before submitting.")] if problems else []),
                ],
                cancel_url=back,
            ),
        )
    try:
        services.project_submit(project=project, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The project is submitted for review."))
    return HttpResponseRedirect(back)


# --- the review ----------------------------------------------------------------------------------


@login_required
@require_safe
def review_queue(request: HttpRequest) -> HttpResponse:
    _allowed(policy.can_review(request.user))
    page = Paginator(selectors.review_queue(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/review_queue.html",
        {"page_obj": page, "here": request.get_full_path()},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def project_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """GET says what accepting does (``core.confirm``); the POST from its button accepts."""
    project = access.get_project_for_user(request.user, pk)
    decision = policy.can_accept(request.user, project)
    if not decision:
        return _refused(request, decision, project)
    back = back_url(request, reverse("projects:detail", kwargs={"pk": project.pk}))
    if request.method != "POST":
        return confirmation_page(
            request,
            Confirmation(
                title=_("Accept %(project)s into the plan?") % {"project": project.title},
                button=_("Accept the project"),
                consequences=[
                    _("Every member of the cluster sees the project in the plan."),
                    _(
                        "Its organisation records its funding from now on; coordinators may "
                        "still correct it."
                    ),
                    _("Nobody is emailed: the project shows as accepted on its page."),
                ],
                cancel_url=back,
            ),
        )
    try:
        services.project_accept(project=project, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The project is accepted into the plan."))
    return HttpResponseRedirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def project_return(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.get_project_for_user(request.user, pk)
    decision = policy.can_return(request.user, project)
    if not decision:
        return _refused(request, decision, project)
    back = back_url(request, reverse("projects:detail", kwargs={"pk": project.pk}))
    form = ReturnForm(request.POST if request.method == "POST" else None)
    add_bootstrap_classes(form)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_return(
                project=project, by=request.user, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            told = told_by_email(services.told_of_return(project))
            messages.success(
                request, "{} {}".format(_("The project is returned for correction."), told)
            )
            return HttpResponseRedirect(back)
    emailed = emailed_people(services.told_of_return(project)) or _(
        "Nobody can be emailed about this project (its organisation has no member with an "
        "address the portal can use): tell them yourself."
    )
    return render(
        request,
        "projects/return.html",
        {"project": project, "form": form, "emailed": emailed, "back": back},
        status=400 if form.is_bound and form.errors else 200,
    )


# --- funding -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def funding_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.get_project_for_user(request.user, pk)
    decision = policy.can_record_funding(request.user, project)
    if not decision:
        return _refused(request, decision, project)
    posted = request.method == "POST"
    form = FundingForm(request.POST if posted else None, initial={"date": timezone.localdate()})
    add_bootstrap_classes(form)
    if posted and form.is_valid():
        try:
            services.funding_update_add(project=project, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The funding update is recorded."))
            return redirect("projects:detail", pk=project.pk)
    return render(
        request,
        "projects/funding_form.html",
        {"project": project, "form": form, "latest": selectors.funding_received(project)},
        status=400 if form.is_bound and form.errors else 200,
    )


# --- the Excel import ----------------------------------------------------------------------------

PROBLEMS_SHOWN = 500


@login_required
@require_safe
def import_template(request: HttpRequest) -> HttpResponse:
    _allowed(policy.can_import(request.user))
    response = FileResponse(
        imports.template(request.user),
        as_attachment=True,
        filename=sheets.FILENAME,
        content_type=sheets.CONTENT_TYPE,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def project_import(request: HttpRequest) -> HttpResponse:
    """Upload a filled template: its projects are added as drafts, all or none; a dry run
    says what would be added."""
    _allowed(policy.can_import(request.user))
    form = ImportForm(request.POST or None, request.FILES or None)
    problems, result = [], None
    if request.method == "POST" and form.is_valid():
        try:
            result = imports.projects_import(
                upload=form.cleaned_data["file"],
                by=request.user,
                dry_run=form.cleaned_data["dry_run"],
            )
        except imports.ImportRefused as refused:
            problems = refused.problems
        else:
            if not result.dry_run:
                messages.success(request, imports.summary(result))
                return redirect(f"{reverse('projects:list')}?state=draft")
    return render(
        request,
        "projects/import.html",
        {
            "form": form,
            "problems": problems[:PROBLEMS_SHOWN],
            "problem_count": len(problems),
            "hidden_problems": max(len(problems) - PROBLEMS_SHOWN, 0),
            "result": result,
            "summary": imports.summary(result) if result else "",
            "coordinator": is_coordinator(request.user),
        },
        status=400 if form.errors or problems else 200,
    )
