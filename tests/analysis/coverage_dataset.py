"""Caseloads on top of ``tests/analysis/dataset.py`` (its docstring has the reach), with the
coverage computed by hand, for January to April 2026 and the 2026-2027 cycle.

People reached, the areas tab's rule (the people-counting figures summed; kits are not
people):
  North  Jan A 100 + 50, Feb A 200 + 80 + 30 (N2), Feb B 60 = 520;
         at admin2 North One 100 + 50 + 200 + 80 + 60 = 490, North Two 30
  South  Feb B 40 (S1) + 10 (the whole of South) = 50; at admin2 South One 40 (the 10 for
         the whole of South has no district)
  East   nobody

Caseloads (all people; a girls' row too, which coverage does not read):
  North One  in need 2,000, targeted 1,000 (girls 900 / 400)
  North Two  in need 800, targeted 270
  South      in need 500, no target
  East       in need 3,000, targeted 1,000

Coverage:
  admin1  North  districts rolled up: in need 2,000 + 800 = 2,800, targeted 1,000 + 270 =
                 1,270; 520 / 1,270 = 40.9 % → 41 %
          South  no target (reached 50)
          East   0 / 1,000 = 0 %
  admin2  North One  490 / 1,000 = 49 %;  North Two  30 / 270 = 11.1 % → 11 %;
          South One  no caseload, no target (reached 40)
Coverage gaps (under 50 %, lowest first): East 0 %, North Two 11 %, North 41 %, North One 49 %.

Funding (one project of Alpha Health, running all 2026): US$ 1,000,000 required, all of it
to North; 400,000 received on 1 March. North: 1,000,000 / 400,000; South and East none.
"""

import datetime
from decimal import Decimal

from planning.models import Caseload, PopulationGroup
from projects.models import ProjectShare, ReviewState
from tests.analysis.dataset import Dataset, build
from tests.projects.factories import FundingFactory, ProjectFactory

RANGE = {"first_month": "2026-01", "last_month": "2026-04"}


def add_caseloads(data: Dataset) -> None:
    def caseload(area, in_need, targeted, group=PopulationGroup.ALL):
        Caseload.objects.create(
            cycle=data.cycle,
            area=area,
            group=group,
            people_in_need=in_need,
            people_targeted=targeted,
            source="HNO 2026",
        )

    caseload(data.n1, 2000, 1000)
    caseload(data.n1, 900, 400, PopulationGroup.GIRLS)
    caseload(data.n2, 800, 270)
    caseload(data.south, 500, None)
    caseload(data.east, 3000, 1000)


def add_funding(data: Dataset) -> None:
    project = ProjectFactory(
        organisation=data.org_a,
        state=ReviewState.ACCEPTED,
        budget_required_usd=Decimal(1_000_000),
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 12, 31),
    )
    ProjectShare.objects.create(project=project, area=data.north, share_percent=Decimal(100))
    FundingFactory(
        project=project, date=datetime.date(2026, 3, 1), amount_received_usd=Decimal(400_000)
    )


def build_coverage() -> Dataset:
    data = build()
    add_caseloads(data)
    add_funding(data)
    return data
