"""Caseloads on top of ``tests/analysis/dataset.py`` (its docstring has the reach), with the
coverage computed by hand, for January to April 2026 and the 2026-2027 cycle.

The cycle's headline is indicator 1.2 (people reached once), fed by nutrition screening and,
here, consultations too (kits are not people). People reached, the headline's rule: in each
area as reported, the largest figure of one activity in one month (the organisations' rows
of that activity-month added up), summed over the areas:
  N1     Jan consultations A 100, Jan screening A 50, Feb consultations A 200 + B 60 = 260,
         Feb screening A 80: the largest is 260 (summing the months would give
         100 + 50 + 260 + 80 = 490: the same people counted again each month)
  N2     Feb screening A 30
  S1     Feb screening B 40
  South  (reported for the whole of South) Feb consultations B 10
  admin1  North 260 + 30 = 290; South 40 + 10 = 50; East nobody
  admin2  North One 260, North Two 30, South One 40 (the 10 for the whole of South has no
          district)

Caseloads (all people; a girls' row too, which coverage does not read):
  North One  in need 2,000, targeted 1,000 (girls 900 / 400)
  North Two  in need 800, targeted 270
  South      in need 500, no target
  East       in need 3,000, targeted 1,000

Coverage:
  admin1  North  districts rolled up: in need 2,000 + 800 = 2,800, targeted 1,000 + 270 =
                 1,270; 290 / 1,270 = 22.8 % → 23 %
          South  no target (reached 50)
          East   0 / 1,000 = 0 %
  admin2  North One  260 / 1,000 = 26 %;  North Two  30 / 270 = 11.1 % → 11 %;
          South One  no caseload, no target (reached 40)
Coverage gaps (under 50 %, lowest first): East 0 %, North Two 11 %, North 23 %, North One 26 %.

The public: North's headline comes from Alpha and Beta, South's from Beta alone: under three
organisations, neither is shown, nor its coverage; East's 0 is.

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


def add_headline(data: Dataset) -> None:
    data.consultations.also_counts_towards.add(data.peaked)
    data.cycle.headline = data.peaked
    data.cycle.save(update_fields=["headline"])


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
    add_headline(data)
    add_caseloads(data)
    add_funding(data)
    return data
