"""A small dataset whose every figure is computed by hand in the tests' comments.

Areas: country ZZ; admin1 North (N1, N2), South (S1) and East (E1). Months: January to April
2026 (March and April have nothing validated). Org A (international NGO) and org B (national
NGO). Activities: consultations (people, indicator 1.1 a count, domain primary care),
nutrition screening (people, indicator 1.2 people reached once, domain nutrition), kits
(kits, not people, domain primary care). The cycle names no headline, so people reached is
people reached once over every people-counting activity.

Validated rows (girls, boys, women, men → total):
  Jan  A  consultations  N1  10 20 40 30 → 100
  Jan  A  nutrition      N1  10 10 15 15 → 50
  Jan  A  kits           N2  total 7 (not by sex and age)
  Feb  A  consultations  N1  20 30 80 70 → 200
  Feb  A  nutrition      N1  20 20 20 20 → 80
  Feb  A  nutrition      N2   5  5 10 10 → 30
  Feb  B  consultations  N1  10 10 20 20 → 60    (same activity, area and month as A: overlap)
  Feb  B  nutrition      S1  10 10 10 10 → 40
  Feb  B  consultations  South (whole admin1)  2 3 3 2 → 10
Not counted: a draft (B, March, 999), a returned report (A, March, 555), a submitted one
(B, January, 777).

Assessments (published unless said): P1 (January, public): N1 primary care severity 4 (5,000
in need), South nutrition 5 (20,000), East primary care 4 (3,000). R1 (February, restricted):
N2 primary care 5 (8,000). P2 (March, public): N1 primary care 2 (4,000). D1 (draft): E1
nutrition 5.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from activities.models import ActivityUnit, Report, ReportStatus
from analysis.services import rebuild_all
from assessments.models import AssessmentStatus
from locations.models import AdminArea, AdminLevel
from partners.models import Organisation, OrganisationType
from strategy.models import (
    HealthDomain,
    Indicator,
    IndicatorDirection,
    IndicatorKind,
    StrategyCycle,
)
from tests.activities.factories import (
    ActivityFactory,
    IndicatorFactory,
    PeriodFactory,
    ReportFactory,
    ReportRowFactory,
    StrategyCycleFactory,
)
from tests.assessments.factories import AssessmentFactory, FindingFactory, HealthDomainFactory
from tests.factories import AdminAreaFactory, CountryFactory, OrganisationFactory

JAN, FEB, MAR, APR = (datetime.date(2026, month, 1) for month in (1, 2, 3, 4))


@dataclass
class Dataset:
    country: AdminArea
    north: AdminArea
    south: AdminArea
    east: AdminArea
    n1: AdminArea
    n2: AdminArea
    s1: AdminArea
    e1: AdminArea
    org_a: Organisation
    org_b: Organisation
    primary: HealthDomain
    nutrition: HealthDomain
    cycle: StrategyCycle
    summed: Indicator
    peaked: Indicator
    kits_indicator: Indicator
    consultations: object
    screening: object
    kits: object


def _areas():
    country = CountryFactory()
    north = AdminAreaFactory(pcode="ZZ1", name_en="North", name_ar="الشمال", parent=country)
    south = AdminAreaFactory(pcode="ZZ2", name_en="South", name_ar="الجنوب", parent=country)
    east = AdminAreaFactory(pcode="ZZ3", name_en="East", name_ar="الشرق", parent=country)

    def admin2(pcode, name, parent):
        return AdminAreaFactory(pcode=pcode, name_en=name, level=AdminLevel.ADMIN2, parent=parent)

    return (
        country,
        north,
        south,
        east,
        admin2("ZZ101", "North One", north),
        admin2("ZZ102", "North Two", north),
        admin2("ZZ201", "South One", south),
        admin2("ZZ301", "East One", east),
    )


def _row(report, activity, area, figures=None, total=None, implementer=None):
    if figures is None:
        return ReportRowFactory(
            report=report,
            activity=activity,
            area=area,
            girls=None,
            boys=None,
            women=None,
            men=None,
            total=total,
            implementing_organisation=implementer or report.organisation,
        )
    girls, boys, women, men = figures
    return ReportRowFactory(
        report=report,
        activity=activity,
        area=area,
        girls=girls,
        boys=boys,
        women=women,
        men=men,
        implementing_organisation=implementer or report.organisation,
    )


def build() -> Dataset:
    country, north, south, east, n1, n2, s1, e1 = _areas()
    org_a = OrganisationFactory(name_en="Alpha Health", type=OrganisationType.INTERNATIONAL_NGO)
    org_b = OrganisationFactory(name_en="Beta Relief", type=OrganisationType.NATIONAL_NGO)
    primary = HealthDomainFactory(code="primary", name_en="Primary care")
    nutrition = HealthDomainFactory(code="nutrition", name_en="Nutrition")
    cycle = StrategyCycleFactory(people_targeted=1000)
    summed = IndicatorFactory(code="1.1", target=Decimal(740), kind=IndicatorKind.COUNT)
    peaked = IndicatorFactory(code="1.2", target=Decimal(300), kind=IndicatorKind.PEOPLE_ONCE)
    kits_indicator = IndicatorFactory(
        code="1.3", target=Decimal(0), direction=IndicatorDirection.MAINTAIN
    )
    consultations = ActivityFactory(code="CONS", indicator=summed, domains=[primary])
    screening = ActivityFactory(code="NUT", indicator=peaked, domains=[nutrition])
    kits = ActivityFactory(
        code="KITS",
        indicator=kits_indicator,
        unit=ActivityUnit.KITS,
        groups=(),
        domains=[primary],
    )
    jan, feb, mar = (PeriodFactory(year=2026, month=m) for m in (1, 2, 3))
    PeriodFactory(year=2026, month=4)

    def report(org, period, status=ReportStatus.VALIDATED):
        return ReportFactory(organisation=org, period=period, status=status)

    a_jan, a_feb = report(org_a, jan), report(org_a, feb)
    b_feb = report(org_b, feb)
    _row(a_jan, consultations, n1, (10, 20, 40, 30))
    _row(a_jan, screening, n1, (10, 10, 15, 15))
    _row(a_jan, kits, n2, total=7)
    _row(a_feb, consultations, n1, (20, 30, 80, 70))
    _row(a_feb, screening, n1, (20, 20, 20, 20))
    _row(a_feb, screening, n2, (5, 5, 10, 10))
    _row(b_feb, consultations, n1, (10, 10, 20, 20))
    _row(b_feb, screening, s1, (10, 10, 10, 10))
    _row(b_feb, consultations, south, (2, 3, 3, 2))
    _row(report(org_b, mar, ReportStatus.DRAFT), consultations, s1, total=999)
    _row(report(org_a, mar, ReportStatus.RETURNED), consultations, n1, total=555)
    _row(report(org_b, jan, ReportStatus.SUBMITTED), consultations, s1, total=777)

    def assessment(start, end, **kwargs):
        return AssessmentFactory(start_date=start, end_date=end, **kwargs)

    p1 = assessment(datetime.date(2026, 1, 5), datetime.date(2026, 1, 20))
    r1 = assessment(datetime.date(2026, 2, 1), datetime.date(2026, 2, 10), is_restricted=True)
    p2 = assessment(datetime.date(2026, 2, 20), datetime.date(2026, 3, 1))
    d1 = assessment(
        datetime.date(2026, 3, 1), datetime.date(2026, 3, 9), status=AssessmentStatus.DRAFT
    )
    FindingFactory(assessment=p1, area=n1, domain=primary, severity=4, people_in_need=5000)
    FindingFactory(assessment=p1, area=south, domain=nutrition, severity=5, people_in_need=20000)
    FindingFactory(assessment=p1, area=east, domain=primary, severity=4, people_in_need=3000)
    FindingFactory(assessment=r1, area=n2, domain=primary, severity=5, people_in_need=8000)
    FindingFactory(assessment=p2, area=n1, domain=primary, severity=2, people_in_need=4000)
    FindingFactory(assessment=d1, area=e1, domain=nutrition, severity=5, people_in_need=900)
    rebuild_all()
    return Dataset(
        country,
        north,
        south,
        east,
        n1,
        n2,
        s1,
        e1,
        org_a,
        org_b,
        primary,
        nutrition,
        cycle,
        summed,
        peaked,
        kits_indicator,
        consultations,
        screening,
        kits,
    )


def reports_counted() -> int:
    return Report.objects.filter(status=ReportStatus.VALIDATED).count()
