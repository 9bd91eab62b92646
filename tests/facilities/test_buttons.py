"""A facility's page offers an action exactly when doing it works.

For the hospital of ``make_registry`` (its organisation approved or suspended) and each of
its statuses (submitted, returned, validated), seen by every role of the permission matrix,
each button or link of the facility's page is there if and only if its POST changes the
record (``tests/buttons.py``). The page asks ``facilities.policy`` and the services enforce
it: this checks that the two agree.
"""

import pytest
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from facilities.models import Facility, FacilityStatus, ReviewState
from partners.models import OrganisationStatus
from tests.buttons import Action, mismatches
from tests.conftest import ROLES
from tests.facilities.factories import make_registry, status_form

pytestmark = pytest.mark.django_db


def _page(status: FacilityStatus) -> str:
    return reverse("facilities:detail", kwargs={"pk": status.facility_id})


def _url(name: str):
    return lambda status: reverse(f"facilities:{name}", kwargs={"pk": status.pk})


def _becomes(state: str):
    return lambda before, after: before.state != state and after.state == state


STATUS_ACTIONS = [
    Action(
        "validate",
        _page,
        _url("status_validate"),
        _becomes(ReviewState.VALIDATED),
        lambda status: {"confirm": "yes"},
    ),
    Action(
        "return",
        _page,
        _url("status_return"),
        _becomes(ReviewState.RETURNED),
        lambda status: {"comment": "Check the date."},
    ),
    Action(
        "correct",
        _page,
        _url("status_edit"),
        _becomes(ReviewState.SUBMITTED),
        lambda status: status_form(),
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", ["submitted", "returned", "validated"])
@pytest.mark.parametrize("suspended", [False, True], ids=["approved", "suspended"])
def test_a_status_shows_its_buttons_exactly_when_they_work(world, login, role, state, suspended):
    registry = make_registry(world)
    if suspended:
        world.org_a.status = OrganisationStatus.SUSPENDED
        world.org_a.save()
    client = login(world.user(role))
    status = getattr(registry, state)
    found = mismatches(
        client, status, STATUS_ACTIONS, lambda record: FacilityStatus.objects.get(pk=record.pk)
    )
    assert found == []


def _facility_page(facility: Facility) -> str:
    return reverse("facilities:detail", kwargs={"pk": facility.pk})


def _counted(facility: Facility) -> Facility:
    return Facility.objects.annotate(
        status_count=Count("statuses", distinct=True),
        support_count=Count("supports", distinct=True),
    ).get(pk=facility.pk)


def _facility_actions(world) -> list[Action]:
    return [
        Action(
            "record a status",
            _facility_page,
            lambda facility: reverse("facilities:status_record"),
            lambda before, after: after.status_count > before.status_count,
            lambda facility: status_form(facility),
        ),
        Action(
            "edit the facility",
            _facility_page,
            lambda facility: reverse("facilities:edit", kwargs={"pk": facility.pk}),
            lambda before, after: after.name_en == "Renamed Hospital",
            lambda facility: {
                "name_en": "Renamed Hospital",
                "type": facility.type_id,
                "ownership": "public",
                "area": world.area.pcode,
            },
        ),
        Action(
            "add a supporting partner",
            _facility_page,
            lambda facility: reverse("facilities:support_add", kwargs={"pk": facility.pk}),
            lambda before, after: after.support_count > before.support_count,
            lambda facility: {
                "organisation": world.org_b.pk,
                "kind": "staff",
                "start": timezone.localdate().isoformat(),
            },
        ),
        Action(
            "record the end of a support",
            # On the page of the facility it supports (the hospital's).
            lambda facility: reverse("facilities:detail", kwargs={"pk": world.support.facility_id}),
            lambda facility: reverse("facilities:support_end", kwargs={"pk": world.support.pk}),
            lambda before, after: facility_support_ended(world),
            lambda facility: {"end": timezone.localdate().isoformat()},
        ),
    ]


def facility_support_ended(world) -> bool:
    world.support.refresh_from_db()
    return world.support.end is not None


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", ["hospital", "centre"])
def test_a_facility_shows_its_buttons_exactly_when_they_work(world, login, role, which):
    registry = make_registry(world)
    client = login(world.user(role))
    facility = getattr(registry, which)
    assert mismatches(client, facility, _facility_actions(world), _counted) == []
