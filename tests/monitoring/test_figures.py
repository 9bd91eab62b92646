"""The monitoring figures by kind, cluster-wide and per admin1, against the hand-computed
dataset of tests/analysis/kinds.py, and the groups of the figure each rule picks.

Per admin1 over January to June 2026 (North holds N1 and N2, South holds S1):
- 1.1 count: North 300 + 200 + 100 = 600, South 150; cluster 750.
- 1.2 people reached once: North's N1 peaks at 120 (TREAT in March), South's S1 at 70 (VAC in
  February); cluster 190.
- 2.1 rate: North (4 + 1) ÷ (200 + 100) = 1.67 → 1.7 % (N2's 3 deaths have no cases: left
  out); South 2 ÷ (60 + 40) = 2.0 %; cluster 7 ÷ 400 = 1.75 → 1.8 %.
- 2.2 rate: North 4 ÷ 10 = 40.0 %; South nothing.
- 3.1 latest value: North 3 (June); South nothing.
- 3.2 latest value (March to June): North N1's June 8 (N2's February 5 is too old), South
  S1's April 4; cluster 12.
"""

import datetime
from decimal import Decimal

import pytest

from activities.models import ActivityUnit, ReportStatus
from analysis import measures, monitoring
from analysis.selectors import Filters
from analysis.services import rebuild_all
from locations.models import AdminArea
from tests.activities.factories import (
    ActivityFactory,
    PeriodFactory,
    ReportFactory,
    ReportRowFactory,
)
from tests.analysis.kinds import FIRST, JULY_15_2026, LAST, build

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(JULY_15_2026)]


@pytest.fixture
def kinds(settings):
    settings.LATEST_MAX_AGE = 3
    return build()


def _values(found):
    codes = {area.pk: area.pcode for area in AdminArea.objects.all()}
    return {
        (indicator, codes.get(place, "")): result.value
        for (indicator, place), result in found.items()
    }


def test_each_kind_per_admin1_follows_its_rule(kinds):
    ids = {indicator.pk: code for code, indicator in kinds.indicators.items()}
    found = monitoring.results(
        Filters(first_month=FIRST, last_month=LAST), list(kinds.indicators.values()), level=1
    )
    values = {(ids[i], pcode): value for (i, pcode), value in _values(found).items()}
    assert values == {
        ("1.1", "ZZ1"): 600,
        ("1.1", "ZZ2"): 150,
        ("1.2", "ZZ1"): 120,
        ("1.2", "ZZ2"): 70,
        ("2.1", "ZZ1"): Decimal("1.7"),
        ("2.1", "ZZ2"): Decimal("2.0"),
        ("2.2", "ZZ1"): Decimal("40.0"),
        ("3.1", "ZZ1"): 3,
        ("3.2", "ZZ1"): 8,
        ("3.2", "ZZ2"): 4,
    }


def test_the_cluster_wide_results_are_the_dashboards(kinds):
    filters = Filters(first_month=FIRST, last_month=LAST)
    indicators = list(kinds.indicators.values())
    found = monitoring.results(filters, indicators)
    dashboard = {m.indicator.pk: m.value for m in measures.measures(filters, indicators)}
    assert {i: r.value for (i, _place), r in found.items()} == {
        pk: value for pk, value in dashboard.items() if value is not None
    }
    assert dashboard[kinds.indicators["2.1"].pk] == Decimal("1.8")


def test_the_groups_are_those_of_the_figure_each_rule_picks(db):
    """People reached once in one district: March's 60 (girls 10, boys 20, women 20, men 10)
    beats February's 50 (25, 25, 0, 0) and April's 40; a count adds every month up."""
    kinds_indicators = build().indicators
    area = AdminArea.objects.get(pcode="ZZ101")
    treat = ActivityFactory(
        code="CARE", indicator=kinds_indicators["1.2"], unit=ActivityUnit.PEOPLE
    )
    counted = ActivityFactory(code="VISITS", indicator=kinds_indicators["1.1"])
    organisation = ReportFactory(status=ReportStatus.VALIDATED).organisation
    for month, groups in {
        2: (25, 25, 0, 0),
        3: (10, 20, 20, 10),
        4: (5, 5, 15, 15),
    }.items():
        report = ReportFactory(
            organisation=organisation,
            period=PeriodFactory(year=2027, month=month),
            status=ReportStatus.VALIDATED,
        )
        for activity in (treat, counted):
            girls, boys, women, men = groups
            ReportRowFactory(
                report=report,
                activity=activity,
                area=area,
                girls=girls,
                boys=boys,
                women=women,
                men=men,
            )
    rebuild_all()
    filters = Filters(first_month=datetime.date(2027, 1, 1), last_month=datetime.date(2027, 6, 1))
    indicators = [kinds_indicators["1.1"], kinds_indicators["1.2"]]
    found = monitoring.results(filters, indicators, level=2)
    once = found[(kinds_indicators["1.2"].pk, area.pk)]
    assert once.value == 60
    assert once.groups == {"girls": 10, "boys": 20, "women": 20, "men": 10}
    count = found[(kinds_indicators["1.1"].pk, area.pk)]
    assert count.value == 50 + 60 + 40
    assert count.groups == {"girls": 40, "boys": 50, "women": 35, "men": 25}


def test_the_download_rows_give_the_period_and_the_cycle_so_far(kinds):
    """April to June 2026: 1.1 had nothing in those months (its 750 are January to March),
    3.2 is June's 12 in both; the plan's North target and in need appear on North's row."""
    north = AdminArea.objects.get(pcode="ZZ1")
    consultations = kinds.indicators["1.1"]
    plan = monitoring.Plan(
        in_need={0: 9000, north.pk: 5000}, targets={consultations.pk: {north.pk: Decimal(400)}}
    )
    rows = monitoring.rpm_rows(
        kinds.cycle, datetime.date(2026, 4, 1), datetime.date(2026, 6, 1), plan, "Health"
    )
    by_key = {(row["indicator_code"], row["area_pcode"]): row for row in rows}
    assert [(row["indicator_code"], row["area_pcode"]) for row in rows] == [
        ("1.1", ""),
        ("1.1", "ZZ1"),
        ("1.2", ""),
        ("2.1", ""),
        ("2.2", ""),
        ("2.3", ""),
        ("3.1", ""),
        ("3.2", ""),
    ]
    cluster = by_key[("1.1", "")]
    assert (cluster["result_period"], cluster["result_cumulative"]) == ("", "750")
    assert (cluster["baseline"], cluster["target"], cluster["in_need"]) == ("0", "600", "9000")
    assert (cluster["period_start"], cluster["period_end"]) == ("2026-04-01", "2026-06-30")
    assert cluster["plan_cluster"] == "Health"
    assert cluster["unit"] == "consultations"
    north_row = by_key[("1.1", "ZZ1")]
    assert (north_row["target"], north_row["in_need"], north_row["baseline"]) == ("400", "5000", "")
    assert (north_row["result_period"], north_row["result_cumulative"]) == ("", "600")
    assert by_key[("3.2", "")]["result_period"] == by_key[("3.2", "")]["result_cumulative"] == "12"
    assert by_key[("2.1", "")]["result_cumulative"] == "1.8"
    assert by_key[("2.3", "")]["result_cumulative"] == ""
    assert list(rows[0]) == list(monitoring.RPM_COLUMNS)
