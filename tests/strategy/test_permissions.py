"""The strategy permission matrix: public pages for everybody, editing pages for coordinators.

Coordinators and site administrators edit; members are refused (403) and visitors are asked
to log in. A POST that saves redirects back to the manage pages.
"""

import pytest

from strategy.models import (
    HealthDomain,
    Indicator,
    StrategicApproach,
    StrategicObjective,
    StrategicPriority,
    StrategyCycle,
)
from tests.matrix import LOGIN, Redirect, Row, check, every_role, params

COORDINATORS_ONLY = every_role(403, anonymous=LOGIN, coordinator=200, site_admin=200)


def coordinators_act(to) -> dict:
    target = Redirect(to=to) if callable(to) else Redirect(to)
    return every_role(403, anonymous=LOGIN, coordinator=target, site_admin=target)


def _cycle(world) -> StrategyCycle:
    cycle = StrategyCycle.objects.filter(start_year=2026).first()
    if cycle is None:
        cycle = StrategyCycle.objects.create(
            title_en="Strategy", start_year=2026, end_year=2027, is_current=True
        )
    return cycle


def _earlier(world) -> dict:
    _cycle(world)
    StrategyCycle.objects.get_or_create(
        start_year=2024, end_year=2025, defaults={"title_en": "Earlier strategy"}
    )
    return {"start_year": 2024, "end_year": 2025}


def _objective(world) -> StrategicObjective:
    objective, _created = StrategicObjective.objects.get_or_create(
        cycle=_cycle(world), code="SO1", defaults={"title_en": "Objective"}
    )
    return objective


def _indicator(world) -> Indicator:
    indicator = Indicator.objects.filter(code="1.1").first()
    if indicator is None:
        indicator = Indicator.objects.create(
            objective=_objective(world), code="1.1", name_en="Consultations", target=100
        )
    return indicator


def _with_a_cycle(world) -> dict:
    _cycle(world)
    return {}


def _cycle_pk(world) -> dict:
    return {"pk": _cycle(world).pk}


def _cycle_of_items(world) -> dict:
    return {"cycle_pk": _cycle(world).pk}


def _priority(world) -> dict:
    return {"pk": StrategicPriority.objects.create(cycle=_cycle(world), title_en="P").pk}


def _approach(world) -> dict:
    return {"pk": StrategicApproach.objects.create(cycle=_cycle(world), title_en="A").pk}


def _objective_pk(world) -> dict:
    return {"pk": _objective(world).pk}


def _objective_of_indicator(world) -> dict:
    return {"objective_pk": _objective(world).pk}


def _indicator_pk(world) -> dict:
    return {"pk": _indicator(world).pk}


def _domain(world) -> dict:
    return {"pk": HealthDomain.objects.get(code="nutrition").pk}


def _back_to_cycle(world) -> str:
    return f"/en/strategy/manage/cycles/{_cycle(world).pk}/"


def _item(world) -> dict:
    return {"title_en": "Saved", "order": 1}


def _objective_data(world) -> dict:
    return {"code": "SO7", "title_en": "Saved", "order": 1}


def _indicator_data(world) -> dict:
    return {
        "objective": _objective(world).pk,
        "code": "7.1",
        "name_en": "Saved",
        "unit": "people",
        "baseline": "0",
        "target": "10",
        "direction": "increase",
        "kind": "count",
        "order": 1,
    }


def _cycle_data(world) -> dict:
    return {"title_en": "Next strategy", "start_year": 2028, "end_year": 2029}


MANAGE = "/en/strategy/manage/"
DOMAINS = "/en/strategy/manage/domains/"

MATRIX = [
    # Public pages.
    Row("strategy:current", every_role(200)),
    # The cluster's colours and logo, for every page: public.
    Row("theme_css", every_role(200)),
    Row("cluster_logo", every_role(404), note="(no logo given yet)"),
    Row("strategy:current", every_role(200), kwargs=_with_a_cycle, note="with a cycle"),
    Row("strategy:cycle", every_role(200), kwargs=_earlier),
    Row(
        "strategy:cycle",
        every_role(Redirect("/en/strategy/")),
        kwargs=lambda w: {"start_year": _cycle(w).start_year, "end_year": _cycle(w).end_year},
        note="current",
    ),
    Row("strategy:cycle", every_role(404), kwargs=lambda w: {"start_year": 1990, "end_year": 1991}),
    Row("strategy:domains", every_role(200)),
    # The coordinators' pages.
    Row("strategy:manage", COORDINATORS_ONLY),
    Row("strategy:profile_edit", COORDINATORS_ONLY),
    Row(
        "strategy:profile_edit",
        coordinators_act(MANAGE),
        method="post",
        data=lambda w: {"cluster_name_en": "Health Cluster"},
    ),
    Row("strategy:cycle_create", COORDINATORS_ONLY),
    Row(
        "strategy:cycle_create",
        every_role(403, anonymous=LOGIN, coordinator=302, site_admin=302),
        method="post",
        data=_cycle_data,
    ),
    Row("strategy:cycle_manage", COORDINATORS_ONLY, kwargs=_cycle_pk),
    Row("strategy:cycle_edit", COORDINATORS_ONLY, kwargs=_cycle_pk),
    Row("strategy:priority_create", COORDINATORS_ONLY, kwargs=_cycle_of_items),
    Row(
        "strategy:priority_create",
        coordinators_act(_back_to_cycle),
        kwargs=_cycle_of_items,
        method="post",
        data=_item,
    ),
    Row("strategy:priority_edit", COORDINATORS_ONLY, kwargs=_priority),
    Row("strategy:priority_delete", COORDINATORS_ONLY, kwargs=_priority),
    Row(
        "strategy:priority_delete",
        coordinators_act(_back_to_cycle),
        kwargs=_priority,
        method="post",
    ),
    Row("strategy:approach_create", COORDINATORS_ONLY, kwargs=_cycle_of_items),
    Row("strategy:approach_edit", COORDINATORS_ONLY, kwargs=_approach),
    Row(
        "strategy:approach_edit",
        coordinators_act(_back_to_cycle),
        kwargs=_approach,
        method="post",
        data=_item,
    ),
    Row("strategy:approach_delete", COORDINATORS_ONLY, kwargs=_approach),
    Row("strategy:objective_create", COORDINATORS_ONLY, kwargs=_cycle_of_items),
    Row(
        "strategy:objective_create",
        coordinators_act(_back_to_cycle),
        kwargs=_cycle_of_items,
        method="post",
        data=_objective_data,
    ),
    Row("strategy:objective_edit", COORDINATORS_ONLY, kwargs=_objective_pk),
    Row("strategy:objective_delete", COORDINATORS_ONLY, kwargs=_objective_pk),
    Row("strategy:indicator_create", COORDINATORS_ONLY, kwargs=_objective_of_indicator),
    Row(
        "strategy:indicator_create",
        coordinators_act(_back_to_cycle),
        kwargs=_objective_of_indicator,
        method="post",
        data=_indicator_data,
    ),
    Row("strategy:indicator_edit", COORDINATORS_ONLY, kwargs=_indicator_pk),
    Row("strategy:indicator_delete", COORDINATORS_ONLY, kwargs=_indicator_pk),
    Row(
        "strategy:indicator_delete",
        coordinators_act(_back_to_cycle),
        kwargs=_indicator_pk,
        method="post",
    ),
    Row("strategy:domain_list", COORDINATORS_ONLY),
    Row("strategy:domain_create", COORDINATORS_ONLY),
    Row("strategy:domain_edit", COORDINATORS_ONLY, kwargs=_domain),
    Row("strategy:domain_retire", coordinators_act(DOMAINS), kwargs=_domain, method="post"),
    Row("strategy:domain_retire", every_role(405), kwargs=_domain, note="by GET"),
    Row("strategy:domain_reactivate", coordinators_act(DOMAINS), kwargs=_domain, method="post"),
    Row(
        "strategy:cycle_manage",
        every_role(404, anonymous=LOGIN, staff=403, focal=403, other_member=403),
        kwargs=lambda w: {"pk": 999999},
        note="missing",
    ),
]


@pytest.mark.parametrize(("row", "role"), params(MATRIX), ids=str)
def test_permissions(row, role, world, login):
    check(row, role, world, login)
