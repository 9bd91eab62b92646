"""``seed_demo`` gives Demoland a dozen partners' projects: accepted ones with funding over
the year, one waiting for review, a draft and a returned one of the demo accounts'
organisation, budget splits (one not broken down) and planned activities, all within the
projects' own rules; a second run changes nothing."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse

from projects.models import FundingUpdate, PlannedActivity, Project, ReviewState
from projects.selectors import with_funding
from tests.assessments.workflow_helpers import domains

pytestmark = pytest.mark.django_db

SEEDED_AT = datetime.datetime(2027, 3, 17, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def seeded(time_machine):
    time_machine.move_to(SEEDED_AT)
    domains()
    call_command("seed_demo", stdout=StringIO())


def test_the_demo_has_a_dozen_projects_in_every_review_state(seeded):
    states = dict(Project.objects.values_list("state").annotate(count=Count("pk")))
    assert states == {
        ReviewState.ACCEPTED: 9,
        ReviewState.SUBMITTED: 1,
        ReviewState.DRAFT: 1,
        ReviewState.RETURNED: 1,
    }
    dha = Project.objects.filter(organisation__acronym="DHA")
    assert sorted(dha.values_list("state", flat=True)) == ["accepted", "draft", "returned"]
    assert dha.get(state=ReviewState.RETURNED).review_comment


def test_the_demo_funding_is_dated_up_to_today_and_the_latest_counts(seeded):
    assert not FundingUpdate.objects.filter(date__gt=datetime.date(2027, 3, 17)).exists()
    # UNHF's primary health care: its demo year starts in April 2026 (eleven months before
    # March 2027); its last update, month 10, is 15 February 2027 at 63 % of 4,200,000.
    project = with_funding(Project.objects.filter(organisation__acronym="UNHF")).get()
    assert project.funding_date == datetime.date(2027, 2, 15)
    assert project.funding_received == Decimal("4200000") * Decimal("0.63")
    assert project.plan_code == "HDL26-HEA-001"


def test_one_project_is_not_broken_down_and_every_other_splits_its_whole_budget(seeded):
    unsplit = Project.objects.filter(shares__isnull=True)
    assert [project.organisation.acronym for project in unsplit] == ["MoH"]
    for project in Project.objects.exclude(state=ReviewState.DRAFT).exclude(pk__in=unsplit):
        totals = {}
        for share in project.shares.all():
            kind = "objective" if share.objective_id else "area"
            totals[kind] = totals.get(kind, 0) + share.share_percent
        assert set(totals.values()) == {100}, project


def test_planned_activities_have_targets_that_their_groups_add_up_to(seeded):
    # 3 + 3 + 2 + 1 + 2 + 2 + 1 + 2 + 1 + 2 + 1 + 1, by project in the seed's order.
    assert PlannedActivity.objects.count() == 21
    anc = PlannedActivity.objects.filter(activity__code="ANC-VISIT", area__pcode="DL03").get()
    assert (anc.target, anc.women, anc.girls) == (14_000, 14_000, None)


def test_a_second_run_changes_nothing(seeded):
    before = (Project.objects.count(), FundingUpdate.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (Project.objects.count(), FundingUpdate.objects.count()) == before


def test_the_demo_coordinator_sees_the_projects_and_the_one_to_review(seeded, client):
    client.force_login(get_user_model().objects.get(email="coordinator@demo.local"))
    page = client.get(reverse("projects:list"))
    assert page.context["page_obj"].paginator.count == 12
    queue = client.get(reverse("projects:review_queue"))
    assert [project.organisation.acronym for project in queue.context["page_obj"]] == ["GCA"]
