"""Closing a monitoring period freezes its figures; the download is made from the frozen copy;
reopening keeps it; closing again makes a second one. Against tests/analysis/kinds.py
(consultations, indicator 1.1: 750 from January to March 2026, 600 of them in North)."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from activities.models import ReportStatus
from analysis.monitoring import RPM_COLUMNS
from analysis.services import rebuild_all
from locations.models import AdminArea
from monitoring import services
from monitoring.models import MonitoringPeriod
from planning.models import Caseload, IndicatorAreaTarget, PopulationGroup
from tests.activities.factories import PeriodFactory, ReportFactory, ReportRowFactory
from tests.analysis.kinds import build
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
Q1 = (datetime.date(2026, 1, 1), datetime.date(2026, 3, 1))


@pytest.fixture
def kinds(settings):
    settings.LATEST_MAX_AGE = 3
    return build()


@pytest.fixture
def cora(db):
    return UserFactory(email="cora@example.org", is_coordinator=True)


def _period(kinds, cora, months=Q1) -> MonitoringPeriod:
    first, last = months
    return services.period_create(cycle=kinds.cycle, first_month=first, last_month=last, by=cora)


def _csv(client, period, number) -> list[dict]:
    response = client.get(reverse("monitoring:frozen_csv", args=[period.pk, number]))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _consultations(rows) -> str:
    return next(r for r in rows if r["indicator_code"] == "1.1" and not r["area_pcode"])[
        "result_period"
    ]


def _validate_more_consultations(kinds):
    """A late report for March: 40 more consultations in N1."""
    report = ReportFactory(period=PeriodFactory(year=2026, month=3), status=ReportStatus.VALIDATED)
    cons = kinds.indicators["1.1"].activities.get(code="CONS")
    ReportRowFactory(report=report, activity=cons, area=AdminArea.objects.get(pcode="ZZ101"))
    ReportRowFactory._meta.model.objects.filter(report=report).update(total=40)
    rebuild_all()


def test_closing_freezes_the_figures_a_later_validation_does_not_change(kinds, cora, client):
    period = _period(kinds, cora)
    services.period_close(period=period, by=cora)
    client.force_login(cora)
    assert _consultations(_csv(client, period, 1)) == "750"

    _validate_more_consultations(kinds)
    assert _consultations(_csv(client, period, 1)) == "750"
    page = client.get(reverse("monitoring:detail", args=[period.pk])).content.decode()
    assert ">750<" in page
    assert ">790<" not in page


def test_reopening_keeps_the_first_closing_and_closing_again_makes_a_second(kinds, cora, client):
    period = _period(kinds, cora)
    services.period_close(period=period, by=cora)
    _validate_more_consultations(kinds)
    services.period_reopen(period=period, by=cora, reason="A late report from Beta Relief.")
    period.refresh_from_db()
    assert not period.is_closed
    client.force_login(cora)
    page = client.get(reverse("monitoring:detail", args=[period.pk])).content.decode()
    assert ">790<" in page  # open again: the figures as they stand
    assert "A late report from Beta Relief." in page

    services.period_close(period=period, by=cora)
    assert _consultations(_csv(client, period, 1)) == "750"
    assert _consultations(_csv(client, period, 2)) == "790"


def test_a_period_is_closed_only_once_it_has_ended(kinds, cora):
    """On 15 July 2026 the third quarter runs to 30 September."""
    period = _period(kinds, cora, (datetime.date(2026, 7, 1), datetime.date(2026, 9, 1)))
    with pytest.raises(ValidationError, match="30 September 2026"):
        services.period_close(period=period, by=cora)
    assert not period.closings.exists()


def test_only_coordinators_define_and_close_periods(kinds, cora):
    staff = UserFactory(email="sam@example.org")
    with pytest.raises(PermissionDenied):
        _period(kinds, staff)
    period = _period(kinds, cora)
    with pytest.raises(PermissionDenied):
        services.period_close(period=period, by=staff)


def test_a_period_lies_within_its_cycle_and_its_months_in_order(kinds, cora):
    with pytest.raises(ValidationError, match="2026"):
        _period(kinds, cora, (datetime.date(2025, 12, 1), datetime.date(2026, 2, 1)))
    with pytest.raises(ValidationError, match="before the first month"):
        _period(kinds, cora, (datetime.date(2026, 3, 1), datetime.date(2026, 1, 1)))
    _period(kinds, cora)
    with pytest.raises(ValidationError, match="these months exists"):
        _period(kinds, cora)


def test_reopening_needs_a_reason(kinds, cora):
    period = _period(kinds, cora)
    services.period_close(period=period, by=cora)
    with pytest.raises(ValidationError, match="Say why"):
        services.period_reopen(period=period, by=cora, reason="  ")
    period.refresh_from_db()
    assert period.is_closed


def test_the_excel_download_has_the_modules_columns_and_numbers(kinds, cora, client):
    period = _period(kinds, cora)
    services.period_close(period=period, by=cora)
    client.force_login(cora)
    response = client.get(reverse("monitoring:frozen_xlsx", args=[period.pk, 1]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == RPM_COLUMNS
    consultations = next(row for row in rows[1:] if row[1] == "1.1")
    assert consultations[RPM_COLUMNS.index("result_period")] == 750
    fatality = next(row for row in rows[1:] if row[1] == "2.1")
    assert str(fatality[RPM_COLUMNS.index("result_period")]) == "1.8"


def test_the_form_defines_a_period_and_reports_a_bad_one(kinds, cora, client):
    client.force_login(cora)
    url = reverse("monitoring:list")
    data = {"cycle": kinds.cycle.pk, "first_month": "2026-04", "last_month": "2026-06"}
    response = client.post(url, data)
    period = MonitoringPeriod.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("monitoring:detail", args=[period.pk])
    response = client.post(url, data | {"first_month": "2026-13"})
    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    assert MonitoringPeriod.objects.count() == 1


def test_the_download_carries_the_plans_area_targets_and_people_in_need(kinds, cora, client):
    """North's caseload is given for its two districts (3,000 + 2,000 = 5,000), South's for
    itself (4,000): the cluster's people in need are 9,000. Consultations (1.1) have targets
    for North (450) and South (150); from January to March North gave 600, South 150."""
    north, south = AdminArea.objects.get(pcode="ZZ1"), AdminArea.objects.get(pcode="ZZ2")
    for pcode, in_need in (("ZZ101", 3000), ("ZZ102", 2000), ("ZZ2", 4000)):
        Caseload.objects.create(
            cycle=kinds.cycle,
            area=AdminArea.objects.get(pcode=pcode),
            group=PopulationGroup.ALL,
            people_in_need=in_need,
        )
    Caseload.objects.create(
        cycle=kinds.cycle, area=south, group=PopulationGroup.GIRLS, people_in_need=1000
    )
    consultations = kinds.indicators["1.1"]
    IndicatorAreaTarget.objects.create(indicator=consultations, area=north, target=450)
    IndicatorAreaTarget.objects.create(indicator=consultations, area=south, target=150)
    period = _period(kinds, cora)
    services.period_close(period=period, by=cora)
    client.force_login(cora)
    rows = {
        (r["indicator_code"], r["area_pcode"]): r
        for r in _csv(client, period, 1)
        if r["indicator_code"] == "1.1"
    }
    figures = {
        key: (row["target"], row["in_need"], row["result_period"]) for key, row in rows.items()
    }
    assert figures == {
        ("1.1", ""): ("600", "9000", "750"),
        ("1.1", "ZZ1"): ("450", "5000", "600"),
        ("1.1", "ZZ2"): ("150", "4000", "150"),
    }


def test_a_closed_periods_page_reads_its_frozen_figures_in_few_queries(
    kinds, cora, client, django_assert_max_num_queries
):
    """Session, user, the period, its closings, the cycle's indicators (named in the reader's
    language), and the cycle: six, whatever the number of rows."""
    period = _period(kinds, cora)
    services.period_close(period=period, by=cora)
    client.force_login(cora)
    with django_assert_max_num_queries(6):
        page = client.get(reverse("monitoring:detail", args=[period.pk]))
    assert page.status_code == 200
    arabic = reverse("monitoring:detail", args=[period.pk]).replace("/en/", "/ar/")
    assert "المؤشر 1.1" in client.get(arabic).content.decode()
