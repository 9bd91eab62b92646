"""The Excel template of an activity report, and importing its rows from a filled one.

The same rules as the entry page: the report is reached through ``activities.access``
(another organisation's report is a 404) and only a report whose rows the user may change
now (``activities.policy.can_edit``) gives its template or takes an import. Reading,
checking and saving are in ``activities.services.imports``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from activities import access, excel, policy
from activities import selectors_reports as selectors
from activities.forms.imports import ImportForm
from activities.models import Activity, PendingImport, Report, RowStatus
from activities.services import imports as services
from core.policy import refused_response
from facilities.models import Facility
from locations.models import AdminArea
from partners.access import get_scoped_or_404
from partners.models import Organisation
from projects import selectors as project_selectors
from projects.models import Project

DIFFERENCES_SHOWN = 200
PROBLEMS_SHOWN = 500


def _editable_report(request: HttpRequest, pk: int) -> Report | HttpResponse:
    """The report if the user may change it now; else a 403 or a redirect with the reason."""
    report = access.get_report_for_user(request.user, pk)
    decision = policy.can_edit(request.user, report)
    if decision:
        return report
    return refused_response(request, decision, "activities:report", pk=report.pk)


@login_required
@require_http_methods(["GET", "HEAD"])
def report_template(request: HttpRequest, pk: int) -> HttpResponse:
    report = _editable_report(request, pk)
    if isinstance(report, HttpResponse):
        return report
    handle = excel.build_template(
        report=report,
        rows=selectors.report_rows(report),
        activities=selectors.active_activities(),
        area_pcodes=[area.pcode for area in selectors.entry_areas()],
        projects=project_selectors.projects_for_rows(report.organisation, report.period.first_day),
    )
    period = report.period
    name = f"activity-report-{period.year:04d}-{period.month:02d}-{report.organisation_id}.xlsx"
    response = FileResponse(
        handle, as_attachment=True, filename=name, content_type=excel.XLSX_CONTENT_TYPE
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def report_import(request: HttpRequest, pk: int) -> HttpResponse:
    report = _editable_report(request, pk)
    if isinstance(report, HttpResponse):
        return report
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[services.Problem] = []
    if request.method == "POST" and form.is_valid():
        try:
            pending = services.import_check(
                report=report, by=request.user, upload=form.cleaned_data["file"]
            )
        except services.ImportRefused as refused:
            problems = refused.problems
        except ValidationError as error:
            # The report changed state since the page was opened.
            messages.error(request, " ".join(error.messages))
            return redirect("activities:report", pk=report.pk)
        else:
            return redirect("activities:report_import_confirm", pk=pending.pk)
    return render(
        request,
        "activities/imports/upload.html",
        {
            "report": report,
            "form": form,
            "problems": problems[:PROBLEMS_SHOWN],
            "problem_count": len(problems),
            "hidden_problems": max(len(problems) - PROBLEMS_SHOWN, 0),
        },
        status=400 if request.method == "POST" else 200,
    )


def _pending_for_user(request: HttpRequest, pk: int) -> PendingImport:
    """The user's own pending import of a report they may see; a 404 otherwise."""
    own = PendingImport.objects.select_related("report").filter(uploaded_by=request.user)
    return get_scoped_or_404(own, request.user, pk, organisation_field="report__organisation")


def _labels(rows: list[dict]) -> dict[str, dict]:
    """Codes and names of the activities, areas, partners, facilities and projects the rows
    name, in one query each (none for facilities or projects when no row names one)."""
    return {
        "activities": Activity.objects.in_bulk({row["activity"] for row in rows}),
        "areas": AdminArea.objects.in_bulk({row["area"] for row in rows}),
        "organisations": Organisation.objects.in_bulk(
            {row["implementing_organisation"] for row in rows} - {None}
        ),
        "facilities": Facility.objects.in_bulk({row.get("facility") for row in rows} - {None}),
        "projects": Project.objects.in_bulk({row.get("project") for row in rows} - {None}),
    }


def _described(values: dict | None, labels: dict) -> dict | None:
    if values is None:
        return None
    organisation = labels["organisations"].get(values["implementing_organisation"])
    return {
        **values,
        "activity": labels["activities"].get(values["activity"]),
        "area": labels["areas"].get(values["area"]),
        "facility": labels["facilities"].get(values.get("facility")),
        "project": labels["projects"].get(values.get("project")),
        "implementer": str(organisation.name) if organisation else values["implementing_other"],
        "status_label": RowStatus(values["status"]).label,
    }


@login_required
@require_http_methods(["GET", "POST"])
def report_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    pending = _pending_for_user(request, pk)
    report = _editable_report(request, pending.report_id)
    if isinstance(report, HttpResponse):
        return report
    if services.is_stale(pending, report):
        pending.delete()
        messages.error(request, services.stale_message())
        return redirect("activities:report_import", pk=report.pk)
    if request.method == "POST":
        try:
            services.import_confirm(pending=pending, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("activities:report_import", pk=report.pk)
        messages.success(
            request,
            _("The rows of the file are saved in the draft. Check them, then submit the report."),
        )
        return redirect("activities:report_edit", pk=report.pk)
    imported = services.pending_rows(pending)
    comparison = services.compare(report, imported)
    shown = comparison.differences[:DIFFERENCES_SHOWN]
    labels = _labels([d.old or d.new for d in shown] + [d.new for d in shown if d.new])
    return render(
        request,
        "activities/imports/confirm.html",
        {
            "report": report,
            "pending": pending,
            "comparison": comparison,
            "row_count": len(imported),
            "differences": [
                {
                    "kind": d.kind,
                    "old": _described(d.old, labels),
                    "new": _described(d.new, labels),
                }
                for d in shown
            ],
            "hidden_differences": max(len(comparison.differences) - DIFFERENCES_SHOWN, 0),
        },
    )


@login_required
@require_POST
def report_import_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    pending = _pending_for_user(request, pk)
    report_pk = pending.report_id
    services.import_cancel(pending=pending, by=request.user)
    messages.info(request, _("The import is cancelled; the report keeps its rows."))
    return redirect("activities:report_edit", pk=report_pk)


urlpatterns = [
    path("reports/<int:pk>/template.xlsx", report_template, name="report_template"),
    path("reports/<int:pk>/import/", report_import, name="report_import"),
    path("imports/<int:pk>/", report_import_confirm, name="report_import_confirm"),
    path("imports/<int:pk>/cancel/", report_import_cancel, name="report_import_cancel"),
]
