"""Pages of the plan per area: a cycle's caseloads (the table of areas by population groups,
saved as a whole), the needs overview's upload and its template, and an indicator's
targets per area.

Members read them; coordinators edit them (``planning.policy``); visitors are asked to log in.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from core.exports import Column, stream_csv
from core.forms import add_bootstrap_classes, add_service_errors
from core.inputs import whole_number_or_none
from core.policy import Decision
from planning import policy, selectors, services
from planning.caseload_file import (
    GROUP_HXL,
    CaseloadFileError,
    in_need_column,
    targeted_column,
)
from planning.forms import AreaTargetSetForm, CaseloadSetForm, CaseloadUploadForm, in_need_name
from planning.models import PLANNING_LEVELS, PopulationGroup
from planning.services import SUMMED_KINDS
from strategy.models import Indicator, StrategyCycle

PROBLEMS_SHOWN = 200


def _allowed(decision: Decision) -> None:
    if not decision:
        raise PermissionDenied(decision.reason)


def _private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True)
    return response


def _level(request: HttpRequest) -> int:
    raw = request.POST.get("level") if request.method == "POST" else request.GET.get("level")
    level = whole_number_or_none(raw or "1", maximum=9)
    return level if level in PLANNING_LEVELS else PLANNING_LEVELS[0]


def _with_suggestions(data: QueryDict, areas, suggestions: dict[int, int]) -> tuple[QueryDict, int]:
    """The posted form with each empty "all people" in-need field filled from the
    assessments' suggestion; and how many were filled."""
    filled = data.copy()
    count = 0
    for area in areas:
        name = in_need_name(area, PopulationGroup.ALL)
        if area.pk in suggestions and not filled.get(name, "").strip():
            filled[name] = str(suggestions[area.pk])
            count += 1
    return filled, count


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def caseloads(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    _allowed(policy.can_see_plan(request.user))
    cycle = get_object_or_404(StrategyCycle, pk=cycle_pk)
    can_edit = policy.can_edit_plan(request.user)
    if request.method == "POST":
        _allowed(can_edit)
    level = _level(request)
    areas = selectors.planning_areas(level)
    sources = selectors.caseload_sources(cycle)
    table = selectors.caseload_table(cycle, level)
    suggestions = selectors.assessment_suggestions(cycle, level) if can_edit else {}
    data = request.POST if request.method == "POST" else None
    validate = data is not None
    if data is not None and "suggest" in data:
        data, count = _with_suggestions(data, areas, suggestions)
        validate = False
        message = ngettext(
            "%(count)s suggestion copied into an empty field. Check it, then save.",
            "%(count)s suggestions copied into empty fields. Check them, then save.",
            count,
        )
        messages.info(request, message % {"count": count})
    form = CaseloadSetForm(data, areas=areas, table=table, source=sources[0] if sources else "")
    add_bootstrap_classes(form)
    status = 200
    if validate:
        if form.is_valid():
            try:
                report = services.caseloads_save(
                    cycle=cycle,
                    entries=form.entries(),
                    levels=[level],
                    source=form.cleaned_data["source"],
                    by=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The caseloads are saved. %(summary)s") % {"summary": report.summary()},
                )
                url = reverse("planning:caseloads", args=[cycle.pk])
                return redirect(f"{url}?level={level}")
        status = 400
    counts = selectors.caseload_counts_by_level(cycle)
    return _private(
        render(
            request,
            "planning/caseloads.html",
            {
                "cycle": cycle,
                "level": level,
                "levels": PLANNING_LEVELS,
                "other_level_count": sum(n for lvl, n in counts.items() if lvl != level),
                "form": form,
                "show_errors": validate,
                "groups": PopulationGroup,
                "suggestions": suggestions,
                "can_edit": can_edit,
            },
            status=status,
        )
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def caseload_upload(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    _allowed(policy.can_edit_plan(request.user))
    cycle = get_object_or_404(StrategyCycle, pk=cycle_pk)
    report = None
    problems = None
    form = CaseloadUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.caseloads_load(
                cycle=cycle,
                data=form.cleaned_data["file"],
                source=form.cleaned_data["source"],
                by=request.user,
                dry_run=form.cleaned_data["dry_run"],
            )
        except CaseloadFileError as error:
            problems = error.problems
            messages.error(request, _("Nothing was loaded: the file has problems, listed below."))
        else:
            if report.dry_run:
                messages.info(request, _("The file is correct. Nothing was loaded yet."))
            else:
                messages.success(request, _("The caseloads were loaded."))
            form = CaseloadUploadForm(initial={"source": form.cleaned_data["source"]})
    add_bootstrap_classes(form)
    return _private(
        render(
            request,
            "planning/caseload_upload.html",
            {
                "cycle": cycle,
                "form": form,
                "report": report,
                "problems": problems[:PROBLEMS_SHOWN] if problems else None,
                "problem_count": len(problems) if problems else 0,
                "problems_hidden": max(0, len(problems) - PROBLEMS_SHOWN) if problems else 0,
                "groups": [
                    (group, in_need_column(group), targeted_column(group), GROUP_HXL[group])
                    for group in PopulationGroup
                ],
            },
            status=400 if form.errors or problems else 200,
        )
    )


def _template_columns() -> list[Column]:
    columns = [
        Column("ADM1_PCODE", "#adm1+code", lambda area: area.pcode),
        Column("ADM1_NAME", "#adm1+name", lambda area: area.name_en),
        Column("ADM2_PCODE", "#adm2+code", lambda area: ""),
        Column("ADM2_NAME", "#adm2+name", lambda area: ""),
    ]
    for group in PopulationGroup:
        columns.append(Column(in_need_column(group), "#inneed" + GROUP_HXL[group], lambda a: ""))
    for group in PopulationGroup:
        columns.append(Column(targeted_column(group), "#targeted" + GROUP_HXL[group], lambda a: ""))
    return columns


@login_required
@require_safe
def caseload_template(request: HttpRequest) -> HttpResponse:
    """The needs overview's layout with an HXL row, one line per admin1 area to fill in."""
    _allowed(policy.can_edit_plan(request.user))
    return stream_csv(
        selectors.planning_areas(1),
        _template_columns(),
        filename="caseloads-template.csv",
        hxl=True,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def area_targets(request: HttpRequest, indicator_pk: int) -> HttpResponse:
    _allowed(policy.can_see_plan(request.user))
    indicator = get_object_or_404(Indicator.objects.select_related("cycle"), pk=indicator_pk)
    can_edit = policy.can_edit_plan(request.user)
    if request.method == "POST":
        _allowed(can_edit)
    level = _level(request)
    areas = selectors.planning_areas(level)
    form = AreaTargetSetForm(
        request.POST or None, areas=areas, table=selectors.target_table(indicator, level)
    )
    add_bootstrap_classes(form)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.area_targets_save(
                    indicator=indicator,
                    level=level,
                    targets=form.targets(),
                    update_cluster_target=form.cleaned_data["update_cluster_target"],
                    by=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The targets per area are saved."))
                url = reverse("planning:area_targets", args=[indicator.pk])
                return redirect(f"{url}?level={level}")
        status = 400
    all_targets = selectors.area_targets(indicator)
    return _private(
        render(
            request,
            "planning/area_targets.html",
            {
                "indicator": indicator,
                "level": level,
                "levels": PLANNING_LEVELS,
                "form": form,
                "summed": indicator.kind in SUMMED_KINDS,
                "total": sum((row.target for row in all_targets), 0),
                "other_level_count": sum(1 for row in all_targets if row.level != level),
                "can_edit": can_edit,
            },
            status=status,
        )
    )
