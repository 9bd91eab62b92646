"""Coordinators edit the strategy in the portal, in English and Arabic side by side."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from partners.models import OrganisationStatus
from strategy.models import (
    HealthDomain,
    Indicator,
    StrategicObjective,
    StrategyCycle,
    cluster_profile,
)
from tests.factories import OrganisationFactory
from tests.text import has_phrase

pytestmark = pytest.mark.django_db


@pytest.fixture
def cora(world, login):
    return login(world.user("coordinator"))


def _indicator_data(indicator: Indicator, **changes) -> dict:
    data = {
        "objective": indicator.objective_id,
        "code": indicator.code,
        "name_en": indicator.name_en,
        "name_ar": indicator.name_ar,
        "unit": indicator.unit,
        "unit_label_en": "",
        "unit_label_ar": "",
        "baseline": str(indicator.baseline),
        "target": str(indicator.target),
        "direction": indicator.direction,
        "kind": indicator.kind,
        "domains": [d.pk for d in indicator.domains.all()],
        "order": indicator.order,
    }
    return {**data, **changes}


def test_the_form_puts_the_arabic_beside_the_english_written_right_to_left(cora, strategy):
    page = cora.get(reverse("strategy:objective_edit", args=[strategy.objective.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert re.search(r'<input[^>]*name="title_ar"[^>]*>', html).group(0).count('dir="rtl"') == 1
    assert 'lang="ar"' in re.search(r'<textarea[^>]*name="description_ar"[^>]*>', html).group(0)
    assert 'dir="ltr"' in re.search(r'<input[^>]*name="title_en"[^>]*>', html).group(0)
    assert html.index('name="title_en"') < html.index('name="title_ar"')


def test_a_coordinator_changes_an_indicator_target_and_the_history_records_it(
    cora, world, strategy
):
    indicator = strategy.indicator
    response = cora.post(
        reverse("strategy:indicator_edit", args=[indicator.pk]),
        _indicator_data(indicator, target="7500"),
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.target == Decimal(7500)
    assert indicator.history.first().history_user == world.user("coordinator")
    public = re.sub(r"\s+", " ", cora.get("/en/strategy/").content.decode())
    row = re.search(r'<th scope="row">1\.1</th>(.*?)</tr>', public).group(1)
    assert has_phrase(row, "7,500")


def test_a_target_against_the_direction_is_refused_with_a_clear_message(cora, strategy):
    indicator = strategy.indicator
    response = cora.post(
        reverse("strategy:indicator_edit", args=[indicator.pk]),
        _indicator_data(indicator, target="10"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was saved" in html
    assert "The target must be above the baseline when the indicator should increase." in html
    indicator.refresh_from_db()
    assert indicator.target == Decimal(2500)


def test_an_indicator_is_added_under_an_objective(cora, strategy):
    domain = HealthDomain.objects.get(code="nutrition")
    response = cora.post(
        reverse("strategy:indicator_create", args=[strategy.objective.pk]),
        _indicator_data(
            strategy.indicator, code="1.9", name_en="Children screened", domains=[domain.pk]
        ),
    )
    assert response.status_code == 302
    created = Indicator.objects.get(code="1.9")
    assert created.cycle == strategy.current
    assert list(created.domains.all()) == [domain]


def test_an_objective_code_used_in_the_cycle_is_refused(cora, strategy):
    response = cora.post(
        reverse("strategy:objective_create", args=[strategy.current.pk]),
        {"code": "SO2", "title_en": "Duplicate", "order": 4},
    )
    assert response.status_code == 400
    assert "Another objective of this strategy cycle has this code." in response.content.decode()


def test_making_a_new_cycle_current_keeps_the_previous_one_as_an_earlier_cycle(cora, strategy):
    response = cora.post(
        reverse("strategy:cycle_create"),
        {"title_en": "Next strategy", "start_year": 2028, "end_year": 2029, "make_current": "on"},
    )
    new = StrategyCycle.objects.get(start_year=2028)
    assert response["Location"] == reverse("strategy:cycle_manage", args=[new.pk])
    assert new.is_current
    strategy.current.refresh_from_db()
    assert not strategy.current.is_current
    assert "Next strategy" in cora.get("/en/strategy/").content.decode()
    assert cora.get("/en/strategy/2026-2027/").status_code == 200


def test_a_cycle_that_ends_before_it_starts_is_refused(cora, db):
    response = cora.post(
        reverse("strategy:cycle_create"),
        {"title_en": "Backwards", "start_year": 2029, "end_year": 2028},
    )
    assert response.status_code == 400
    assert "The last year cannot be before the first year." in response.content.decode()


def test_an_objective_with_indicators_is_not_deleted(cora, strategy):
    url = reverse("strategy:objective_delete", args=[strategy.objective.pk])
    assert cora.get(url).status_code == 200
    response = cora.post(url, follow=True)
    assert StrategicObjective.objects.filter(pk=strategy.objective.pk).exists()
    assert "still has indicators" in response.content.decode()


def test_a_priority_is_deleted_and_its_objectives_stay(cora, strategy):
    cora.post(reverse("strategy:priority_delete", args=[strategy.priority.pk]))
    strategy.objective.refresh_from_db()
    assert strategy.objective.priority is None


def test_a_retired_domain_is_no_longer_offered_but_kept_where_used(cora, strategy):
    domain = strategy.indicator.domains.first()
    cora.post(reverse("strategy:domain_retire", args=[domain.pk]))
    domain.refresh_from_db()
    assert not domain.is_active
    other = strategy.earlier.objectives.first()
    new_form = cora.get(reverse("strategy:indicator_create", args=[other.pk])).content.decode()
    assert f'value="{domain.pk}"' not in new_form
    edit_form = cora.get(reverse("strategy:indicator_edit", args=[strategy.indicator.pk]))
    assert f'value="{domain.pk}"' in edit_form.content.decode()
    cora.post(reverse("strategy:domain_reactivate", args=[domain.pk]))
    domain.refresh_from_db()
    assert domain.is_active


def test_a_coordinator_adds_a_health_domain_whose_code_then_stays(cora, db):
    cora.post(
        reverse("strategy:domain_create"),
        {"code": "eye-care", "name_en": "Eye care", "name_ar": "رعاية العيون", "order": 11},
    )
    domain = HealthDomain.objects.get(code="eye-care")
    cora.post(
        reverse("strategy:domain_edit", args=[domain.pk]),
        {"code": "changed", "name_en": "Eye health", "order": 11},
    )
    domain.refresh_from_db()
    assert (domain.code, domain.name_en) == ("eye-care", "Eye health")
    assert "Eye health" in cora.get("/en/strategy/domains/").content.decode()


def test_the_profile_offers_approved_organisations_as_lead_and_co_chair(cora, world):
    pending = OrganisationFactory(name_en="Pending Org", status=OrganisationStatus.PENDING)
    form = cora.get(reverse("strategy:profile_edit")).content.decode()
    assert "Alpha Health" in form
    assert "Pending Org" not in form
    response = cora.post(
        reverse("strategy:profile_edit"),
        {
            "cluster_name_en": "Testland Health Cluster",
            "cluster_name_ar": "مجموعة الصحة",
            "lead_agency": world.org_a.pk,
            "co_chair": world.org_b.pk,
            "purpose_en": "We **coordinate**.",
        },
    )
    assert response.status_code == 302
    profile = cluster_profile()
    assert (profile.lead_agency, profile.co_chair) == (world.org_a, world.org_b)
    refused = cora.post(
        reverse("strategy:profile_edit"), {"cluster_name_en": "X", "lead_agency": pending.pk}
    )
    assert refused.status_code == 400


def test_the_manage_pages_make_a_fixed_number_of_queries(
    cora, strategy, django_assert_max_num_queries
):
    from tests.strategy.conftest import make_cycle

    make_cycle(2022, 2023, current=False)
    for url in (
        reverse("strategy:manage"),
        reverse("strategy:cycle_manage", args=[strategy.current.pk]),
        reverse("strategy:domain_list"),
        reverse("strategy:indicator_edit", args=[strategy.indicator.pk]),
    ):
        with django_assert_max_num_queries(12):
            assert cora.get(url).status_code == 200


def test_each_edit_page_links_to_the_history_of_its_record(cora, strategy):
    pages = {
        reverse("strategy:indicator_edit", args=[strategy.indicator.pk]): "strategy.indicator",
        reverse(
            "strategy:objective_edit", args=[strategy.objective.pk]
        ): "strategy.strategicobjective",
        reverse("strategy:cycle_manage", args=[strategy.current.pk]): "strategy.strategycycle",
    }
    for url, label in pages.items():
        html = cora.get(url).content.decode()
        history = re.search(rf'href="(/en/revisions/{label}/\d+/)"', html).group(1)
        assert cora.get(history).status_code == 200


def test_a_restored_revision_brings_back_the_earlier_target(cora, strategy):
    indicator = strategy.indicator
    cora.post(
        reverse("strategy:indicator_edit", args=[indicator.pk]),
        _indicator_data(indicator, target="9999"),
    )
    first = indicator.history.order_by("history_id").first()
    cora.post(
        reverse(
            "core:revision_restore",
            kwargs={
                "label": "strategy.indicator",
                "pk": indicator.pk,
                "history_id": first.history_id,
            },
        )
    )
    indicator.refresh_from_db()
    assert indicator.target == Decimal(2500)


def _cycle_data(cycle: StrategyCycle, **changes) -> dict:
    data = {
        "title_en": cycle.title_en,
        "title_ar": cycle.title_ar,
        "start_year": cycle.start_year,
        "end_year": cycle.end_year,
        "people_targeted": 40000,
        "summary_en": cycle.summary_en,
        "summary_ar": cycle.summary_ar,
        "make_current": "on" if cycle.is_current else "",
    }
    return {**data, **changes}


def test_a_coordinator_names_the_cycle_s_headline_among_its_people_reached_once(cora, strategy):
    from strategy.models import IndicatorKind

    cycle, indicator = strategy.current, strategy.indicator
    indicator.kind = IndicatorKind.PEOPLE_ONCE
    indicator.save()
    url = reverse("strategy:cycle_edit", args=[cycle.pk])
    response = cora.post(url, _cycle_data(cycle, headline=indicator.pk))
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.headline == indicator
    manage = cora.get(reverse("strategy:cycle_manage", args=[cycle.pk])).content.decode()
    assert manage.count(">Headline<") == 1  # the badge beside its indicator

    count = Indicator.objects.filter(cycle=cycle).exclude(pk=indicator.pk).first()
    count.kind = IndicatorKind.COUNT
    count.save()
    response = cora.post(url, _cycle_data(cycle, headline=count.pk))
    # Only people reached once are offered: a count is not a valid choice.
    assert response.status_code == 400
    cycle.refresh_from_db()
    assert cycle.headline == indicator
