"""The migration from "figures by sex and age" to the figures an activity collects.

Run backwards then forwards inside the test's transaction (PostgreSQL rolls the schema back
with it): an activity counted by sex and age collects people by all four groups, one counted
as a single total collects a single count, their audit history reads the same, and report
rows keep their figures.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from activities.models import SEX_AND_AGE, Activity, Collects, ReportRow
from tests.activities.factories import ActivityFactory, ReportRowFactory

pytestmark = pytest.mark.django_db

BEFORE = ("activities", "0003_indicator_sources")
AFTER = ("activities", "0004_activity_figures")


def _migrate(target: tuple[str, str]):
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


def _row_figures() -> list[tuple]:
    return list(
        ReportRow.objects.order_by("pk").values_list("girls", "boys", "women", "men", "total")
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs transactional DDL")
def test_it_turns_by_sex_and_age_into_four_groups_and_a_total_into_a_single_count():
    by_sex_and_age = ActivityFactory(code="OPD")
    single = ActivityFactory(code="KITS", groups=())
    ReportRowFactory(activity=by_sex_and_age)
    ReportRowFactory(activity=single, girls=None, boys=None, women=None, men=None, total=9)
    figures, row_history = _row_figures(), ReportRow.history.count()
    with connection.cursor() as cursor:
        # Rows written in this transaction leave deferred checks that block ALTER TABLE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    old = _migrate(BEFORE)
    disaggregated = dict(
        old.get_model("activities", "Activity").objects.values_list("code", "disaggregated")
    )
    assert disaggregated == {"OPD": True, "KITS": False}

    new = _migrate(AFTER)
    for model in (
        new.get_model("activities", "Activity"),
        new.get_model("activities", "HistoricalActivity"),
    ):
        declared = {
            (code, collects, *groups)
            for code, collects, *groups in model.objects.values_list(
                "code", "collects", *(f"counts_{name}" for name in SEX_AND_AGE)
            )
        }
        assert declared == {
            ("OPD", Collects.GROUPS, True, True, True, True),
            ("KITS", Collects.COUNT, False, False, False, False),
        }
    assert _row_figures() == figures
    assert ReportRow.history.count() == row_history
    assert Activity.objects.get(code="KITS").figures == ("total",)
