"""One hand-computed dataset per kind of indicator, January to June 2026.

Areas: admin1 North (N1, N2) and South (S1). Organisations A and B. The cycle (2026 to 2027)
targets 500 people a year; its headline is 1.2. ``LATEST_MAX_AGE`` is 3 months.

1.1 Consultations, a count, target 600 (increase). Activity CONS (consultations):
    Jan N1 A 300; Feb N1 A 200; Feb N1 B 100; Mar S1 A 150 → 750, 125% of 600 (a bar at 100).
1.2 People treated or vaccinated, people reached once (the headline), target 380.
    TREAT (people): Jan N1 80; Mar N1 120 (the same area in two months); Feb S1 50.
    VAC (people): Feb N1 100 (a second activity in the same area); Feb S1 70.
    N1: the largest of 80, 120, 100 = 120; S1: the largest of 50, 70 = 70 → 190, 50%.
    The headline: 190 of the 500 people targeted, 38%.
2.1 Cholera case fatality rate, a rate, baseline 2.5, target 1 (decrease).
    Numerator DEATHS, denominator CASES (people, but not in the headline's list):
    Jan N1 4 of 200; Feb N1 1 of 100; Feb N2 3 deaths and no cases (left out: one cell);
    Mar S1 2 of 60 (A) + 40 (B) = 100. (4 + 1 + 2) ÷ (200 + 100 + 100) = 1.75% → 1.8%:
    between the target and the baseline, "improving".
2.2 Alerts not verified within 48 hours, a rate, baseline 30, target 10 (decrease).
    Numerator LATE, denominator ALERTS: Jan N1 4 of 10 → 40.0%, at or above the baseline:
    "off track".
2.3 Vaccination coverage, a rate without activities: "not measured".
3.1 Health facilities closed by insecurity, a latest value, baseline 10, target 4 (decrease).
    CLOSED: Jun N1 3 → 3, at or below the target: "met", as of June 2026.
3.2 Functional health facilities, a latest value, baseline 5, target 20 (increase).
    FAC: N1 Apr 6 and Jun 8 (no May): June's 8; S1 Apr 4 (within 3 months of June);
    N2 Feb 5 (older than 3 months: no data) → 8 + 4 = 12, "improving", as of June 2026,
    some areas as of April 2026.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from activities.models import ActivityUnit, ReportStatus
from analysis.services import rebuild_all
from locations.models import AdminLevel
from strategy.models import IndicatorDirection, IndicatorKind, IndicatorUnit, StrategyCycle
from tests.activities.factories import (
    ActivityFactory,
    IndicatorFactory,
    ObjectiveFactory,
    PeriodFactory,
    ReportFactory,
    ReportRowFactory,
    StrategyCycleFactory,
)
from tests.factories import AdminAreaFactory, CountryFactory, OrganisationFactory

FIRST, LAST = datetime.date(2026, 1, 1), datetime.date(2026, 6, 1)
# The strategy page counts the cycle so far: to July 2026, whose reports are not in yet.
JULY_15_2026 = datetime.datetime(2026, 7, 15, 9, 0, tzinfo=datetime.UTC)


@dataclass
class Kinds:
    cycle: StrategyCycle
    indicators: dict


def _indicator(
    code,
    name,
    kind,
    *,
    target,
    baseline=0,
    direction=IndicatorDirection.INCREASE,
    unit=IndicatorUnit.PEOPLE,
):
    return IndicatorFactory(
        objective=ObjectiveFactory(code=f"SO{code[0]}"),
        code=code,
        name_en=name,
        name_ar=f"المؤشر {code}",
        kind=kind,
        unit=unit,
        baseline=Decimal(str(baseline)),
        target=Decimal(str(target)),
        direction=direction,
    )


def build() -> Kinds:
    country = CountryFactory()
    north = AdminAreaFactory(pcode="ZZ1", name_en="North", parent=country)
    south = AdminAreaFactory(pcode="ZZ2", name_en="South", parent=country)

    def admin2(pcode, parent):
        return AdminAreaFactory(pcode=pcode, level=AdminLevel.ADMIN2, parent=parent)

    n1, n2, s1 = admin2("ZZ101", north), admin2("ZZ102", north), admin2("ZZ201", south)
    org_a = OrganisationFactory(name_en="Alpha Health")
    org_b = OrganisationFactory(name_en="Beta Relief")
    cycle = StrategyCycleFactory(people_targeted=500)
    K, D, U = IndicatorKind, IndicatorDirection, IndicatorUnit
    percent = {"unit": U.PERCENT, "direction": D.DECREASE}
    indicators = {
        "1.1": _indicator("1.1", "Consultations", K.COUNT, target=600, unit=U.CONSULTATIONS),
        "1.2": _indicator("1.2", "People treated or vaccinated", K.PEOPLE_ONCE, target=380),
        "2.1": _indicator(
            "2.1", "Cholera case fatality rate", K.RATE, target=1, baseline=2.5, **percent
        ),
        "2.2": _indicator(
            "2.2", "Alerts not verified within 48 hours", K.RATE, target=10, baseline=30, **percent
        ),
        "2.3": _indicator(
            "2.3", "Measles vaccination coverage", K.RATE, target=95, baseline=60, unit=U.PERCENT
        ),
        "3.1": _indicator(
            "3.1",
            "Health facilities closed by insecurity",
            K.LATEST,
            target=4,
            baseline=10,
            direction=D.DECREASE,
            unit=U.FACILITIES,
        ),
        "3.2": _indicator(
            "3.2",
            "Functional health facilities",
            K.LATEST,
            target=20,
            baseline=5,
            unit=U.FACILITIES,
        ),
    }
    cycle.headline = indicators["1.2"]
    cycle.save()

    def activity(code, indicator, unit=ActivityUnit.OTHER, **roles):
        made = ActivityFactory(code=code, indicator=indicators[indicator], unit=unit, groups=())
        for relation, codes in roles.items():
            getattr(made, relation).set([indicators[c] for c in codes])
        return made

    cons = activity("CONS", "1.1", ActivityUnit.CONSULTATIONS)
    treat = activity("TREAT", "1.2", ActivityUnit.PEOPLE)
    vac = activity("VAC", "1.2", ActivityUnit.PEOPLE)
    cases = activity("CASES", "2.1", ActivityUnit.PEOPLE, denominator_of=["2.1"])
    deaths = activity("DEATHS", "2.1", numerator_of=["2.1"])
    alerts = activity("ALERTS", "2.2", denominator_of=["2.2"])
    late = activity("LATE", "2.2", numerator_of=["2.2"])
    closed = activity("CLOSED", "3.1", ActivityUnit.FACILITIES)
    fac = activity("FAC", "3.2", ActivityUnit.FACILITIES)

    reports = {}

    def row(org, month, item, area, total):
        key = (org.pk, month)
        if key not in reports:
            period = PeriodFactory(year=2026, month=month)
            reports[key] = ReportFactory(
                organisation=org, period=period, status=ReportStatus.VALIDATED
            )
        ReportRowFactory(report=reports[key], activity=item, area=area, total=total)

    a, b = org_a, org_b
    row(a, 1, cons, n1, 300)
    row(a, 2, cons, n1, 200)
    row(b, 2, cons, n1, 100)
    row(a, 3, cons, s1, 150)
    row(a, 1, treat, n1, 80)
    row(a, 3, treat, n1, 120)
    row(b, 2, treat, s1, 50)
    row(a, 2, vac, n1, 100)
    row(b, 2, vac, s1, 70)
    row(a, 1, cases, n1, 200)
    row(a, 1, deaths, n1, 4)
    row(a, 2, cases, n1, 100)
    row(a, 2, deaths, n1, 1)
    row(b, 2, deaths, n2, 3)
    row(a, 3, cases, s1, 60)
    row(b, 3, cases, s1, 40)
    row(a, 3, deaths, s1, 2)
    row(a, 1, alerts, n1, 10)
    row(a, 1, late, n1, 4)
    row(a, 6, closed, n1, 3)
    row(a, 4, fac, n1, 6)
    row(a, 6, fac, n1, 8)
    row(b, 4, fac, s1, 4)
    row(b, 2, fac, n2, 5)
    rebuild_all()
    return Kinds(cycle, indicators)
