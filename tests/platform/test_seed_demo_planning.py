"""``seed_demo`` gives Demoland's current cycle its plan per area: caseloads per governorate
(the Eastern Plains' per district) by population group, and targets per governorate for two
indicators that add up to their cluster-wide targets; the dashboard's Coverage tab and the
home page then show coverage; a second run changes nothing."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from planning.models import Caseload, IndicatorAreaTarget
from planning.selectors import caseloads_by_area
from strategy.models import Indicator, StrategyCycle
from tests.assessments.workflow_helpers import domains
from tests.text import table_rows

pytestmark = pytest.mark.django_db

SEEDED_AT = datetime.datetime(2027, 3, 17, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def seeded(time_machine):
    time_machine.move_to(SEEDED_AT)
    domains()
    call_command("seed_demo", stdout=StringIO())


def test_the_caseloads_add_up_to_the_cycle_people_targeted(seeded):
    cycle = StrategyCycle.objects.get(is_current=True)
    governorates = caseloads_by_area(cycle, 1)
    whole = [groups["all"] for groups in governorates.values()]
    assert len(whole) == 4
    # 40,000 + 36,000 + (12,000 + 10,000 + 8,000) + 38,000 in need; 17,000 + 15,500 +
    # (5,000 + 4,000 + 2,000) + 16,500 = 60,000 targeted.
    assert sum(figures.in_need for figures in whole) == 144_000
    assert sum(figures.targeted for figures in whole) == cycle.people_targeted == 60_000
    assert Caseload.objects.filter(cycle=cycle, area__level=2, group="all").count() == 3
    assert set(Caseload.objects.filter(cycle=cycle).values_list("group", flat=True)) == {
        "all",
        "girls",
        "boys",
        "women",
        "men",
    }


def test_the_area_targets_add_up_to_the_cluster_wide_targets(seeded):
    cycle = StrategyCycle.objects.get(is_current=True)
    for code in ("1.1", "1.3"):
        indicator = Indicator.objects.get(cycle=cycle, code=code)
        targets = IndicatorAreaTarget.objects.filter(indicator=indicator)
        assert targets.count() == 4
        assert sum(row.target for row in targets) == indicator.target
    assert Indicator.objects.get(cycle=cycle, code="1.1").target == Decimal(420_000)


def test_the_coverage_tab_and_the_home_page_show_coverage(seeded, client):
    client.force_login(get_user_model().objects.get(email="coordinator@demo.local"))
    html = client.get(reverse("analysis:coverage")).content.decode()
    rows = table_rows(html, "coverage-admin1-table")
    assert rows["Northern Hills"][:2] == ["40,000", "17,000"]
    # The Eastern Plains' three districts: 12,000 + 10,000 + 8,000 and 5,000 + 4,000 + 2,000.
    assert rows["Eastern Plains"][:2] == ["30,000", "11,000"]
    assert "home-coverage-table" in client.get("/en/").content.decode()


def test_a_second_run_changes_nothing(seeded):
    before = (
        list(Caseload.objects.values_list("pk", "people_in_need", "people_targeted")),
        list(IndicatorAreaTarget.objects.values_list("pk", "target")),
    )
    call_command("seed_demo", stdout=StringIO())
    after = (
        list(Caseload.objects.values_list("pk", "people_in_need", "people_targeted")),
        list(IndicatorAreaTarget.objects.values_list("pk", "target")),
    )
    assert after == before
