"""Pages of the monthly activity reports: start, enter rows, submit, review, correct, list.

Every report is reached through ``activities.access``: another organisation's report is a
404. What the user may do with it is ``activities.policy``'s to say, for the buttons and
before each action; state changes go through ``activities.services.reports``. A refused
change comes back as a message on the report page or an error on the form.
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from activities import access, policy
from activities import selectors_reports as selectors
from activities.forms.reports import (
    ADD_ROWS_BUTTON,
    EXTRA_ROWS,
    MAX_ROWS,
    ROWS_PER_PAGE,
    CorrectionRequestForm,
    EntryChoices,
    OnBehalfForm,
    ReportFilter,
    ReportRowFormSet,
    ReturnReportForm,
    StartReportForm,
    default_implementer,
    page_data,
    row_initial,
    unfinished_initial,
    with_more_rows,
)
from activities.models import Report, ReportingPeriod, ReportRow, ReportStatus
from activities.services import reports as services
from core.confirm import Confirmation, confirmation_page
from core.decorators import coordinator_required
from core.emails import emailed_people, reachable, told_by_email
from core.forms import add_bootstrap_classes
from core.inputs import query_int, whole_number_or_none
from core.policy import Decision, refused_response
from partners.access import is_coordinator, user_organisation
from partners.services.coordinators import coordinator_list
from projects import selectors as project_selectors

PAGE_SIZE = 25
SUBMIT_BUTTON = "_submit"
PAGE_BUTTON = "_page"


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


def _to_report(report: Report) -> HttpResponse:
    return redirect("activities:report", pk=report.pk)


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _refused(request: HttpRequest, decision: Decision, report: Report) -> HttpResponse:
    return refused_response(request, decision, "activities:report", pk=report.pk)


def _submitted() -> str:
    """What the page says after a submission: who was emailed, as the service emails them."""
    if reachable(coordinator_list()):
        return _("The report is submitted. The coordinators will be told by email.")
    return _(
        "The report is submitted. No coordinator has an email address the portal can use, "
        "so nobody was emailed: tell the cluster coordinators yourself."
    )


def _returned(report: Report) -> str:
    told = len(reachable(services.organisation_contacts(report)))
    if not told:
        return _(
            "The report is returned. Nobody at the organisation has an email address the "
            "portal can use, so nobody was emailed: tell them yourself."
        )
    return ngettext(
        "The report is returned. %(count)s person at the organisation will be told by email.",
        "The report is returned. %(count)s people at the organisation will be told by email.",
        told,
    ) % {"count": told}


# --- starting a report ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def report_start(request: HttpRequest, period_pk: int) -> HttpResponse:
    """Open the organisation's report for the period, creating a draft the first time."""
    period = get_object_or_404(ReportingPeriod, pk=period_pk)
    organisation = user_organisation(request.user)
    if organisation is None:
        if is_coordinator(request.user):
            return redirect(f"{_on_behalf_url()}?period={period.pk}")
        raise PermissionDenied(_("Only members of a partner organisation report activities."))
    existing = Report.objects.filter(organisation=organisation, period=period).first()
    if existing is not None:
        return _to_report(existing)
    decision = policy.can_start(request.user, organisation, period)
    if decision.forbidden:
        raise PermissionDenied(decision.reason)
    accepts = bool(decision)
    previous = services.previous_report(organisation, period)
    form = StartReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and accepts and form.is_valid():
        try:
            report, created = services.report_start(
                by=request.user,
                organisation=organisation,
                period=period,
                copy_previous=bool(previous and form.cleaned_data["copy_previous"]),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if created:
                messages.success(
                    request,
                    _("The draft report for %(period)s is ready. Enter its rows, then submit it.")
                    % {"period": period},
                )
            return redirect("activities:report_edit", pk=report.pk)
    return render(
        request,
        "activities/reports/start.html",
        {
            "period": period,
            "organisation": organisation,
            "form": form,
            "accepts": accepts,
            "closed_message": None if accepts else decision.reason,
            "previous": previous,
        },
        status=400 if request.method == "POST" else 200,
    )


def _on_behalf_url() -> str:
    return reverse("activities:report_on_behalf")


@coordinator_required
@require_http_methods(["GET", "POST"])
def report_on_behalf(request: HttpRequest) -> HttpResponse:
    """A coordinator opens (or creates) an organisation's report to enter it for them."""
    form = OnBehalfForm(
        request.POST if request.method == "POST" else None,
        initial={"period": request.GET.get("period")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            report, created = services.report_start(
                by=request.user,
                organisation=form.cleaned_data["organisation"],
                period=form.cleaned_data["period"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if created:
                messages.success(
                    request,
                    _(
                        "The draft report is ready. It is marked as entered by the cluster on "
                        "the partner's behalf."
                    ),
                )
            else:
                messages.info(request, _("This organisation already has a report for the period."))
            return redirect("activities:report_edit", pk=report.pk)
    return render(
        request,
        "activities/reports/on_behalf.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


# --- the report page -----------------------------------------------------------------------------


@login_required
@require_safe
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_for_page(request.user, pk)
    versions = report.ordered_versions
    validated = report.status == ReportStatus.VALIDATED
    unfinished = [] if validated else services.unfinished_numbers(report)
    return render(
        request,
        "activities/reports/detail.html",
        {
            "report": report,
            "unfinished": services.unfinished_message(unfinished) if unfinished else "",
            "unfinished_page": _edit_url(report, _page_of(unfinished[0])) if unfinished else "",
            "rows": report.ordered_rows,
            "versions": versions,
            "comparisons": selectors.version_comparisons(versions),
            "history": selectors.report_history(report),
            "commented": any(row.review_comment for row in report.ordered_rows),
            "actions": policy.report_actions(request.user, report),
        },
    )


# --- entry ---------------------------------------------------------------------------------------


def _choices(user, report: Report, rows: list[ReportRow]) -> EntryChoices:
    offered = project_selectors.projects_for_rows(report.organisation, report.period.first_day)
    # A saved row's project no longer offered stays in its select, for the row to say why.
    kept = {row.project_id for row in rows if row.project_id} - {p.pk for p in offered}
    return EntryChoices(
        activities=selectors.active_activities(),
        areas=selectors.entry_areas(),
        organisations=selectors.implementing_partners(),
        find_facilities=partial(selectors.facilities_by_code, user),
        projects=[*offered, *project_selectors.projects_with_areas(kept).values()],
        report=report,
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """One page of the report's rows; saving it leaves the other pages as they are. A row
    that does not pass the checks is saved as typed and marked, to finish before submitting."""
    report = access.get_report_for_user(request.user, pk)
    decision = policy.can_edit(request.user, report)
    if not decision:
        return _refused(request, decision, report)
    pages = Paginator(selectors.report_rows(report), ROWS_PER_PAGE)
    drafts = list(report.unfinished_rows.all())
    new_drafts = [draft for draft in drafts if draft.row_id is None]
    if pages.count + len(new_drafts) > MAX_ROWS:
        return _too_many_rows(request, report, pages.count + len(new_drafts))
    page = pages.get_page(query_int(request.GET, "page", minimum=1))
    rows = list(page.object_list)
    # Blank rows and new unfinished rows go on the last page only, as many as there is room.
    last = not page.has_next()
    room = MAX_ROWS - pages.count - len(new_drafts) if last else 0
    changing = {draft.row_id: draft for draft in drafts if draft.row_id}
    initial = [
        unfinished_initial(changing[row.pk], row) if row.pk in changing else row_initial(row)
        for row in rows
    ] + [unfinished_initial(draft) for draft in (new_drafts if last else [])]
    choices = _choices(request.user, report, rows)
    implementer = default_implementer(report.organisation, choices)
    formset_kwargs = {
        "initial": initial,
        "choices": choices,
        "first_number": page.start_index() if rows else pages.count + 1,
        "extra": min(EXTRA_ROWS, room),
        "implementer": report.organisation,
    }
    status = 200
    if request.method == "POST" and ADD_ROWS_BUTTON in request.POST:
        data = with_more_rows(request.POST, limit=len(initial) + room, implementer=implementer)
        formset = ReportRowFormSet(data, **formset_kwargs)
        formset.show_without_checking()
    elif request.method == "POST":
        formset = ReportRowFormSet(request.POST, **formset_kwargs)
        if not formset.non_form_errors():
            try:
                changed = services.report_save_page(
                    report=report,
                    by=request.user,
                    rows=formset.rows(),
                    deleted=formset.deleted_ids(),
                    unfinished=formset.unfinished(),
                    unfinished_shown=formset.unfinished_shown(),
                )
            except ValidationError as error:
                formset._non_form_errors.extend(error.messages)
            else:
                return _after_save(request, report, page, changed)
        status = 400
    elif len(initial) > len(rows) or changing.keys() & {row.pk for row in rows}:
        data = page_data(initial, formset_kwargs["extra"], implementer)
        formset = ReportRowFormSet(data, **formset_kwargs)
        formset.full_clean()
    else:
        formset = ReportRowFormSet(**formset_kwargs)
    comments = {row.pk: row.review_comment for row in rows if row.review_comment}
    return render(
        request,
        "activities/reports/edit.html",
        {
            "report": report,
            "formset": formset,
            "page_obj": page,
            "row_pages": _row_pages(pages),
            "rows": [
                (number, form, comments.get(_row_id(form)))
                for number, form in formset.numbered_forms()
            ],
            "errors": formset.error_summary() if status == 400 else [],
            "unfinished": formset.error_summary() if formset.is_bound and status == 200 else [],
            "elsewhere": _unfinished_elsewhere(report, page) if drafts else [],
            "add_rows_button": ADD_ROWS_BUTTON,
            "submit_button": SUBMIT_BUTTON,
            "page_button": PAGE_BUTTON,
            "may_add_rows": room > 0,
            "submit": policy.can_submit(request.user, report),
        },
        status=status,
    )


def _unfinished_elsewhere(report: Report, page) -> list[tuple[int, str]]:
    """The unfinished rows of the other pages, as (number, link to its page)."""
    found = []
    for number in services.unfinished_numbers(report):
        on_page = min(_page_of(number), page.paginator.num_pages)
        if on_page != page.number:
            found.append((number, _edit_url(report, on_page)))
    return found


def _row_pages(pages: Paginator) -> list[tuple[int, int, int]]:
    """Each page of rows as (number, first row, last row)."""
    return [
        (number, (number - 1) * pages.per_page + 1, min(number * pages.per_page, pages.count))
        for number in pages.page_range
    ]


def _row_id(form) -> int | None:
    return whole_number_or_none(form["id"].value(), minimum=1)


def _too_many_rows(request: HttpRequest, report: Report, row_count: int) -> HttpResponse:
    """A report made before the row limit, larger than this page can show and save."""
    message = _(
        "This report has %(count)s rows, more than the %(limit)s an activity report can hold, "
        "so its rows cannot be changed on this page. Importing an Excel file of at most "
        "%(limit)s rows replaces them."
    ) % {
        "count": number_format(row_count, force_grouping=True),
        "limit": number_format(MAX_ROWS, force_grouping=True),
    }
    return render(
        request,
        "activities/reports/edit.html",
        {"report": report, "too_many_rows": message},
        status=400 if request.method == "POST" else 200,
    )


def _after_save(request: HttpRequest, report: Report, page, changed: int) -> HttpResponse:
    if SUBMIT_BUTTON in request.POST:
        return _submit_after_save(request, report, page)
    target = query_int(request.POST, PAGE_BUTTON, minimum=1)
    unfinished = services.unfinished_numbers(report)
    if unfinished:
        messages.warning(request, _saved_unfinished(unfinished))
    elif changed or target is None:
        messages.success(request, _("The draft is saved."))
    target = target or page.number
    return redirect(_edit_url(report, target))


def _saved_unfinished(numbers: list[int]) -> str:
    return ngettext(
        "The draft is saved. Row %(rows)s is not finished: it is kept as typed and marked "
        "on its page; complete or delete it before submitting the report.",
        "The draft is saved. Rows %(rows)s are not finished: they are kept as typed and "
        "marked on their pages; complete or delete them before submitting the report.",
        len(numbers),
    ) % {"rows": ", ".join(str(number) for number in numbers)}


def _submit_after_save(request: HttpRequest, report: Report, page) -> HttpResponse:
    try:
        services.report_submit(report=report, by=request.user)
    except (ValidationError, PermissionDenied) as error:
        text = _message(error) if isinstance(error, ValidationError) else str(error)
        messages.error(
            request, _("The draft is saved but not submitted: %(reason)s") % {"reason": text}
        )
        return redirect(_edit_url(report, _first_unfinished_page(report) or page.number))
    messages.success(request, _submitted())
    return _to_report(report)


def _first_unfinished_page(report: Report) -> int | None:
    numbers = services.unfinished_numbers(report)
    return _page_of(numbers[0]) if numbers else None


def _page_of(number: int) -> int:
    return (number - 1) // ROWS_PER_PAGE + 1


def _edit_url(report: Report, page_number: int) -> str:
    url = reverse("activities:report_edit", kwargs={"pk": report.pk})
    return url if page_number == 1 else f"{url}?page={page_number}"


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk)
    try:
        services.report_submit(report=report, by=request.user)
    except ValidationError as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, _submitted())
    return _to_report(report)


# --- review --------------------------------------------------------------------------------------


@coordinator_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_validate(request: HttpRequest, pk: int) -> HttpResponse:
    """GET says what validating does and whom it emails (``core.confirm``); the POST from
    its button validates."""
    report = access.get_report_for_user(request.user, pk)
    decision = policy.can_validate(request.user, report)
    if not decision:
        return _refused(request, decision, report)
    if request.method != "POST":
        return confirmation_page(request, _validate_confirmation(report))
    try:
        report = services.report_validate(report=report, by=request.user)
    except ValidationError as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, _validated(report))
    return _to_report(report)


def _who_is_emailed(report: Report) -> str:
    """Whom validating or returning the report emails, by name, or that nobody can be."""
    return emailed_people(services.organisation_contacts(report)) or _(
        "Nobody at the organisation can be emailed (no focal point or submitter with an "
        "address the portal can use): tell them yourself."
    )


def _validate_confirmation(report: Report) -> Confirmation:
    rows = report.rows.count()
    values = {
        "version": report.version,
        "organisation": report.organisation.name,
        "period": report.period,
        "rows": number_format(rows, force_grouping=True),
    }
    return Confirmation(
        title=_("Validate version %(version)s of the report of %(organisation)s for %(period)s?")
        % values,
        button=_("Validate version %(version)s") % values,
        consequences=[
            ngettext(
                "Its %(rows)s row counts in the cluster's figures from now on: the dashboard, "
                "the strategy page and the bulletins not yet published.",
                "Its %(rows)s rows count in the cluster's figures from now on: the dashboard, "
                "the strategy page and the bulletins not yet published.",
                rows,
            )
            % values,
            _(
                "This version is kept as validated. To change it later the organisation asks "
                "for a correction, and a coordinator reopens it as a new version."
            ),
            _who_is_emailed(report),
        ],
        cancel_url=reverse("activities:report", kwargs={"pk": report.pk}),
    )


def _validated(report: Report) -> str:
    text = _("Version %(version)s of the report is validated.") % {"version": report.version}
    return f"{text} {told_by_email(services.organisation_contacts(report))}"


@coordinator_required
@require_http_methods(["GET", "POST"])
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk)
    decision = policy.can_return(request.user, report)
    if not decision:
        return _refused(request, decision, report)
    rows = list(selectors.report_rows(report))
    form = ReturnReportForm(request.POST if request.method == "POST" else None, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_return(
                report=report,
                by=request.user,
                comment=form.cleaned_data["comment"],
                row_comments=form.row_comments(),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _returned(report))
            return _to_report(report)
    return render(
        request,
        "activities/reports/return.html",
        {"report": report, "form": form, "emailed": _who_is_emailed(report)},
        status=400 if request.method == "POST" else 200,
    )


# --- correction of a validated report ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def report_request_correction(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk)
    decision = policy.can_request_correction(request.user, report)
    if not decision:
        return _refused(request, decision, report)
    form = CorrectionRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_request_correction(
                report=report, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Your request is sent. The coordinators will reopen the report for correction."),
            )
            return _to_report(report)
    return render(
        request,
        "activities/reports/correction.html",
        {"report": report, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@coordinator_required
@require_POST
def report_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk)
    try:
        report = services.report_reopen(report=report, by=request.user)
    except ValidationError as error:
        messages.error(request, _message(error))
    else:
        messages.success(
            request,
            _(
                "The report is reopened as version %(version)s. The validated version stays in "
                "its history."
            )
            % {"version": report.version},
        )
    return _to_report(report)


# --- the list ------------------------------------------------------------------------------------


@login_required
@require_safe
def report_list(request: HttpRequest) -> HttpResponse:
    coordinator = is_coordinator(request.user)
    filterset = ReportFilter(
        request.GET or None,
        queryset=selectors.report_list_for_user(request.user),
        show_organisation=coordinator,
    )
    add_bootstrap_classes(filterset.form)
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    organisation = user_organisation(request.user)
    return render(
        request,
        "activities/reports/list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "reports": selectors.with_row_figures(page.object_list),
            "coordinator": coordinator,
            "organisation": organisation,
            "open_periods": list(access.open_periods()) if organisation else [],
        },
    )


urlpatterns = [
    path("periods/<int:period_pk>/report/", report_start, name="report_start"),
    path("reports/", report_list, name="reports"),
    path("reports/on-behalf/", report_on_behalf, name="report_on_behalf"),
    path("reports/<int:pk>/", report_detail, name="report"),
    path("reports/<int:pk>/edit/", report_edit, name="report_edit"),
    path("reports/<int:pk>/submit/", report_submit, name="report_submit"),
    path("reports/<int:pk>/validate/", report_validate, name="report_validate"),
    path("reports/<int:pk>/return/", report_return, name="report_return"),
    path(
        "reports/<int:pk>/request-correction/",
        report_request_correction,
        name="report_request_correction",
    ),
    path("reports/<int:pk>/reopen/", report_reopen, name="report_reopen"),
]
