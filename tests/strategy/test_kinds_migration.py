"""The migration from "how it adds up" to indicator kinds, with indicators made before it.

Sums become counts, the largest monthly figure per area becomes people reached once, and a
percentage becomes a rate, "not measured" until a coordinator names its two activities.
Run backwards then forwards inside the test's transaction (PostgreSQL rolls the schema back).
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db

BEFORE = [("strategy", "0004_people_targeted")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs transactional DDL")
def test_sums_become_counts_peaks_people_reached_once_and_percentages_rates():
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    old = _migrate(BEFORE)
    cycle = old.get_model("strategy", "StrategyCycle").objects.create(
        title_en="Old", start_year=2020, end_year=2021
    )
    objective = old.get_model("strategy", "StrategicObjective").objects.create(
        cycle=cycle, code="SO1", title_en="Objective"
    )
    Indicator = old.get_model("strategy", "Indicator")
    for code, unit, aggregation, baseline, target in (
        ("1.1", "consultations", "sum", 0, 100),
        ("1.2", "people", "max_per_area", 0, 100),
        ("1.3", "percent", "max_per_area", 4, 1),
    ):
        Indicator.objects.create(
            objective=objective,
            cycle=cycle,
            code=code,
            name_en=code,
            unit=unit,
            aggregation=aggregation,
            baseline=baseline,
            target=target,
            direction="increase" if target > baseline else "decrease",
        )

    new = _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    kinds = dict(new.get_model("strategy", "Indicator").objects.values_list("code", "kind"))
    assert kinds == {"1.1": "count", "1.2": "people_once", "1.3": "rate"}
