"""Monitoring periods on My tasks: coordinators are told of the periods that have ended and are
still open (on the pinned 15 July 2026, April to June has ended, July to September has not)."""

import datetime

import pytest
from django.urls import reverse

from monitoring import services
from monitoring.selectors import tasks_for_user
from tests.activities.factories import StrategyCycleFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_coordinators_are_told_of_the_ended_periods_still_open(client, django_assert_num_queries):
    cora = UserFactory(email="cora@example.org", is_coordinator=True)
    cycle = StrategyCycleFactory(start_year=2026, end_year=2026)
    for first, last in ((1, 3), (4, 6), (7, 9)):
        services.period_create(
            cycle=cycle,
            first_month=datetime.date(2026, first, 1),
            last_month=datetime.date(2026, last, 1),
            by=cora,
        )
    services.period_close(period=cycle.monitoring_periods.get(first_month__month=1), by=cora)
    with django_assert_num_queries(1):
        [task] = tasks_for_user(cora)
    assert (task.count, task.url) == (1, reverse("monitoring:list"))
    assert tasks_for_user(UserFactory(email="sam@example.org")) == []
    client.force_login(cora)
    assert "Monitoring periods to close" in client.get(reverse("my_tasks")).content.decode()
