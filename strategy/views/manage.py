"""Coordinators edit the strategy here: the cluster profile, cycles and their content,
and the list of health domains. Everybody else is refused (403); visitors are asked to log in.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.decorators import coordinator_required
from core.revisions import revisable_label
from strategy import selectors, services
from strategy.forms import (
    ApproachForm,
    ClusterProfileForm,
    CycleForm,
    HealthDomainForm,
    IndicatorForm,
    ObjectiveForm,
    PriorityForm,
)
from strategy.models import (
    HealthDomain,
    Indicator,
    StrategicApproach,
    StrategicObjective,
    StrategicPriority,
    StrategyCycle,
    cluster_profile,
)

FORM_TEMPLATE = "strategy/manage/form.html"
DELETE_TEMPLATE = "strategy/manage/confirm_delete.html"


def history_url(obj) -> str:
    """The page listing the record's revisions, where the revisions pages are installed."""
    label = revisable_label(type(obj))
    if label is None:
        return ""
    try:
        return reverse("core:revision_list", kwargs={"label": label, "pk": obj.pk})
    except NoReverseMatch:
        return ""


def _add_errors(form: ModelForm, error: ValidationError) -> None:
    """Put a service's errors on their fields, or above the form for fields it lacks."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _form_page(
    request: HttpRequest,
    form: ModelForm,
    *,
    save: Callable[[ModelForm], object],
    done: Callable[[object], str],
    saved_message: str,
    context: dict,
) -> HttpResponse:
    """Show the form; on a valid POST, save through the service and go to ``done(obj)``."""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                obj = save(form)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, saved_message)
                return redirect(done(obj))
        status = 400
    if form.instance.pk:
        context.setdefault("history_url", history_url(form.instance))
    return render(request, FORM_TEMPLATE, {"form": form, **context}, status=status)


def _delete_page(
    request: HttpRequest,
    obj,
    *,
    delete: Callable[[], None],
    done: str,
    deleted_message: str,
    context: dict,
) -> HttpResponse:
    if request.method == "POST":
        try:
            delete()
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, deleted_message)
        return redirect(done)
    return render(request, DELETE_TEMPLATE, {"object": obj, "cancel_url": done, **context})


def _data(request: HttpRequest) -> dict | None:
    return request.POST if request.method == "POST" else None


def _cycle_crumbs(cycle: StrategyCycle) -> list[tuple[str, str]]:
    return [
        (_("Manage the strategy"), reverse("strategy:manage")),
        (str(cycle), reverse("strategy:cycle_manage", args=[cycle.pk])),
    ]


# The overview.


@require_safe
@coordinator_required
def manage(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "strategy/manage/index.html",
        {
            "profile": selectors.cluster_profile_for_home(),
            "cycles": selectors.cycles().annotate(
                objective_count=Count("objectives", distinct=True),
                indicator_count=Count("indicators", distinct=True),
            ),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    files = request.FILES if request.method == "POST" else None
    form = ClusterProfileForm(_data(request), files, instance=cluster_profile())
    return _form_page(
        request,
        form,
        save=lambda f: services.cluster_profile_save(profile=f.save(commit=False)),
        done=lambda obj: reverse("strategy:manage"),
        saved_message=_("The cluster profile is saved."),
        context={
            "title": _("Edit the cluster profile"),
            "crumbs": [(_("Manage the strategy"), reverse("strategy:manage"))],
            "cancel_url": reverse("strategy:manage"),
        },
    )


# Strategy cycles.


def _save_cycle(form: CycleForm) -> StrategyCycle:
    cycle = form.save(commit=False)
    cycle.is_current = form.cleaned_data["make_current"]
    return services.cycle_save(cycle=cycle)


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def cycle_create(request: HttpRequest) -> HttpResponse:
    return _form_page(
        request,
        CycleForm(_data(request)),
        save=_save_cycle,
        done=lambda cycle: reverse("strategy:cycle_manage", args=[cycle.pk]),
        saved_message=_("The strategy cycle is created. Add its priorities and objectives."),
        context={
            "title": _("Add a strategy cycle"),
            "crumbs": [(_("Manage the strategy"), reverse("strategy:manage"))],
            "cancel_url": reverse("strategy:manage"),
        },
    )


@require_safe
@coordinator_required
def cycle_manage(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_or_404(selectors.cycle_with_content(), pk=pk)
    return render(
        request,
        "strategy/manage/cycle.html",
        {"cycle": cycle, "history_url": history_url(cycle)},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def cycle_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_or_404(StrategyCycle, pk=pk)
    return _form_page(
        request,
        CycleForm(_data(request), instance=cycle),
        save=_save_cycle,
        done=lambda cycle: reverse("strategy:cycle_manage", args=[cycle.pk]),
        saved_message=_("The strategy cycle is saved."),
        context={
            "title": _("Edit the strategy cycle"),
            "crumbs": _cycle_crumbs(cycle),
            "cancel_url": reverse("strategy:cycle_manage", args=[cycle.pk]),
        },
    )


# Priorities and key strategic approaches.


def _back_to_cycle(obj) -> str:
    return reverse("strategy:cycle_manage", args=[obj.cycle_id])


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def priority_create(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    cycle = get_object_or_404(StrategyCycle, pk=cycle_pk)
    form = PriorityForm(_data(request), instance=StrategicPriority(cycle=cycle))
    return _form_page(
        request,
        form,
        save=lambda f: services.priority_save(priority=f.save(commit=False)),
        done=_back_to_cycle,
        saved_message=_("The strategic priority is added."),
        context={
            "title": _("Add a strategic priority"),
            "crumbs": _cycle_crumbs(cycle),
            "cancel_url": reverse("strategy:cycle_manage", args=[cycle.pk]),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def priority_edit(request: HttpRequest, pk: int) -> HttpResponse:
    priority = get_object_or_404(StrategicPriority.objects.select_related("cycle"), pk=pk)
    return _form_page(
        request,
        PriorityForm(_data(request), instance=priority),
        save=lambda f: services.priority_save(priority=f.save(commit=False)),
        done=_back_to_cycle,
        saved_message=_("The strategic priority is saved."),
        context={
            "title": _("Edit the strategic priority"),
            "crumbs": _cycle_crumbs(priority.cycle),
            "cancel_url": _back_to_cycle(priority),
            "delete_url": reverse("strategy:priority_delete", args=[priority.pk]),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def priority_delete(request: HttpRequest, pk: int) -> HttpResponse:
    priority = get_object_or_404(StrategicPriority.objects.select_related("cycle"), pk=pk)
    return _delete_page(
        request,
        priority,
        delete=lambda: services.priority_delete(priority=priority),
        done=_back_to_cycle(priority),
        deleted_message=_("The strategic priority is deleted."),
        context={
            "title": _("Delete the strategic priority"),
            "crumbs": _cycle_crumbs(priority.cycle),
            "consequence": _("Objectives under this priority stay, without a priority."),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def approach_create(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    cycle = get_object_or_404(StrategyCycle, pk=cycle_pk)
    form = ApproachForm(_data(request), instance=StrategicApproach(cycle=cycle))
    return _form_page(
        request,
        form,
        save=lambda f: services.approach_save(approach=f.save(commit=False)),
        done=_back_to_cycle,
        saved_message=_("The key strategic approach is added."),
        context={
            "title": _("Add a key strategic approach"),
            "crumbs": _cycle_crumbs(cycle),
            "cancel_url": reverse("strategy:cycle_manage", args=[cycle.pk]),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def approach_edit(request: HttpRequest, pk: int) -> HttpResponse:
    approach = get_object_or_404(StrategicApproach.objects.select_related("cycle"), pk=pk)
    return _form_page(
        request,
        ApproachForm(_data(request), instance=approach),
        save=lambda f: services.approach_save(approach=f.save(commit=False)),
        done=_back_to_cycle,
        saved_message=_("The key strategic approach is saved."),
        context={
            "title": _("Edit the key strategic approach"),
            "crumbs": _cycle_crumbs(approach.cycle),
            "cancel_url": _back_to_cycle(approach),
            "delete_url": reverse("strategy:approach_delete", args=[approach.pk]),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def approach_delete(request: HttpRequest, pk: int) -> HttpResponse:
    approach = get_object_or_404(StrategicApproach.objects.select_related("cycle"), pk=pk)
    return _delete_page(
        request,
        approach,
        delete=lambda: services.approach_delete(approach=approach),
        done=_back_to_cycle(approach),
        deleted_message=_("The key strategic approach is deleted."),
        context={
            "title": _("Delete the key strategic approach"),
            "crumbs": _cycle_crumbs(approach.cycle),
        },
    )


# Objectives and their indicators.


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def objective_create(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    cycle = get_object_or_404(StrategyCycle, pk=cycle_pk)
    form = ObjectiveForm(_data(request), cycle=cycle)
    return _form_page(
        request,
        form,
        save=lambda f: services.objective_save(objective=f.save(commit=False)),
        done=_back_to_cycle,
        saved_message=_("The strategic objective is added. Add its indicators."),
        context={
            "title": _("Add a strategic objective"),
            "crumbs": _cycle_crumbs(cycle),
            "cancel_url": reverse("strategy:cycle_manage", args=[cycle.pk]),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def objective_edit(request: HttpRequest, pk: int) -> HttpResponse:
    objective = get_object_or_404(StrategicObjective.objects.select_related("cycle"), pk=pk)
    return _form_page(
        request,
        ObjectiveForm(_data(request), instance=objective, cycle=objective.cycle),
        save=lambda f: services.objective_save(objective=f.save(commit=False)),
        done=_back_to_cycle,
        saved_message=_("The strategic objective is saved."),
        context={
            "title": _("Edit the strategic objective"),
            "crumbs": _cycle_crumbs(objective.cycle),
            "cancel_url": _back_to_cycle(objective),
            "delete_url": reverse("strategy:objective_delete", args=[objective.pk]),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def objective_delete(request: HttpRequest, pk: int) -> HttpResponse:
    objective = get_object_or_404(StrategicObjective.objects.select_related("cycle"), pk=pk)
    return _delete_page(
        request,
        objective,
        delete=lambda: services.objective_delete(objective=objective),
        done=_back_to_cycle(objective),
        deleted_message=_("The strategic objective is deleted."),
        context={
            "title": _("Delete the strategic objective"),
            "crumbs": _cycle_crumbs(objective.cycle),
            "consequence": _("An objective can only be deleted once it has no indicators."),
        },
    )


def _save_indicator(form: IndicatorForm) -> Indicator:
    return services.indicator_save(
        indicator=form.save(commit=False), domains=form.cleaned_data["domains"]
    )


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def indicator_create(request: HttpRequest, objective_pk: int) -> HttpResponse:
    objective = get_object_or_404(
        StrategicObjective.objects.select_related("cycle"), pk=objective_pk
    )
    form = IndicatorForm(_data(request), cycle=objective.cycle, initial={"objective": objective.pk})
    return _form_page(
        request,
        form,
        save=_save_indicator,
        done=_back_to_cycle,
        saved_message=_("The indicator is added."),
        context={
            "title": _("Add an indicator"),
            "crumbs": _cycle_crumbs(objective.cycle),
            "cancel_url": _back_to_cycle(objective),
        },
    )


def _indicator(pk: int) -> Indicator:
    return get_object_or_404(
        Indicator.objects.select_related("cycle").prefetch_related(
            Prefetch("domains", queryset=HealthDomain.objects.order_by("order"))
        ),
        pk=pk,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _indicator(pk)
    return _form_page(
        request,
        IndicatorForm(_data(request), instance=indicator, cycle=indicator.cycle),
        save=_save_indicator,
        done=_back_to_cycle,
        saved_message=_("The indicator is saved."),
        context={
            "title": _("Edit the indicator"),
            "crumbs": _cycle_crumbs(indicator.cycle),
            "cancel_url": _back_to_cycle(indicator),
            "delete_url": reverse("strategy:indicator_delete", args=[indicator.pk]),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def indicator_delete(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _indicator(pk)
    return _delete_page(
        request,
        indicator,
        delete=lambda: services.indicator_delete(indicator=indicator),
        done=_back_to_cycle(indicator),
        deleted_message=_("The indicator is deleted."),
        context={"title": _("Delete the indicator"), "crumbs": _cycle_crumbs(indicator.cycle)},
    )


# Health domains.


def _domain_crumbs() -> list[tuple[str, str]]:
    return [
        (_("Manage the strategy"), reverse("strategy:manage")),
        (_("Health domains"), reverse("strategy:domain_list")),
    ]


@require_safe
@coordinator_required
def domain_list(request: HttpRequest) -> HttpResponse:
    domains = selectors.health_domains(include_retired=True).annotate(
        indicator_count=Count("indicators")
    )
    return render(request, "strategy/manage/domains.html", {"domains": domains})


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def domain_create(request: HttpRequest) -> HttpResponse:
    return _form_page(
        request,
        HealthDomainForm(_data(request)),
        save=lambda f: services.health_domain_save(domain=f.save(commit=False)),
        done=lambda domain: reverse("strategy:domain_list"),
        saved_message=_("The health domain is added."),
        context={
            "title": _("Add a health domain"),
            "crumbs": _domain_crumbs(),
            "cancel_url": reverse("strategy:domain_list"),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def domain_edit(request: HttpRequest, pk: int) -> HttpResponse:
    domain = get_object_or_404(HealthDomain, pk=pk)
    return _form_page(
        request,
        HealthDomainForm(_data(request), instance=domain),
        save=lambda f: services.health_domain_save(domain=f.save(commit=False)),
        done=lambda domain: reverse("strategy:domain_list"),
        saved_message=_("The health domain is saved."),
        context={
            "title": _("Edit the health domain"),
            "crumbs": _domain_crumbs(),
            "cancel_url": reverse("strategy:domain_list"),
        },
    )


@require_POST
@coordinator_required
def domain_retire(request: HttpRequest, pk: int) -> HttpResponse:
    domain = services.health_domain_set_active(
        domain=get_object_or_404(HealthDomain, pk=pk), active=False
    )
    messages.success(
        request,
        _("%(domain)s is retired: records keep it, but it is no longer offered.")
        % {"domain": domain.name},
    )
    return redirect("strategy:domain_list")


@require_POST
@coordinator_required
def domain_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    domain = services.health_domain_set_active(
        domain=get_object_or_404(HealthDomain, pk=pk), active=True
    )
    messages.success(request, _("%(domain)s is in use again.") % {"domain": domain.name})
    return redirect("strategy:domain_list")


urlpatterns = [
    path("manage/", manage, name="manage"),
    path("manage/profile/", profile_edit, name="profile_edit"),
    path("manage/cycles/new/", cycle_create, name="cycle_create"),
    path("manage/cycles/<int:pk>/", cycle_manage, name="cycle_manage"),
    path("manage/cycles/<int:pk>/edit/", cycle_edit, name="cycle_edit"),
    path("manage/cycles/<int:cycle_pk>/priorities/new/", priority_create, name="priority_create"),
    path("manage/priorities/<int:pk>/edit/", priority_edit, name="priority_edit"),
    path("manage/priorities/<int:pk>/delete/", priority_delete, name="priority_delete"),
    path("manage/cycles/<int:cycle_pk>/approaches/new/", approach_create, name="approach_create"),
    path("manage/approaches/<int:pk>/edit/", approach_edit, name="approach_edit"),
    path("manage/approaches/<int:pk>/delete/", approach_delete, name="approach_delete"),
    path("manage/cycles/<int:cycle_pk>/objectives/new/", objective_create, name="objective_create"),
    path("manage/objectives/<int:pk>/edit/", objective_edit, name="objective_edit"),
    path("manage/objectives/<int:pk>/delete/", objective_delete, name="objective_delete"),
    path(
        "manage/objectives/<int:objective_pk>/indicators/new/",
        indicator_create,
        name="indicator_create",
    ),
    path("manage/indicators/<int:pk>/edit/", indicator_edit, name="indicator_edit"),
    path("manage/indicators/<int:pk>/delete/", indicator_delete, name="indicator_delete"),
    path("manage/domains/", domain_list, name="domain_list"),
    path("manage/domains/new/", domain_create, name="domain_create"),
    path("manage/domains/<int:pk>/edit/", domain_edit, name="domain_edit"),
    path("manage/domains/<int:pk>/retire/", domain_retire, name="domain_retire"),
    path("manage/domains/<int:pk>/reactivate/", domain_reactivate, name="domain_reactivate"),
]
