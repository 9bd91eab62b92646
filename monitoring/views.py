"""The coordinators' monitoring periods: the list with a form to define one, a period's page
with its figures (as they stand while it is open, as frozen once closed), closing and reopening
through the shared confirmation page, and the download of each frozen copy."""

from decimal import Decimal, InvalidOperation
from operator import itemgetter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from analysis import monitoring as figures
from core.confirm import Confirmation, confirmation_page
from core.exports import Column, stream_csv, xlsx_response
from core.forms import add_bootstrap_classes, add_service_errors
from core.policy import Decision
from monitoring import policy, services
from monitoring.forms import PeriodForm, ReopenForm
from monitoring.models import FrozenFigures, MonitoringPeriod
from strategy.models import Indicator, cluster_profile


def _allowed(decision: Decision) -> None:
    if not decision:
        raise PermissionDenied(decision.reason)


def _private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def period_list(request: HttpRequest) -> HttpResponse:
    _allowed(policy.can_manage(request.user))
    form = PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            period = services.period_create(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The monitoring period %(period)s is defined.") % {"period": period}
            )
            return redirect("monitoring:detail", pk=period.pk)
    add_bootstrap_classes(form)
    periods = MonitoringPeriod.objects.select_related("cycle")
    return _private(render(request, "monitoring/list.html", {"periods": periods, "form": form}))


@login_required
@require_safe
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _allowed(policy.can_manage(request.user))
    period = get_object_or_404(MonitoringPeriod.objects.select_related("cycle"), pk=pk)
    closings = list(period.closings.select_related("closed_by", "reopened_by"))
    if period.is_closed:
        rows = closings[0].rows
    else:
        rows = figures.rpm_rows(
            period.cycle,
            period.first_month,
            period.last_month,
            figures.plan_for(period.cycle),
            cluster_profile().cluster_name_en,
        )
    # The page names the indicators in the reader's language; the frozen rows keep English.
    indicators = {i.code: i for i in Indicator.objects.filter(cycle_id=period.cycle_id)}
    context = {
        "period": period,
        "rows": [
            _shown(row) | {"indicator": indicators.get(row["indicator_code"])} for row in rows
        ],
        "closings": closings,
        "actions": policy.period_actions(request.user, period),
    }
    return _private(render(request, "monitoring/detail.html", context))


@login_required
@require_http_methods(["GET", "POST"])
def period_close(request: HttpRequest, pk: int) -> HttpResponse:
    _allowed(policy.can_manage(request.user))
    period = get_object_or_404(MonitoringPeriod, pk=pk)
    back = reverse("monitoring:detail", kwargs={"pk": period.pk})
    decision = policy.can_close(request.user, period)
    if not decision:
        messages.error(request, decision.reason)
        return HttpResponseRedirect(back)
    if request.method != "POST":
        return confirmation_page(
            request,
            Confirmation(
                title=_("Close %(period)s?") % {"period": period},
                button=_("Close and freeze the figures"),
                consequences=[
                    _("The figures of every indicator are frozen as they are now."),
                    _(
                        "The download for OCHA's Response Planning and Monitoring module is "
                        "made from the frozen figures; a report validated later does not "
                        "change it."
                    ),
                    _("A coordinator may reopen the period; these figures are kept."),
                ],
                cancel_url=back,
            ),
        )
    try:
        services.period_close(period=period, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The period is closed and its figures frozen."))
    return HttpResponseRedirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def period_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    _allowed(policy.can_manage(request.user))
    period = get_object_or_404(MonitoringPeriod, pk=pk)
    back = reverse("monitoring:detail", kwargs={"pk": period.pk})
    decision = policy.can_reopen(request.user, period)
    if not decision:
        messages.error(request, decision.reason)
        return HttpResponseRedirect(back)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.period_reopen(
                period=period, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The period is open again."))
            return HttpResponseRedirect(back)
    add_bootstrap_classes(form)
    confirmation = Confirmation(
        title=_("Reopen %(period)s?") % {"period": period},
        button=_("Reopen the period"),
        consequences=[
            _("The period's figures are computed afresh until it is closed again."),
            _("The figures frozen at its closing stay downloadable, with your reason."),
        ],
        cancel_url=back,
        form=form,
    )
    return confirmation_page(request, confirmation, status=400 if form.errors else 200)


def _frozen(request: HttpRequest, pk: int, number: int) -> FrozenFigures:
    _allowed(policy.can_manage(request.user))
    return get_object_or_404(
        FrozenFigures.objects.select_related("period"), period_id=pk, number=number
    )


def _filename(frozen: FrozenFigures, extension: str) -> str:
    period = frozen.period
    months = f"{period.first_month:%Y-%m}_{period.last_month:%Y-%m}"
    return f"monitoring_{months}_closing-{frozen.number}.{extension}"


def _number(value: str):
    """A frozen figure as a spreadsheet number, or an empty cell."""
    if not value:
        return None
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError):
        return value
    return int(number) if number == number.to_integral() else number


NUMERIC = {"baseline", "target", "in_need"} | {
    column for column in figures.RPM_COLUMNS if column.startswith(("result_", *figures.GROUPS))
}


def _shown(row: dict) -> dict:
    """A frozen row with its figures as numbers, for the page to format in its language."""
    return {name: _number(value) if name in NUMERIC else value for name, value in row.items()}


def _cell(name: str):
    if name in NUMERIC:
        return lambda row: _number(row[name])
    return itemgetter(name)


# The frozen rows are dicts keyed by the download's column names.
COLUMNS = [Column(name, "", _cell(name)) for name in figures.RPM_COLUMNS]


@login_required
@require_safe
def frozen_csv(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    frozen = _frozen(request, pk, number)
    return _private(stream_csv(frozen.rows, COLUMNS, filename=_filename(frozen, "csv")))


@login_required
@require_safe
def frozen_xlsx(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    frozen = _frozen(request, pk, number)
    response = xlsx_response(
        frozen.rows, COLUMNS, filename=_filename(frozen, "xlsx"), sheet_title="RPM"
    )
    return _private(response)
