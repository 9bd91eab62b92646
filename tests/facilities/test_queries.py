"""The registry's pages ask the database a fixed number of times, whatever their rows: the
list (for a member, a coordinator and the public), a facility's page and the review queue,
each read with a small dataset and with one more than twice its size, at least three rows of
each relation (types, areas, statuses, supports, organisations, recorders)."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from facilities.models import Functionality, ReviewState
from tests.facilities.factories import (
    FacilityFactory,
    StatusFactory,
    SupportFactory,
    facility_type,
    make_registry,
)
from tests.factories import AdminAreaFactory, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

TYPES = ["hospital", "phc", "mobile-clinic"]
FUNCTIONALITIES = [Functionality.FULLY, Functionality.PARTIALLY, Functionality.NOT]
LIST = reverse("facilities:list")
QUEUE = reverse("facilities:review_queue")


def add_facilities(count: int, *, state: str = ReviewState.VALIDATED) -> list:
    """``count`` facilities, each of its own type, area and organisations, with three
    supports and three statuses recorded by three people."""
    today = timezone.localdate()
    made = []
    for index in range(count):
        facility = FacilityFactory(
            type=facility_type(TYPES[index % 3]),
            area=AdminAreaFactory(),
            longitude=35,
            latitude=32,
        )
        for step in range(3):
            organisation = OrganisationFactory()
            SupportFactory(facility=facility, organisation=organisation)
            StatusFactory(
                facility=facility,
                organisation=organisation,
                recorded_by=MembershipFactory(organisation=organisation).user,
                as_of=today - datetime.timedelta(days=step),
                functionality=FUNCTIONALITIES[step],
                state=state,
            )
        made.append(facility)
    return made


def queries(client, url: str, data: dict | None = None) -> int:
    client.get(url, data or {})  # the session's first reads are not the page's
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data or {})
    assert response.status_code == 200
    return len(captured.captured_queries)


# The page count, its rows (with type and area, and the current functionality for the
# filter), their supports today, their current statuses, the filters' choices of area, type
# and supporting organisation: 7 (the footer's cluster identity is kept in the cache after
# the first page). Signed in, the session and the user; a member, their membership and
# whether their organisation supports a facility (the "Record a status" button).
LIST_QUERIES = {"anonymous": 7, "coordinator": 9, "staff": 11}


@pytest.mark.parametrize("role", ["staff", "coordinator", "anonymous"])
def test_the_list_asks_a_fixed_number_of_queries(login, world, settings, role):
    settings.PUBLISH_FACILITY_LOCATIONS = True
    make_registry(world)
    add_facilities(3)
    client = login(world.user(role))
    assert queries(client, LIST) == LIST_QUERIES[role]
    add_facilities(5)
    assert queries(client, LIST) == LIST_QUERIES[role]
    # Choosing a type reads it, by its code.
    filtered = {"functionality": "fully", "type": "hospital"}
    assert queries(client, LIST, filtered) == LIST_QUERIES[role] + 1


def test_a_facility_page_asks_a_fixed_number_of_queries(login, world):
    registry = make_registry(world)
    client = login(world.user("coordinator"))
    url = reverse("facilities:detail", args=[registry.hospital.pk])
    few = queries(client, url)
    for organisation in OrganisationFactory.create_batch(3):
        SupportFactory(facility=registry.hospital, organisation=organisation)
        StatusFactory(
            facility=registry.hospital,
            organisation=organisation,
            recorded_by=MembershipFactory(organisation=organisation).user,
            state=ReviewState.SUBMITTED,
        )
    assert queries(client, url) == few


def test_the_review_queue_asks_a_fixed_number_of_queries(login, world):
    add_facilities(1)
    add_facilities(3, state=ReviewState.SUBMITTED)
    client = login(world.user("coordinator"))
    few = queries(client, QUEUE)
    add_facilities(4, state=ReviewState.SUBMITTED)
    assert queries(client, QUEUE) == few
    # Session, user, the count and the page's rows with their facility, type, area,
    # organisation and recorder, the facilities' current statuses (the footer's identity is
    # kept in the cache after the first page).
    assert few == 5


def test_my_tasks_line_of_statuses_takes_two_queries_at_most(world, django_assert_max_num_queries):
    """For a coordinator who is also a member: the queue's count, then the organisation's
    returned statuses and facilities due, together."""
    from facilities.selectors import tasks_for_user

    with time_machine.travel(datetime.date(2026, 5, 20), tick=False):
        registry = make_registry(world)
        user = world.user("focal")
        user.is_coordinator = True
        user.save()
        SupportFactory(facility=registry.centre, organisation=world.org_a)
        tasks_for_user(user)  # reads the membership once
        with django_assert_max_num_queries(2):
            tasks = tasks_for_user(user)
    # One to review; one returned; the health centre has no status this month.
    assert [task.count for task in tasks] == [1, 1, 1]
