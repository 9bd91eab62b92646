"""Pages of the assessment workflow: record an assessment, its findings and files, submit it,
and the coordinators' review (return with a comment, or publish).

Every assessment is reached through ``assessments.access``: one the user may not see,
or another organisation's, is a 404. What the user may do with it is
``assessments.policy``'s to say. The public page of an assessment is the registry's
``assessments:detail``; the buttons there come from
``templates/assessments/workflow/_actions.html``, which asks the same policy.
"""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessments import access, confirmations, policy, services
from assessments.findings_sheet import build_template, parse_upload, template_filename
from assessments.forms import (
    AssessmentForm,
    AttachmentForm,
    FindingsConfirmForm,
    FindingsGridForm,
    FindingsUploadForm,
    PublishForm,
    ReturnForm,
)
from assessments.models import Assessment, AssessmentStatus
from assessments.selectors import finding_areas
from core.confirm import confirmation_page
from core.decorators import coordinator_required
from core.forms import add_bootstrap_classes
from core.policy import refused_response
from locations.forms import is_area_search, show_for_area_search
from locations.models import AdminArea
from partners.access import is_coordinator, user_organisation
from strategy.models import HealthDomain

PAGE_SIZE = 20
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


def _detail(assessment: Assessment) -> HttpResponse:
    return redirect("assessments:detail", pk=assessment.pk)


def _apply_errors(form, error: ValidationError) -> None:
    """Put a service's error on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _refuse_if_locked(request: HttpRequest, assessment: Assessment) -> HttpResponse | None:
    """A redirect with the reason when the assessment's state forbids changing it now."""
    decision = policy.can_edit(request.user, assessment)
    if decision:
        return None
    return refused_response(request, decision, "assessments:detail", pk=assessment.pk)


# --- the assessment ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def assessment_create(request: HttpRequest) -> HttpResponse:
    coordinator = is_coordinator(request.user)
    organisation = user_organisation(request.user)
    decision = policy.can_create(request.user, organisation)
    if not decision:
        raise PermissionDenied(decision.reason)
    form = AssessmentForm(
        request.POST if request.method == "POST" else None,
        instance=Assessment(lead_organisation=organisation) if organisation else None,
        choose_lead=coordinator,
        initial={"lead_organisation": organisation} if coordinator and organisation else None,
    )
    add_bootstrap_classes(form)
    if is_area_search(request):
        show_for_area_search(form)
    elif request.method == "POST" and form.is_valid():
        lead = form.cleaned_data.get("lead_organisation") or organisation
        try:
            assessment = services.assessment_create(
                by=request.user,
                lead_organisation=lead,
                values=form.service_values(),
                areas=list(form.cleaned_data["areas"]),
                participating_organisations=form.cleaned_data["participating_organisations"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The draft assessment is saved. Enter its findings and attach its report, "
                    "then submit it for review."
                ),
            )
            return redirect("assessments:findings", pk=assessment.pk)
    status = 400 if request.method == "POST" and form.errors else 200
    return render(
        request,
        "assessments/workflow/form.html",
        {"form": form, "assessment": None, "organisation": organisation},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_editable_assessment_for_user(request.user, pk)
    refused = _refuse_if_locked(request, assessment)
    if refused:
        return refused
    # The form writes into its instance while checking it; the page keeps the saved one.
    form = AssessmentForm(
        request.POST if request.method == "POST" else None, instance=copy.copy(assessment)
    )
    add_bootstrap_classes(form)
    if is_area_search(request):
        show_for_area_search(form)
    elif request.method == "POST" and form.is_valid():
        try:
            services.assessment_update(
                assessment=assessment,
                by=request.user,
                values=form.service_values(),
                areas=list(form.cleaned_data["areas"]),
                participating_organisations=form.cleaned_data["participating_organisations"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The assessment is saved."))
            return _detail(assessment)
    status = 400 if request.method == "POST" and form.errors else 200
    return render(
        request,
        "assessments/workflow/form.html",
        {"form": form, "assessment": assessment, "organisation": assessment.lead_organisation},
        status=status,
    )


# --- findings ------------------------------------------------------------------------------------


def _grid_form(request: HttpRequest, assessment: Assessment, data=None) -> FindingsGridForm:
    """The findings grid: as posted, or as saved, its unfinished cells as typed and checked."""
    findings = list(assessment.findings.select_related("area"))
    kwargs = {
        "areas": finding_areas(assessment, findings),
        "domains": list(HealthDomain.objects.active()),
        "findings": findings,
    }
    if data is None and assessment.unfinished_findings:
        data = FindingsGridForm(**kwargs).as_typed(assessment.unfinished_findings)
    return FindingsGridForm(data, **kwargs)


def _render_findings(
    request: HttpRequest,
    assessment: Assessment,
    *,
    grid: FindingsGridForm | None = None,
    upload: FindingsUploadForm | None = None,
    status: int = 200,
) -> HttpResponse:
    grid = grid or _grid_form(request, assessment)
    upload = upload or FindingsUploadForm()
    add_bootstrap_classes(upload)
    return render(
        request,
        "assessments/workflow/findings.html",
        {
            "assessment": assessment,
            "grid": grid,
            "rows": grid.grid(),
            "domains": grid.domains,
            "upload_form": upload,
            "unfinished": status == 200 and grid.is_bound and bool(grid.errors),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def findings(request: HttpRequest, pk: int) -> HttpResponse:
    """The findings grid. Saving keeps every cell as typed: the right ones as findings, the
    others marked, to finish before the assessment is submitted."""
    assessment = access.get_editable_assessment_for_user(request.user, pk)
    refused = _refuse_if_locked(request, assessment)
    if refused:
        return refused
    if request.method == "GET":
        return _render_findings(request, assessment)
    grid = _grid_form(request, assessment, request.POST)
    grid.full_clean()
    try:
        # A cell the user emptied on the page is a removal they asked for.
        counts = services.findings_save(
            assessment=assessment,
            by=request.user,
            findings=grid.findings(),
            cleared=grid.cleared(),
            confirmed_removals=grid.cleared(),
            unfinished=grid.unfinished(),
        )
    except ValidationError as error:
        grid.add_error(None, error)
        return _render_findings(request, assessment, grid=grid, status=400)
    saved = (
        _("The findings are saved: %(added)d added, %(changed)d changed, %(removed)d removed.")
        % counts
    )
    unfinished = len(grid.unfinished())
    if unfinished:
        messages.warning(request, f"{saved} {_unfinished_cells(unfinished)}")
    else:
        messages.success(request, saved)
    return redirect("assessments:findings", pk=assessment.pk)


def _unfinished_cells(count: int) -> str:
    return ngettext(
        "%(count)s cell is not finished: it is kept as typed and marked below; complete or "
        "empty it before submitting the assessment.",
        "%(count)s cells are not finished: they are kept as typed and marked below; complete "
        "or empty them before submitting the assessment.",
        count,
    ) % {"count": count}


@login_required
@require_safe
def findings_template(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_editable_assessment_for_user(request.user, pk)
    response = HttpResponse(build_template(assessment), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{template_filename(assessment)}"'
    return response


@login_required
@require_POST
def findings_upload(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_editable_assessment_for_user(request.user, pk)
    refused = _refuse_if_locked(request, assessment)
    if refused:
        return refused
    if request.POST.get("confirm") == "yes":
        return _confirm_upload(request, assessment)
    form = FindingsUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            return _check_and_import(request, assessment, form)
        except ValidationError as error:
            form.add_error("file", error)
    return _render_findings(request, assessment, upload=form, status=400)


def _check_and_import(
    request: HttpRequest, assessment: Assessment, form: FindingsUploadForm
) -> HttpResponse:
    """Import the sheet at once when it removes nothing; else ask, listing what it removes."""
    sheet = parse_upload(assessment, form.cleaned_data["file"])
    replace_all = form.cleaned_data["replace_all"]
    plan = services.findings_plan(
        assessment=assessment,
        findings=sheet.findings,
        cleared=sheet.cleared,
        replace_all=replace_all,
    )
    checked = confirmations.CheckedSheet(
        sheet=sheet, replace_all=replace_all, removals=plan.removed_keys()
    )
    if plan.removed:
        return confirmation_page(
            request, confirmations.upload_confirmation(assessment, checked, plan)
        )
    return _import_sheet(request, assessment, checked)


def _import_sheet(
    request: HttpRequest, assessment: Assessment, checked: confirmations.CheckedSheet
) -> HttpResponse:
    """Save a checked sheet, removing only what the user confirmed; errors are raised."""
    counts = services.findings_save(
        assessment=assessment,
        by=request.user,
        findings=checked.sheet.findings,
        cleared=checked.sheet.cleared,
        replace_all=checked.replace_all,
        confirmed_removals=checked.removals,
    )
    messages.success(
        request,
        _(
            "The sheet is imported: %(added)d findings added, %(changed)d changed, "
            "%(removed)d removed."
        )
        % counts,
    )
    return redirect("assessments:findings", pk=assessment.pk)


def _confirm_upload(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    """The POST of the confirmation page: import the sheet it showed, or say why not."""
    form = FindingsConfirmForm(request.POST)
    try:
        if not form.is_valid():
            raise confirmations.expired()
        checked = confirmations.read_signed_sheet(assessment, form.cleaned_data["plan"])
        return _import_sheet(request, assessment, checked)
    except ValidationError as error:
        # An empty bound form, so that the reason shows where the upload's errors show.
        refused = FindingsUploadForm({}, {})
        refused.full_clean()
        refused.errors.clear()
        refused.add_error("file", error)
        return _render_findings(request, assessment, upload=refused, status=400)


# --- attachments ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_editable_assessment_for_user(request.user, pk)
    refused = _refuse_if_locked(request, assessment)
    if refused:
        return refused
    posted = request.method == "POST"
    form = AttachmentForm(request.POST if posted else None, request.FILES if posted else None)
    add_bootstrap_classes(form)
    if request.method == "POST" and form.is_valid():
        try:
            attachment = services.attachment_add(
                assessment=assessment,
                by=request.user,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s is attached.") % {"name": attachment.original_name}
            )
            return redirect("assessments:attachment_add", pk=assessment.pk)
    return render(
        request,
        "assessments/workflow/attachments.html",
        {
            "assessment": assessment,
            "form": form,
            "attachments": list(services.attachments_of(assessment)),
        },
        status=400 if request.method == "POST" and form.errors else 200,
    )


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = access.get_attachment_for_user(request.user, pk)
    assessment = access.get_editable_assessment_for_user(request.user, attachment.assessment_id)
    refused = _refuse_if_locked(request, assessment)
    if refused:
        return refused
    name = attachment.original_name
    services.attachment_delete(attachment=attachment, by=request.user)
    messages.success(request, _("%(name)s is removed.") % {"name": name})
    return redirect("assessments:attachment_add", pk=assessment.pk)


@require_safe
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = access.get_attachment_for_user(request.user, pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- the review ----------------------------------------------------------------------------------


@login_required
@require_POST
def assessment_submit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_editable_assessment_for_user(request.user, pk)
    try:
        services.assessment_submit(assessment=assessment, by=request.user)
    except ValidationError as error:
        messages.error(request, _message(error))
    else:
        messages.success(
            request,
            _("The assessment is submitted. The coordinators will review it and tell you."),
        )
    return _detail(assessment)


@require_http_methods(["GET", "POST"])
@coordinator_required
def assessment_return(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_user(request.user, pk)
    form = ReturnForm(request.POST if request.method == "POST" else None)
    add_bootstrap_classes(form)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_return(
                assessment=assessment, by=request.user, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("The assessment is returned to its organisation with your comment.")
            )
            return redirect("assessments:review_queue")
    elif request.method == "GET":
        decision = policy.can_return(request.user, assessment)
        if not decision:
            return refused_response(request, decision, "assessments:detail", pk=assessment.pk)
    return render(
        request,
        "assessments/workflow/return.html",
        {"assessment": assessment, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@coordinator_required
def assessment_publish(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_user(request.user, pk)
    form = PublishForm(request.POST)
    form.is_valid()
    try:
        services.assessment_publish(
            assessment=assessment,
            by=request.user,
            restricted=form.cleaned_data.get("restricted", False),
        )
    except ValidationError as error:
        messages.error(request, _message(error))
        return _detail(assessment)
    messages.success(request, _("The assessment is published in the registry."))
    return _detail(assessment)


# --- lists ---------------------------------------------------------------------------------------


def _list_queryset():
    return (
        Assessment.objects.select_related("lead_organisation")
        .prefetch_related(Prefetch("areas", queryset=AdminArea.objects.order_by("path")))
        .annotate(finding_count=Count("findings", distinct=True))
    )


STATUS_FILTERS = [choice.value for choice in AssessmentStatus]


@login_required
@require_safe
def assessment_mine(request: HttpRequest) -> HttpResponse:
    organisation = user_organisation(request.user)
    status = request.GET.get("status", "")
    if status not in STATUS_FILTERS:
        status = ""
    assessments = Assessment.objects.none()
    if organisation is not None:
        assessments = _list_queryset().filter(lead_organisation=organisation)
        if status:
            assessments = assessments.filter(status=status)
        assessments = assessments.order_by("-updated_at", "-pk")
    page = Paginator(assessments, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "assessments/workflow/mine.html",
        {
            "organisation": organisation,
            "page_obj": page,
            "assessments": page.object_list,
            "status": status,
            "statuses": AssessmentStatus.choices,
            "can_create": policy.can_create(request.user, organisation),
        },
    )


@require_safe
@coordinator_required
def review_queue(request: HttpRequest) -> HttpResponse:
    assessments = _list_queryset().submitted().order_by("submitted_at", "pk")
    page = Paginator(assessments, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "assessments/workflow/review_queue.html",
        {"page_obj": page, "assessments": page.object_list, "publish_form": PublishForm()},
    )


urlpatterns = [
    path("new/", assessment_create, name="create"),
    path("mine/", assessment_mine, name="mine"),
    path("review/", review_queue, name="review_queue"),
    path("<int:pk>/edit/", assessment_edit, name="edit"),
    path("<int:pk>/findings/", findings, name="findings"),
    path("<int:pk>/findings/template.xlsx", findings_template, name="findings_template"),
    path("<int:pk>/findings/upload/", findings_upload, name="findings_upload"),
    path("<int:pk>/attachments/", attachment_add, name="attachment_add"),
    path("<int:pk>/submit/", assessment_submit, name="submit"),
    path("<int:pk>/return/", assessment_return, name="return"),
    path("<int:pk>/publish/", assessment_publish, name="publish"),
    path("attachments/<int:pk>/", attachment_download, name="attachment"),
    path("attachments/<int:pk>/delete/", attachment_delete, name="attachment_delete"),
]
