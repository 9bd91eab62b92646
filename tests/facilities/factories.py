"""factory_boy factories of the facility registry, and the registry the matrices and view
tests share: a hospital supported by organisation A with a status in each review state."""

import datetime
import importlib
from dataclasses import dataclass

import factory
from django.apps import apps
from django.utils import timezone

from facilities.models import (
    Accessibility,
    BuildingCondition,
    Facility,
    FacilityStatus,
    FacilitySupport,
    FacilityType,
    Functionality,
    Ownership,
    ReviewState,
    SupportKind,
)
from tests.factories import AdminAreaFactory, OrganisationFactory

LONG_AGO = datetime.date(2020, 1, 1)


def facility_type(code: str = "hospital") -> FacilityType:
    """A facility type of migration 0002; put back when a transactional test emptied them."""
    if not FacilityType.objects.exists():
        importlib.import_module("facilities.migrations.0002_the_lists").load(apps, None)
    return FacilityType.objects.get(code=code)


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility

    code = factory.Sequence(lambda n: f"T-{n:04d}")
    name_en = factory.Sequence(lambda n: f"Facility {n}")
    name_ar = factory.Sequence(lambda n: f"منشأة {n}")
    type = factory.LazyFunction(facility_type)
    ownership = Ownership.PUBLIC
    area = factory.SubFactory(AdminAreaFactory)


class StatusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FacilityStatus

    facility = factory.SubFactory(FacilityFactory)
    as_of = factory.LazyFunction(timezone.localdate)
    functionality = Functionality.FULLY
    building = BuildingCondition.NOT_DAMAGED
    accessibility = Accessibility.FULLY
    causes = factory.LazyAttribute(
        lambda status: [] if status.functionality == Functionality.FULLY else ["utilities"]
    )
    source = "Visit by the health officer"
    state = ReviewState.VALIDATED


class SupportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FacilitySupport

    facility = factory.SubFactory(FacilityFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    kind = SupportKind.RUNNING
    start = LONG_AGO
    end = None


def status_values(**changes) -> dict:
    """What the status form sends a service: a partially functioning facility, today."""
    values = {
        "as_of": timezone.localdate(),
        "functionality": Functionality.PARTIALLY,
        "building": BuildingCondition.PARTIALLY,
        "accessibility": Accessibility.FULLY,
        "causes": ["utilities"],
        "beds": 40,
        "source": "Call with the hospital director",
    }
    values.update(changes)
    return values


def status_form(facility: Facility | None = None, **changes) -> dict:
    """The same status as the form posts it."""
    data = {
        key: value
        for key, value in status_values().items()
        if key not in ("causes", "as_of", "beds")
    }
    data |= {"as_of": timezone.localdate().isoformat(), "causes": ["utilities"], "beds": "40"}
    if facility is not None:
        data["facility"] = facility.pk
    data.update(changes)
    return data


@dataclass
class Registry:
    """A hospital in the world's area supported by organisation A (Alice's and Sam's), a
    health centre nobody supports, and the hospital's statuses: one validated, one
    submitted and one returned, recorded by Sam."""

    hospital: Facility
    centre: Facility
    support: FacilitySupport
    validated: FacilityStatus
    submitted: FacilityStatus
    returned: FacilityStatus


def make_registry(world) -> Registry:
    hospital = FacilityFactory(
        code="HOS-1", name_en="North Hospital", area=world.area, longitude=35, latitude=32
    )
    centre = FacilityFactory(
        code="PHC-1", name_en="Hill Health Centre", area=world.area, type=facility_type("phc")
    )
    support = SupportFactory(facility=hospital, organisation=world.org_a)
    today = timezone.localdate()
    staff = world.user("staff")

    def status(state: str, days: int, functionality=Functionality.FULLY) -> FacilityStatus:
        return StatusFactory(
            facility=hospital,
            as_of=today - datetime.timedelta(days=days),
            functionality=functionality,
            organisation=world.org_a,
            recorded_by=staff,
            state=state,
        )

    registry = Registry(
        hospital=hospital,
        centre=centre,
        support=support,
        validated=status(ReviewState.VALIDATED, 20),
        submitted=status(ReviewState.SUBMITTED, 2, Functionality.PARTIALLY),
        returned=status(ReviewState.RETURNED, 10, Functionality.NOT),
    )
    registry.returned.review_comment = "Which generator failed?"
    registry.returned.save()
    for name in ("hospital", "centre", "support", "validated", "submitted", "returned"):
        setattr(world, name, getattr(registry, name))
    return registry
