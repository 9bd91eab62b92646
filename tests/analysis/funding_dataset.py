"""Projects whose funding is computed by hand (issue 26), for January to June 2026.

Areas: North (QQ1, with the admin2 area N1 inside) and South (QQ2). Objectives SO1 and SO2.
Accepted projects (US$):

  P1 Alpha (international NGO) 10,000,000 required; objectives SO1 60 / SO2 40; areas N1 60
     (admin2: counted in North) / South 40. Funding updates: 10 Feb 3,000,000; 20 Jun
     5,000,000; 5 Jul 9,000,000 (after the range: not counted by 30 June).
  P2 Beta (UN agency) 20,000,000; SO1 100; North 50 / South 50. 1 Mar 12,000,000.
  P3 Gamma (national NGO) 5,000,000; no shares at all ("not broken down"). 8 Jul 1,000,000
     (after the range).
  P4 Delta (international NGO) 8,000,000; SO2 100; North 100. 1 Apr 10,000,000 (more than
     required: its gap is 0, not negative).

Not counted: P5 accepted but cancelled, P6 submitted and not accepted, P7 accepted but ended
in December 2025 (each 1,000,000,000 required, so that counting one shows).

As of 30 June 2026 (received: P1 5,000,000, P2 12,000,000, P3 0, P4 10,000,000):
  total      required 10 + 20 + 5 + 8 = 43,000,000; received 5 + 12 + 0 + 10 = 27,000,000;
             gap 16,000,000; 27 / 43 = 62.8 % → 63 %; 4 projects, 4 organisations
  by type    UN agency            20,000,000 / 12,000,000, gap  8,000,000, 60 %
             International NGO    10 + 8 = 18,000,000 / 5 + 10 = 15,000,000, gap 3,000,000,
                                  15 / 18 = 83.3 % → 83 %
             National NGO          5,000,000 / 0, gap 5,000,000, 0 %
  by objective
             SO1  P1 60 % (6,000,000 / 3,000,000) + P2 100 % (20,000,000 / 12,000,000)
                  = 26,000,000 / 15,000,000, gap 11,000,000, 15 / 26 = 57.7 % → 58 %
             SO2  P1 40 % (4,000,000 / 2,000,000) + P4 100 % (8,000,000 / 10,000,000)
                  = 12,000,000 / 12,000,000, gap 0, 100 %
             not broken down: P3 5,000,000 / 0
             26 + 12 + 5 = 43 and 15 + 12 + 0 = 27: the parts add up to the total.
  by admin1  North P1 60 % (6,000,000 / 3,000,000) + P2 50 % (10,000,000 / 6,000,000)
                   + P4 100 % (8,000,000 / 10,000,000) = 24,000,000 / 19,000,000,
                   gap 5,000,000, 19 / 24 = 79.2 % → 79 %; Alpha, Beta, Delta: 3 organisations
             South P1 40 % (4,000,000 / 2,000,000) + P2 50 % (10,000,000 / 6,000,000)
                   = 14,000,000 / 8,000,000, gap 6,000,000, 8 / 14 = 57.1 % → 57 %;
                   Alpha, Beta: 2 organisations, fewer than 3: not shown to the public
             not broken down: P3 5,000,000 / 0; 1 organisation: not shown to the public
             24 + 14 + 5 = 43 and 19 + 8 + 0 = 27.
  The public sees the total (4 organisations), North, and neither South nor the part not
  broken down (two parts withheld: neither is the total less the parts shown).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from locations.models import AdminArea, AdminLevel
from partners.models import Organisation, OrganisationType
from projects.models import Project, ProjectShare, ProjectStatus, ReviewState
from strategy.models import StrategicObjective
from tests.activities.factories import ObjectiveFactory, StrategyCycleFactory
from tests.factories import AdminAreaFactory, CountryFactory, OrganisationFactory
from tests.projects.factories import FundingFactory, ProjectFactory

FIRST_MONTH = datetime.date(2026, 1, 1)
LAST_MONTH = datetime.date(2026, 6, 1)
RANGE = {"first_month": "2026-01", "last_month": "2026-06"}
# The day the tests run on: the range is over, and two updates came after it.
JULY_10_2026 = datetime.datetime(2026, 7, 10, 9, 0, tzinfo=datetime.UTC)


@dataclass
class FundingData:
    north: AdminArea
    south: AdminArea
    so1: StrategicObjective
    so2: StrategicObjective
    alpha: Organisation
    gamma: Organisation
    p3: Project


def _usd(amount: int) -> Decimal:
    return Decimal(amount)


def build_funding() -> FundingData:
    """The dataset of the module's docstring."""
    country = CountryFactory()
    north = AdminAreaFactory(pcode="QQ1", name_en="North", name_ar="الشمال", parent=country)
    south = AdminAreaFactory(pcode="QQ2", name_en="South", name_ar="الجنوب", parent=country)
    n1 = AdminAreaFactory(pcode="QQ101", name_en="N1", level=AdminLevel.ADMIN2, parent=north)
    cycle = StrategyCycleFactory()
    so1 = ObjectiveFactory(cycle=cycle, code="SO1", order=1, title_en="Keep services running")
    so2 = ObjectiveFactory(cycle=cycle, code="SO2", order=2, title_en="Respond to outbreaks")
    alpha = OrganisationFactory(name_en="Alpha", type=OrganisationType.INTERNATIONAL_NGO)
    beta = OrganisationFactory(name_en="Beta", type=OrganisationType.UN_AGENCY)
    gamma = OrganisationFactory(name_en="Gamma", type=OrganisationType.NATIONAL_NGO)
    delta = OrganisationFactory(name_en="Delta", type=OrganisationType.INTERNATIONAL_NGO)

    def project(organisation, required: int, *, shares=(), funding=(), **values) -> Project:
        values.setdefault("state", ReviewState.ACCEPTED)
        made = ProjectFactory(
            organisation=organisation, budget_required_usd=_usd(required), **values
        )
        for target, percent in shares:
            kind = "objective" if isinstance(target, StrategicObjective) else "area"
            ProjectShare.objects.create(
                project=made, share_percent=Decimal(percent), **{kind: target}
            )
        for day, amount in funding:
            FundingFactory(project=made, date=day, amount_received_usd=_usd(amount))
        return made

    day = datetime.date
    project(
        alpha,
        10_000_000,
        shares=[(so1, 60), (so2, 40), (n1, 60), (south, 40)],
        funding=[
            (day(2026, 2, 10), 3_000_000),
            (day(2026, 6, 20), 5_000_000),
            (day(2026, 7, 5), 9_000_000),
        ],
    )
    project(
        beta,
        20_000_000,
        shares=[(so1, 100), (north, 50), (south, 50)],
        funding=[(day(2026, 3, 1), 12_000_000)],
    )
    p3 = project(gamma, 5_000_000, funding=[(day(2026, 7, 8), 1_000_000)])
    project(
        delta,
        8_000_000,
        shares=[(so2, 100), (north, 100)],
        funding=[(day(2026, 4, 1), 10_000_000)],
    )
    project(alpha, 1_000_000_000, status=ProjectStatus.CANCELLED)
    project(beta, 1_000_000_000, state=ReviewState.SUBMITTED)
    project(gamma, 1_000_000_000, start=day(2025, 1, 1), end=day(2025, 12, 31))
    return FundingData(north=north, south=south, so1=so1, so2=so2, alpha=alpha, gamma=gamma, p3=p3)


def share_p3_with_south(data: FundingData) -> None:
    """P3 gives its budget to South: South then has Alpha, Beta and Gamma, and no project is
    left not broken down by area, so every public part has three organisations."""
    ProjectShare.objects.create(project=data.p3, area=data.south, share_percent=Decimal(100))


def share_p3_with_north(data: FundingData) -> None:
    """P3 gives its budget to North: North then has Alpha, Beta, Delta and Gamma, 29,000,000
    required; South alone is small, so North is withheld with it, or South would be the
    total (43,000,000) less North's."""
    ProjectShare.objects.create(project=data.p3, area=data.north, share_percent=Decimal(100))


def build_funding_more(data: FundingData) -> None:
    """Three more accepted projects with shares of both kinds and two funding updates each,
    so that nothing is read one project at a time."""
    for number in range(3):
        made = ProjectFactory(
            organisation=OrganisationFactory(name_en=f"More {number}"),
            state=ReviewState.ACCEPTED,
            budget_required_usd=Decimal(1_000_000),
        )
        ProjectShare.objects.create(project=made, objective=data.so1, share_percent=100)
        ProjectShare.objects.create(project=made, area=data.north, share_percent=100)
        FundingFactory(project=made, date=datetime.date(2026, 2, 1))
        FundingFactory(project=made, date=datetime.date(2026, 5, 1))
