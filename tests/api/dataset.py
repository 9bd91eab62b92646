"""A small dataset with something public and something not for every endpoint: a pending and
a rejected organisation beside the approved ones, a members' meeting, a draft bulletin, a
restricted and a draft assessment. ``rows`` repeats the public records to check that query
counts do not grow with them."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from assessments.models import AssessmentStatus
from locations.models import AdminLevel, AreaBoundary
from partners.models import OrganisationStatus
from strategy.models import StrategyCycle
from tests.assessments.factories import AssessmentFactory, FindingFactory
from tests.bulletins.factories import EditionFactory, published_edition
from tests.factories import AdminAreaFactory, OrganisationFactory
from tests.meetings.conftest import MeetingFactory
from tests.strategy.conftest import make_cycle

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[44.0, 15.0], [45.0, 15.0], [45.0, 16.0], [44.0, 16.0], [44.0, 15.0]]],
}


@dataclass
class Dataset:
    pending: object
    rejected: object
    district: object
    members_meeting: object
    draft_bulletin: object
    restricted: object
    draft: object


def make_rows(world, rows: int) -> object:
    """``rows`` public records of each kind, and a current strategy of ``rows + 1``
    priorities, each with as many objectives and indicators. Returns the last district."""
    for _ in range(rows):
        organisation = OrganisationFactory()
        organisation.areas.add(world.area)
        district = AdminAreaFactory(level=AdminLevel.ADMIN2, parent=world.area)
        AreaBoundary.objects.create(area=district, geometry=SQUARE)
        MeetingFactory()
        MeetingFactory(starts_at=timezone.now() - timedelta(days=30))
        published_edition()
        AssessmentFactory(
            areas=[world.area],
            participating_organisations=[world.org_b, organisation],
            lead_organisation=world.org_a,
        )
        FindingFactory(assessment=AssessmentFactory(), area=district, severity=4)
    StrategyCycle.objects.all().delete()  # a dataset made again replaces the strategy
    make_cycle(2026, 2027, current=True, size=rows + 1)
    return district


def make_dataset(world, rows: int = 1) -> Dataset:
    district = make_rows(world, rows)
    return Dataset(
        pending=OrganisationFactory(name_en="Pending Care", status=OrganisationStatus.PENDING),
        rejected=OrganisationFactory(name_en="Rejected Aid", status=OrganisationStatus.REJECTED),
        district=district,
        members_meeting=MeetingFactory(title_en="Members only", is_members_only=True),
        draft_bulletin=EditionFactory(title="Draft bulletin").bulletin,
        restricted=AssessmentFactory(title_en="Restricted survey", is_restricted=True),
        draft=AssessmentFactory(title_en="Draft survey", status=AssessmentStatus.DRAFT),
    )
