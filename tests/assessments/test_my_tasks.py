"""The assessments' lines on the My tasks page."""

import pytest

from assessments import services
from assessments.tasks_selectors import tasks_for_user
from tests.assessments.workflow_helpers import make_draft, make_submitted

pytestmark = pytest.mark.django_db


def test_coordinators_see_the_assessments_to_review(world):
    make_submitted(world)
    make_submitted(world)
    make_draft(world)
    tasks = tasks_for_user(world.user("coordinator"))
    assert [(task.title, task.count, task.kind) for task in tasks] == [
        ("Assessments to review", 2, "action")
    ]
    assert tasks[0].url == "/en/assessments/review/"


def test_the_organisation_sees_assessments_returned_to_it(world):
    assessment = make_submitted(world)
    services.assessment_return(assessment=assessment, by=world.user("coordinator"), comment="Fix")
    make_submitted(world)
    tasks = tasks_for_user(world.user("staff"))
    assert [(task.title, task.count, task.kind) for task in tasks] == [
        ("Assessments returned to you", 1, "action"),
        ("Assessments under review", 1, "waiting"),
    ]
    assert tasks[0].url == "/en/assessments/mine/?status=returned"


def test_other_organisations_and_visitors_have_no_assessment_tasks(world):
    assessment = make_submitted(world)
    services.assessment_return(assessment=assessment, by=world.user("coordinator"), comment="Fix")
    assert tasks_for_user(world.user("other_member")) == []
    from django.contrib.auth.models import AnonymousUser

    assert tasks_for_user(AnonymousUser()) == []


def test_the_provider_takes_few_queries(world, django_assert_max_num_queries):
    make_submitted(world)
    user = world.user("focal")
    with django_assert_max_num_queries(2):
        tasks_for_user(user)
