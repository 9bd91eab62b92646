"""The home page's figure: public assessments published in the last twelve months."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from assessments.models import AssessmentStatus
from assessments.selectors import published_recently_count
from tests.assessments.factories import AssessmentFactory

pytestmark = pytest.mark.django_db

BAGHDAD = zoneinfo.ZoneInfo("Asia/Baghdad")  # UTC+3 all year


@pytest.fixture
def cluster_time(settings, time_machine):
    """Mid-June 2027 in Baghdad; the tests place their dates around the year's edges."""
    settings.TIME_ZONE = "Asia/Baghdad"
    time_machine.move_to(datetime.datetime(2027, 6, 15, 12, 0, tzinfo=BAGHDAD))
    return 2027


def published(at: datetime.datetime, **fields):
    return AssessmentFactory(published_at=at, **fields)


def test_it_counts_public_assessments_published_in_the_last_twelve_months(world, cluster_time):
    year = cluster_time
    published(
        datetime.datetime(year - 1, 6, 15, 0, 30, tzinfo=BAGHDAD), lead_organisation=world.org_a
    )
    published(datetime.datetime(year, 1, 1, 0, 30, tzinfo=BAGHDAD), lead_organisation=world.org_a)
    published(timezone.now(), lead_organisation=world.org_a)
    assert published_recently_count() == 3


def test_the_twelve_months_start_at_midnight_a_year_ago_in_the_clusters_time_zone(
    world, cluster_time
):
    year = cluster_time
    # 23:30 on 14 June last year in the cluster: a day too early.
    published(
        datetime.datetime(year - 1, 6, 14, 23, 30, tzinfo=BAGHDAD), lead_organisation=world.org_a
    )
    # 00:30 on 15 June in the cluster is still 14 June in UTC: within the twelve months.
    published(
        datetime.datetime(year - 1, 6, 15, 0, 30, tzinfo=BAGHDAD), lead_organisation=world.org_a
    )
    assert published_recently_count() == 1


def test_restricted_drafts_and_older_ones_are_left_out(world, cluster_time):
    now = timezone.now()
    published(now, lead_organisation=world.org_a, is_restricted=True)
    AssessmentFactory(lead_organisation=world.org_a, status=AssessmentStatus.SUBMITTED)
    published(now.replace(year=cluster_time - 2), lead_organisation=world.org_a)
    assert published_recently_count() == 0


def test_it_is_one_query(world, cluster_time, django_assert_num_queries):
    with django_assert_num_queries(1):
        published_recently_count()
