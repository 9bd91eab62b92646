"""A small dataset where some figures come from one or two organisations, every figure of it
computed by hand below, for the disclosure policy (``PUBLIC_MIN_ORGANISATIONS`` = 3).

Areas: country ZZ; admin1 North ZZ1 (admin2 North One ZZ101 with admin3 North One A ZZ10101,
North Two ZZ102), South ZZ2 (South One ZZ201), East ZZ3 (East One ZZ301). Months: January and
February 2026 (the clock: 15 March 2026, so the default twelve months hold both).
Implementing organisations: Alpha Aid (A) and Beta Care (B), international NGOs; Gamma
Health (C), a national NGO; Delta Red Crescent (D), the only Red Cross / Red Crescent society;
and Local Volunteers (LV), not in the directory, reported by Gamma Health.
Activities: CONS (consultations, by girls, boys, women and men; indicator 1.1, a count) and
VAC (vaccinations, a single count; indicator 1.2, a count). The cycle has no headline, so people
reached is people reached once over both.

Validated rows (girls, boys, women, men → total):
  1  Jan  A   CONS  North One   101 102 103 104 → 410
  2  Jan  B   CONS  North Two   111 112 113 114 → 450
  3  Jan  C   VAC   North One   1,637
  4  Feb  A   CONS  North One   121 122 123 124 → 490
  5  Feb  B   VAC   North Two   1,349
  6  Feb  C   CONS  North One A 131 132 133 134 → 530   (admin3: North One's)
  7  Feb  D   VAC   North One   1,453
  8  Jan  D   VAC   South One   2,683
  9  Feb  A   CONS  South One   141 142 143 144 → 570
  10 Feb  D   VAC   South One   2,791
  11 Feb  A   VAC   East One    1,567
  12 Feb  B   VAC   East One    1,613
  13 Feb  LV  VAC   East One    1,789   (reported by Gamma Health)

The admin1-month cells and their organisations: North January A B C (3), North February
A B C D (4), South January D (1: small), South February A D (2: small), East February
A B LV (3).

What the public may see (every other figure of the data, by any filter the public has, is
in ``NEVER_SHOWN``):
  North, both months: 2,497 + 3,822 = 6,319, from A B C D, its cells 3 and 4: shown.
  North January 410 + 450 + 1,637 = 2,497 (3); North February 490 + 1,349 + 530 + 1,453 =
  3,822 (4): shown.
  North February, people reached once: 1,453 + 530 + 1,349 = 3,332, from D C B: shown.
  East February 1,567 + 1,613 + 1,789 = 4,969, from A B LV: shown; people reached once too
  (one area, one activity, one month), and not counted by sex and age (single counts).
  Partners present: North 4, East 3; South 2, not shown.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from activities.models import Report, ReportStatus
from analysis.services import rebuild_all
from locations.models import AdminArea, AdminLevel
from partners.models import Organisation, OrganisationType
from strategy.models import IndicatorKind
from tests.activities.factories import (
    ActivityFactory,
    IndicatorFactory,
    PeriodFactory,
    ReportFactory,
    ReportRowFactory,
    StrategyCycleFactory,
)
from tests.factories import AdminAreaFactory, CountryFactory, OrganisationFactory

MARCH_15_2026 = datetime.datetime(2026, 3, 15, 12, 0, tzinfo=datetime.UTC)
JAN, FEB = datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)

# Figures the public may see.
SHOWN = {
    "north": 6319,
    "north_january": 2497,
    "north_february": 3822,
    # people reached once in North in February: North One's largest, VAC 1,453 (D), North
    # One A's, CONS 530 (C), North Two's, VAC 1,349 (B): three organisations
    "north_february_once": 3332,
    "east": 4969,
}

# Every figure of a single organisation, of fewer than three, or of a total that includes a
# small admin1-month cell, as the public could ask for it (area: all, North, South or East;
# months: January, February or both; activities: both, CONS or VAC), computed by hand. None
# may ever come out as a figure to the public. (Tokens of the page are compared whole: 410 is
# not found in "4,100".)
NEVER_SHOWN = {
    # the rows (each one organisation's figure), and their groups by sex and age
    410, 450, 1637, 490, 1349, 530, 1453, 2683, 570, 2791, 1567, 1613, 1789,
    101, 102, 103, 104, 111, 112, 113, 114, 121, 122, 123, 124,
    131, 132, 133, 134, 141, 142, 143, 144,
    # admin2 areas (below what the public sees): North One January 410 + 1,637, February
    # 490 + 530 + 1,453; North Two 450 + 1,349; both months
    2047, 2473, 1799, 4520,
    # all areas: January 410 + 450 + 1,637 + 2,683 (includes South January, D alone);
    # February 3,822 + 570 + 2,791 + 4,969; both months; people reached once of each
    # (January: North One 1,637 + North Two 450 + South One 2,683; February: 1,453 + 530 +
    # 1,349 + 2,791 + 4,969; both: 1,637 + 530 + 1,349 + 2,791 + 4,969); VAC once, both
    5180, 12152, 17332, 4770, 11092, 11276, 10746,
    # CONS: January (A B), February (A C), both (A B C with a small cell); once: 2,040
    860, 1590, 2450, 2040,
    # VAC: January (C D), February (includes South; once the same), both
    4320, 10562, 14882,
    # North: CONS February (A C) 490 + 530, both (a small cell); VAC February (B D) 1,349 +
    # 1,453, both; people reached once January (B C: 1,637 + 450), both (B C: 1,637 + 530 +
    # 1,349); VAC once both (1,637 + 1,349); CONS once both (490 + 530 + 450)
    1020, 1880, 2802, 4439, 2087, 3516, 2986, 1470,
    # South: January (D), February (A D), both; VAC both (D); once February and both (D)
    3361, 6044, 5474,
    # sex and age: North January (A B) 101 + 111 ..., February (A C), both; all areas;
    # South February (A alone: its row's groups above); all areas February (A C)
    212, 214, 216, 218, 252, 254, 256, 258, 464, 468, 472, 476,
    605, 610, 615, 620, 393, 396, 399, 402,
}  # fmt: skip


@dataclass
class SmallCells:
    country: AdminArea
    north: AdminArea
    south: AdminArea
    east: AdminArea
    north_one: AdminArea
    north_two: AdminArea
    north_one_a: AdminArea
    south_one: AdminArea
    east_one: AdminArea
    alpha: Organisation
    beta: Organisation
    gamma: Organisation
    delta: Organisation
    consultations: object
    vaccinations: object


def _indicator(code: str, name_en: str, name_ar: str, target: int):
    # Named here: a factory's numbered name would be a number on the page, and the probe
    # reads every number.
    return IndicatorFactory(
        code=code,
        name_en=name_en,
        name_ar=name_ar,
        target=Decimal(target),
        kind=IndicatorKind.COUNT,
    )


def build() -> SmallCells:
    # Every name and acronym is given: the factories number theirs across the whole run, and
    # a number on the page may then equal a figure the public may not see.
    country = CountryFactory()
    north = AdminAreaFactory(pcode="ZZ1", name_en="North", name_ar="الشمال", parent=country)
    south = AdminAreaFactory(pcode="ZZ2", name_en="South", name_ar="الجنوب", parent=country)
    east = AdminAreaFactory(pcode="ZZ3", name_en="East", name_ar="الشرق", parent=country)

    def below(pcode, name, parent, level=AdminLevel.ADMIN2):
        return AdminAreaFactory(pcode=pcode, name_en=name, name_ar=name, level=level, parent=parent)

    north_one = below("ZZ101", "North One", north)
    north_two = below("ZZ102", "North Two", north)
    north_one_a = below("ZZ10101", "North One A", north_one, AdminLevel.ADMIN3)
    south_one = below("ZZ201", "South One", south)
    east_one = below("ZZ301", "East One", east)

    alpha = OrganisationFactory(
        name_en="Alpha Aid", acronym="AA", type=OrganisationType.INTERNATIONAL_NGO
    )
    beta = OrganisationFactory(
        name_en="Beta Care", acronym="BC", type=OrganisationType.INTERNATIONAL_NGO
    )
    gamma = OrganisationFactory(
        name_en="Gamma Health", acronym="GH", type=OrganisationType.NATIONAL_NGO
    )
    delta = OrganisationFactory(
        name_en="Delta Red Crescent", acronym="DRC", type=OrganisationType.RED_CROSS
    )

    StrategyCycleFactory(people_targeted=50000)
    consultations = ActivityFactory(
        code="CONS",
        name_en="Consultations",
        name_ar="الاستشارات",
        indicator=_indicator("1.1", "People consulted", "الأشخاص الذين استشيروا", 10000),
    )
    vaccinations = ActivityFactory(
        code="VAC",
        name_en="Vaccinations",
        name_ar="التطعيمات",
        groups=(),
        indicator=_indicator("1.2", "People vaccinated", "الأشخاص الذين طُعِّموا", 20000),
    )
    periods = {month: PeriodFactory(year=2026, month=month.month) for month in (JAN, FEB)}
    reports: dict = {}

    def row(month, organisation, activity, area, figures, implementer=None):
        key = (month, organisation.pk)
        if key not in reports:
            reports[key] = ReportFactory(
                organisation=organisation, period=periods[month], status=ReportStatus.VALIDATED
            )
        values = (
            dict(zip(("girls", "boys", "women", "men"), figures, strict=True))
            if isinstance(figures, tuple)
            else {"total": figures}
        )
        extra = {"implementing_organisation": None, "implementing_other": implementer}
        ReportRowFactory(
            report=reports[key],
            activity=activity,
            area=area,
            **values,
            **(extra if implementer else {}),
        )

    row(JAN, alpha, consultations, north_one, (101, 102, 103, 104))
    row(JAN, beta, consultations, north_two, (111, 112, 113, 114))
    row(JAN, gamma, vaccinations, north_one, 1637)
    row(FEB, alpha, consultations, north_one, (121, 122, 123, 124))
    row(FEB, beta, vaccinations, north_two, 1349)
    row(FEB, gamma, consultations, north_one_a, (131, 132, 133, 134))
    row(FEB, delta, vaccinations, north_one, 1453)
    row(JAN, delta, vaccinations, south_one, 2683)
    row(FEB, alpha, consultations, south_one, (141, 142, 143, 144))
    row(FEB, delta, vaccinations, south_one, 2791)
    row(FEB, alpha, vaccinations, east_one, 1567)
    row(FEB, beta, vaccinations, east_one, 1613)
    row(FEB, gamma, vaccinations, east_one, 1789, implementer="Local Volunteers")
    # Not counted: Delta Red Crescent's draft of March.
    march = PeriodFactory(year=2026, month=3)
    draft = ReportFactory(organisation=delta, period=march, status=ReportStatus.DRAFT)
    ReportRowFactory(report=draft, activity=vaccinations, area=east_one, total=9999)
    rebuild_all()
    assert Report.objects.filter(status=ReportStatus.VALIDATED).count() == 8
    return SmallCells(
        country,
        north,
        south,
        east,
        north_one,
        north_two,
        north_one_a,
        south_one,
        east_one,
        alpha,
        beta,
        gamma,
        delta,
        consultations,
        vaccinations,
    )
