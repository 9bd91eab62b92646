"""Shared setup of the activity report tests (no tests of its own).

An open period and a closed one, two admin2 districts under the world's admin1 area,
an activity counted by girls, boys, women and men (with older people and people with
disabilities among them) and a single-count one, and a draft report of organisation A in the
open period.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from activities.models import Activity, Report, ReportingPeriod
from locations.models import AdminArea, AdminLevel
from tests.activities.factories import ActivityFactory, PeriodFactory, ReportFactory
from tests.factories import AdminAreaFactory


@dataclass
class Setup:
    world: object
    open_period: ReportingPeriod
    closed_period: ReportingPeriod
    district: AdminArea
    other_district: AdminArea
    activity: Activity
    total_only: Activity
    report: Report


def open_period(year: int = 2026, month: int = 10) -> ReportingPeriod:
    now = timezone.now()
    return PeriodFactory(
        year=year,
        month=month,
        opens_at=now - datetime.timedelta(days=5),
        deadline=now + datetime.timedelta(days=5),
    )


def make_setup(world) -> Setup:
    district = AdminAreaFactory(
        pcode="ZZ0101", name_en="North One", level=AdminLevel.ADMIN2, parent=world.area
    )
    other = AdminAreaFactory(
        pcode="ZZ0102", name_en="North Two", level=AdminLevel.ADMIN2, parent=world.area
    )
    period = open_period()
    closed = PeriodFactory(year=2025, month=3)
    report = ReportFactory(organisation=world.org_a, period=period, created_by=world.user("focal"))
    return Setup(
        world=world,
        open_period=period,
        closed_period=closed,
        district=district,
        other_district=other,
        activity=ActivityFactory(code="A001", counts_older_people=True, counts_disability=True),
        total_only=ActivityFactory(code="A002", groups=()),
        report=report,
    )


def row_data(setup: Setup, **overrides) -> dict:
    """The fields of one good row, as the form posts them (without the prefix)."""
    values = {
        "id": "",
        "activity": str(setup.activity.pk),
        "area": str(setup.district.pk),
        "implementing_organisation": str(setup.world.org_a.pk),
        "implementing_other": "",
        "donor": "ECHO",
        "status": "ongoing",
        "girls": "10",
        "boys": "10",
        "women": "20",
        "men": "10",
        "older_people": "5",
        "people_with_disabilities": "2",
        "total": "50",
    }
    values.update(overrides)
    return values


def formset_post(rows: list[dict], *, initial: int = 0, **extra) -> dict:
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(initial),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "500",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"form-{index}-{name}"] = value
    data.update(extra)
    return data


def add_rows(setup: Setup, totals: list[int], *, report=None, area=None) -> list:
    """Single-count rows of these totals in the report (the setup's draft unless given), each
    by a differently named local partner, in this order; the report's rows, ordered."""
    from activities.models import ReportRow

    report = report or setup.report
    ReportRow.objects.bulk_create(
        ReportRow(
            report=report,
            activity=setup.total_only,
            area=area or setup.district,
            implementing_other=f"Local partner {number}",
            status="ongoing",
            total=total,
            order=number,
        )
        for number, total in enumerate(totals, start=1)
    )
    return list(report.rows.order_by("order", "pk"))
