"""Pages of the facility imports: each template to download, and its upload page with a dry
run. Coordinators import facilities (``policy.can_manage_facilities``); whoever records
statuses imports them (``policy.can_record_statuses``: coordinators, and members of an
approved organisation for the facilities it supports). Reading, checking and writing are
``facilities.imports``'; a refused file lists every problem and saves nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_safe

from core.policy import Decision
from facilities import imports, policy, sheets
from facilities.forms import ImportForm, StatusImportForm
from partners.access import is_coordinator

PROBLEMS_SHOWN = 500
# The rows a dry run lists (the template slices as many).
ROWS_SHOWN = 200


def _allowed(decision: Decision) -> None:
    # The cluster's own tools: a 403 reveals nothing.
    if not decision:
        raise PermissionDenied(decision.reason)


def _workbook(handle, kind: str) -> FileResponse:
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=sheets.template_filename(kind),
        content_type=sheets.CONTENT_TYPE,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _page(request: HttpRequest, kind: str, form, problems, result) -> HttpResponse:
    return render(
        request,
        "facilities/import.html",
        {
            "kind": kind,
            "form": form,
            "problems": problems[:PROBLEMS_SHOWN],
            "problem_count": len(problems),
            "hidden_problems": max(len(problems) - PROBLEMS_SHOWN, 0),
            "result": result,
            "summary": imports.summary(result) if result else "",
            "shown": ROWS_SHOWN,
        },
        status=400 if form.errors or problems else 200,
    )


@login_required
@require_safe
def facilities_template(request: HttpRequest) -> HttpResponse:
    _allowed(policy.can_manage_facilities(request.user))
    return _workbook(sheets.facilities_template(), sheets.FACILITIES)


@login_required
@require_http_methods(["GET", "POST"])
def facilities_import(request: HttpRequest) -> HttpResponse:
    _allowed(policy.can_manage_facilities(request.user))
    form = ImportForm(request.POST or None, request.FILES or None)
    problems, result = [], None
    if request.method == "POST" and form.is_valid():
        try:
            result = imports.facilities_import(
                upload=form.cleaned_data["file"],
                by=request.user,
                dry_run=form.cleaned_data["dry_run"],
            )
        except imports.ImportRefused as refused:
            problems = refused.problems
        else:
            if not result.dry_run:
                messages.success(request, imports.summary(result))
                return redirect("facilities:list")
    return _page(request, sheets.FACILITIES, form, problems, result)


@login_required
@require_safe
def statuses_template(request: HttpRequest) -> HttpResponse:
    _allowed(policy.can_record_statuses(request.user))
    return _workbook(sheets.statuses_template(request.user), sheets.STATUSES)


@login_required
@require_http_methods(["GET", "POST"])
def statuses_import(request: HttpRequest) -> HttpResponse:
    _allowed(policy.can_record_statuses(request.user))
    reviews = bool(policy.can_review_statuses(request.user))
    form = StatusImportForm(request.POST or None, request.FILES or None, reviews=reviews)
    problems, result = [], None
    if request.method == "POST" and form.is_valid():
        try:
            result = imports.statuses_import(
                upload=form.cleaned_data["file"],
                by=request.user,
                validate=form.cleaned_data.get("validate", False),
                dry_run=form.cleaned_data["dry_run"],
            )
        except imports.ImportRefused as refused:
            problems = refused.problems
        else:
            if not result.dry_run:
                messages.success(request, imports.summary(result))
                if result.validated:
                    return redirect("facilities:list")
                if is_coordinator(request.user):
                    return redirect("facilities:review_queue")
                return redirect("facilities:statuses_mine")
    return _page(request, sheets.STATUSES, form, problems, result)


urlpatterns = [
    path("import/", facilities_import, name="import"),
    path("import/template.xlsx", facilities_template, name="import_template"),
    path("statuses/import/", statuses_import, name="status_import"),
    path("statuses/import/template.xlsx", statuses_template, name="status_import_template"),
]
