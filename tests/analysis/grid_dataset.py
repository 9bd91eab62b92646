"""A hand-computed dataset of several admin1 areas and months, for the figures by admin1 area
and month (``analysis.grid``), December 2025 to May 2026.

Areas: admin1 North (N1, N2), South (S1). Organisations A, B, C. ``LATEST_MAX_AGE`` is 3
months; the public's minimum is 3 organisations (``PUBLIC_MIN_ORGANISATIONS``).

1.1 Consultations, a count. CONS: Jan N1 A 100, Jan N1 B 50, Jan N2 C 30 (North, January:
    180 from three organisations, shown); Feb S1 A 40 (South, February: A's alone, small);
    May N1 A 10.
1.2 People treated or vaccinated, people reached once. TREAT: Mar N1 A 80, Mar N1 B 120;
    VAC: Mar N1 C 150. North, March: N1's largest activity-month is TREAT's 80 + 120 = 200,
    from A and B: small, though the cell's people come from A, B and C.
2.1 Case fatality rate, a rate. CASES (denominator), DEATHS (numerator): Jan N1 A 4 of 200
    → 2.0%; Feb N2 B 3 deaths and no cases (North, February: no value, one cell left out);
    Mar S1 A 100 cases, B 5 deaths → 5.0%.
3.1 Functional health facilities, a latest value. FAC: Dec 2025 S1 B 7; Jan N1 A 6;
    Feb N2 C 5; Apr N1 A 2 and B 8 (no February or March in N1); May S1 A 4.
    North: January 6 (N1 January); February 6 + 5 = 11; March the same 11; April N1's 10 +
    N2's 5 = 15, from A, B and C, but adding up January's and February's cells, A's and C's
    alone: withheld; May the same 15 (February is within three months of May).
    South: February 7 (December 2025's, three months before); March 7; May 4.
"""

import datetime
from dataclasses import dataclass

from activities.models import ActivityUnit, ReportStatus
from analysis.services import rebuild_all
from locations.models import AdminLevel
from strategy.models import IndicatorKind, StrategyCycle
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

JUNE_15_2026 = datetime.datetime(2026, 6, 15, 9, 0, tzinfo=datetime.UTC)


@dataclass
class Grid:
    cycle: StrategyCycle
    organisations: dict


def _indicator(code, kind):
    return IndicatorFactory(
        objective=ObjectiveFactory(code=f"SO{code[0]}"),
        code=code,
        name_en=f"Indicator {code}",
        name_ar=f"المؤشر {code}",
        kind=kind,
    )


class _Rows:
    """Validated reports, one per organisation and month, and their rows."""

    def __init__(self):
        self.reports = {}

    def add(self, organisation, month: datetime.date, activity, area, total):
        key = (organisation.pk, month)
        if key not in self.reports:
            period = PeriodFactory(year=month.year, month=month.month)
            self.reports[key] = ReportFactory(
                organisation=organisation, period=period, status=ReportStatus.VALIDATED
            )
        ReportRowFactory(report=self.reports[key], activity=activity, area=area, total=total)


def _catalogue():
    """The cycle's four indicators, one per kind, and their activities by code."""
    K = IndicatorKind
    indicators = {
        "1.1": _indicator("1.1", K.COUNT),
        "1.2": _indicator("1.2", K.PEOPLE_ONCE),
        "2.1": _indicator("2.1", K.RATE),
        "3.1": _indicator("3.1", K.LATEST),
    }

    def activity(code, indicator, unit=ActivityUnit.OTHER, **roles):
        made = ActivityFactory(code=code, indicator=indicators[indicator], unit=unit, groups=())
        for relation, codes in roles.items():
            getattr(made, relation).set([indicators[c] for c in codes])
        return made

    return {
        "CONS": activity("CONS", "1.1", ActivityUnit.CONSULTATIONS),
        "TREAT": activity("TREAT", "1.2", ActivityUnit.PEOPLE),
        "VAC": activity("VAC", "1.2", ActivityUnit.PEOPLE),
        "CASES": activity("CASES", "2.1", ActivityUnit.PEOPLE, denominator_of=["2.1"]),
        "DEATHS": activity("DEATHS", "2.1", numerator_of=["2.1"]),
        "FAC": activity("FAC", "3.1", ActivityUnit.FACILITIES),
    }


def build() -> Grid:
    country = CountryFactory()
    north = AdminAreaFactory(pcode="ZZ1", name_en="North", parent=country)
    south = AdminAreaFactory(pcode="ZZ2", name_en="South", parent=country)

    def admin2(pcode, parent):
        return AdminAreaFactory(pcode=pcode, level=AdminLevel.ADMIN2, parent=parent)

    n1, n2, s1 = admin2("ZZ101", north), admin2("ZZ102", north), admin2("ZZ201", south)
    a, b, c = (OrganisationFactory(name_en=name) for name in ("Alpha", "Beta", "Gamma"))
    cycle = StrategyCycleFactory()
    activities = _catalogue()
    rows = _Rows()

    def row(organisation, year, month, code, area, total):
        rows.add(organisation, datetime.date(year, month, 1), activities[code], area, total)

    row(a, 2026, 1, "CONS", n1, 100)
    row(b, 2026, 1, "CONS", n1, 50)
    row(c, 2026, 1, "CONS", n2, 30)
    row(a, 2026, 2, "CONS", s1, 40)
    row(a, 2026, 5, "CONS", n1, 10)
    row(a, 2026, 3, "TREAT", n1, 80)
    row(b, 2026, 3, "TREAT", n1, 120)
    row(c, 2026, 3, "VAC", n1, 150)
    row(a, 2026, 1, "CASES", n1, 200)
    row(a, 2026, 1, "DEATHS", n1, 4)
    row(b, 2026, 2, "DEATHS", n2, 3)
    row(a, 2026, 3, "CASES", s1, 100)
    row(b, 2026, 3, "DEATHS", s1, 5)
    row(b, 2025, 12, "FAC", s1, 7)
    row(a, 2026, 1, "FAC", n1, 6)
    row(c, 2026, 2, "FAC", n2, 5)
    row(a, 2026, 4, "FAC", n1, 2)
    row(b, 2026, 4, "FAC", n1, 8)
    row(a, 2026, 5, "FAC", s1, 4)
    rebuild_all()
    return Grid(cycle, {"A": a, "B": b, "C": c})


def spread(areas: int, months: int) -> None:
    """``areas`` admin1 areas with figures of every kind in each of ``months`` months from
    January 2026, from three organisations: for counting queries, not figures."""
    country = CountryFactory()
    organisations = [OrganisationFactory(name_en=f"Partner {n}") for n in range(3)]
    StrategyCycleFactory()
    activities = _catalogue()
    rows = _Rows()
    for number in range(areas):
        admin1 = AdminAreaFactory(pcode=f"ZZ{number + 1}", parent=country)
        inside = AdminAreaFactory(pcode=f"ZZ{number + 1}01", level=AdminLevel.ADMIN2, parent=admin1)
        for index in range(months):
            month = datetime.date(2026 + index // 12, index % 12 + 1, 1)
            for organisation in organisations:
                for code in activities:
                    rows.add(organisation, month, activities[code], inside, 10 + index)
    rebuild_all()
