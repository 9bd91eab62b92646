"""Saving caseloads and targets per area as whole sets: the rows' checks, the sets' rules and
what a coordinator's save writes (and its history)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from planning.models import Caseload, IndicatorAreaTarget, PopulationGroup
from planning.services import CaseloadEntry, area_targets_save, caseloads_save
from tests.factories import AdminAreaFactory, UserFactory

pytestmark = pytest.mark.django_db

ALL, GIRLS = PopulationGroup.ALL, PopulationGroup.GIRLS


@pytest.fixture
def cora(db):
    return UserFactory(is_coordinator=True)


def _save(plan, entries, by, levels=(1,), source="HNO 2026"):
    return caseloads_save(cycle=plan.cycle, entries=entries, levels=levels, source=source, by=by)


def _figures(plan) -> set[tuple]:
    return set(
        Caseload.objects.filter(cycle=plan.cycle).values_list(
            "area__pcode", "group", "people_in_need", "people_targeted", "source"
        )
    )


def test_a_set_is_saved_with_its_source_and_author(plan, cora):
    report = _save(
        plan,
        [CaseloadEntry(plan.north, ALL, 12000, 9000), CaseloadEntry(plan.south, ALL, 8000, None)],
        cora,
    )
    assert report.added == 2
    assert _figures(plan) == {
        ("PL1", "all", 12000, 9000, "HNO 2026"),
        ("PL2", "all", 8000, None, "HNO 2026"),
    }
    row = Caseload.objects.get(area=plan.north)
    assert row.updated_by == cora
    assert [h.history_type for h in row.history.all()] == ["+"]
    assert row.history.get().history_user == cora


def test_saving_a_level_again_changes_removes_and_keeps_the_other_level(plan, cora):
    _save(plan, [CaseloadEntry(plan.d21, ALL, 500, 400)], cora, levels=(2,))
    _save(
        plan,
        [CaseloadEntry(plan.north, ALL, 12000, 9000), CaseloadEntry(plan.north, GIRLS, 3000, 2000)],
        cora,
    )
    report = _save(plan, [CaseloadEntry(plan.north, ALL, 12500, 9000)], cora)
    assert (report.added, report.changed, report.removed) == (0, 1, 1)
    assert _figures(plan) == {
        ("PL1", "all", 12500, 9000, "HNO 2026"),
        ("PL201", "all", 500, 400, "HNO 2026"),
    }
    kinds = Caseload.history.filter(area=plan.north, group="girls").values_list(
        "history_type", flat=True
    )
    assert sorted(kinds) == ["+", "-"]


def test_people_targeted_above_those_in_need_are_refused(plan, cora):
    with pytest.raises(ValidationError) as error:
        _save(plan, [CaseloadEntry(plan.north, ALL, 1000, 1200)], cora)
    assert error.value.messages == [
        "North (PL1), all people: the people targeted (1,200) exceed the people in need (1,000)."
    ]
    assert not Caseload.objects.exists()


def test_an_admin1_area_and_its_district_for_the_same_group_would_count_twice(plan, cora):
    _save(plan, [CaseloadEntry(plan.d11, ALL, 500, 400)], cora, levels=(2,))
    with pytest.raises(ValidationError) as error:
        _save(plan, [CaseloadEntry(plan.north, ALL, 12000, 9000)], cora)
    assert error.value.messages == [
        "North One (PL101) lies in North (PL1), which has its own caseload for all people: "
        "giving both would count its people twice. Give the admin1 area or its districts, "
        "not both."
    ]
    assert _figures(plan) == {("PL101", "all", 500, 400, "HNO 2026")}


def test_an_admin1_total_with_district_figures_of_another_group_is_allowed(plan, cora):
    _save(plan, [CaseloadEntry(plan.d11, GIRLS, 100, 50)], cora, levels=(2,))
    _save(plan, [CaseloadEntry(plan.north, ALL, 12000, 9000)], cora)
    assert Caseload.objects.count() == 2


def test_an_admin3_area_is_refused(plan, cora):
    village = AdminAreaFactory(pcode="PL10101", level=3, parent=plan.d11, name_en="Village")
    with pytest.raises(ValidationError, match="not an admin1 or admin2 area"):
        _save(plan, [CaseloadEntry(village, ALL, 10, 5)], cora, levels=(3,))


def test_only_coordinators_save_caseloads(plan, world):
    with pytest.raises(PermissionDenied):
        _save(plan, [CaseloadEntry(plan.north, ALL, 10, 5)], world.user("focal"))


def test_the_database_keeps_one_caseload_per_area_and_group_and_targeted_within_need(plan):
    Caseload.objects.create(cycle=plan.cycle, area=plan.north, people_in_need=10)
    with pytest.raises(IntegrityError), transaction.atomic():
        Caseload.objects.create(cycle=plan.cycle, area=plan.north, people_in_need=20)
    with pytest.raises(IntegrityError), transaction.atomic():
        Caseload.objects.create(
            cycle=plan.cycle, area=plan.south, people_in_need=10, people_targeted=11
        )


# --- targets per area -------------------------------------------------------------------------


def _targets(indicator) -> dict[str, Decimal]:
    rows = IndicatorAreaTarget.objects.filter(indicator=indicator)
    return dict(rows.values_list("area__pcode", "target"))


def test_count_targets_that_add_up_to_the_cluster_wide_target_are_saved(plan, cora):
    # 9,000 + 6,000 = 15,000, the indicator's cluster-wide target.
    area_targets_save(
        indicator=plan.count,
        level=1,
        targets={plan.north: Decimal(9000), plan.south: Decimal(6000)},
        by=cora,
    )
    assert _targets(plan.count) == {"PL1": Decimal(9000), "PL2": Decimal(6000)}


def test_count_targets_that_do_not_add_up_are_refused_with_the_figures(plan, cora):
    # District targets 4,000 + 5,400 + 3,000 = 12,400; the indicator says 15,000.
    with pytest.raises(ValidationError) as error:
        area_targets_save(
            indicator=plan.count,
            level=2,
            targets={plan.d11: Decimal(4000), plan.d12: Decimal(5400), plan.d21: Decimal(3000)},
            by=cora,
        )
    assert error.value.messages == [
        "The areas' targets add up to 12,400; the cluster-wide target is 15,000."
    ]
    assert _targets(plan.count) == {}


def test_a_coordinator_updates_the_cluster_wide_target_to_the_sum(plan, cora):
    area_targets_save(
        indicator=plan.count,
        level=2,
        targets={plan.d11: Decimal(4000), plan.d12: Decimal(5400), plan.d21: Decimal(3000)},
        update_cluster_target=True,
        by=cora,
    )
    plan.count.refresh_from_db()
    assert plan.count.target == Decimal(12400)
    assert plan.count.history.first().history_user == cora
    assert sum(_targets(plan.count).values()) == Decimal(12400)


def test_the_sum_counts_the_other_levels_targets(plan, cora):
    # South at admin1 (6,000) stays; North's districts 4,000 + 5,000: 15,000 in all.
    area_targets_save(
        indicator=plan.count,
        level=1,
        targets={plan.south: Decimal(6000)},
        update_cluster_target=True,
        by=cora,
    )
    plan.count.refresh_from_db()
    assert plan.count.target == Decimal(6000)
    with pytest.raises(ValidationError, match="add up to 15,000; the cluster-wide target is 6,000"):
        area_targets_save(
            indicator=plan.count,
            level=2,
            targets={plan.d11: Decimal(4000), plan.d12: Decimal(5000)},
            by=cora,
        )


def test_a_sum_against_the_indicators_direction_leaves_everything_as_it_was(plan, cora):
    plan.count.baseline = Decimal(1000)
    plan.count.save()
    with pytest.raises(ValidationError, match="cannot become 500"):
        area_targets_save(
            indicator=plan.count,
            level=1,
            targets={plan.north: Decimal(500)},
            update_cluster_target=True,
            by=cora,
        )
    plan.count.refresh_from_db()
    assert plan.count.target == Decimal(15000)
    assert _targets(plan.count) == {}


def test_count_targets_at_an_admin1_area_and_its_district_are_refused(plan, cora):
    area_targets_save(
        indicator=plan.count,
        level=1,
        targets={plan.north: Decimal(10000), plan.south: Decimal(5000)},
        by=cora,
    )
    with pytest.raises(ValidationError, match="would count twice"):
        area_targets_save(indicator=plan.count, level=2, targets={plan.d11: Decimal(1)}, by=cora)


def test_a_rate_target_between_the_smallest_and_largest_area_target_is_saved(plan, cora):
    area_targets_save(
        indicator=plan.rate,
        level=1,
        targets={plan.north: Decimal(70), plan.south: Decimal(90)},
        by=cora,
    )
    assert _targets(plan.rate) == {"PL1": Decimal(70), "PL2": Decimal(90)}


def test_a_rate_target_outside_its_areas_targets_is_refused(plan, cora):
    with pytest.raises(ValidationError) as error:
        area_targets_save(
            indicator=plan.rate,
            level=1,
            targets={plan.north: Decimal(60), plan.south: Decimal("75.5")},
            update_cluster_target=True,  # no sum for a rate: the rule still applies
            by=cora,
        )
    assert error.value.messages == [
        "The cluster-wide target, 80, is not between the smallest area target, 60, and the "
        "largest, 75.50: a rate for the whole cluster lies between its areas' rates."
    ]
    plan.rate.refresh_from_db()
    assert plan.rate.target == Decimal(80)


def test_an_empty_set_removes_the_levels_targets(plan, cora):
    area_targets_save(indicator=plan.rate, level=1, targets={plan.north: Decimal(80)}, by=cora)
    area_targets_save(indicator=plan.rate, level=1, targets={}, by=cora)
    assert _targets(plan.rate) == {}
    assert IndicatorAreaTarget.history.filter(history_type="-").count() == 1


def test_only_coordinators_save_targets(plan, world):
    with pytest.raises(PermissionDenied):
        area_targets_save(indicator=plan.rate, level=1, targets={}, by=world.user("other_member"))
