"""The projects' writes: the content checks, the budget split adding up to 100 % on
submission, the review with its email, and funding where the latest update counts."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from projects import selectors, services
from projects.models import Project, ProjectStatus, ReviewState
from tests.activities.factories import ObjectiveFactory
from tests.factories import AdminAreaFactory
from tests.projects.factories import FundingFactory, ProjectFactory

pytestmark = pytest.mark.django_db

VALUES = {
    "title_en": "Mobile clinics",
    "title_ar": "",
    "plan_code": "",
    "donors": "ECHO",
    "start": datetime.date(2026, 1, 1),
    "end": datetime.date(2026, 12, 31),
    "status": ProjectStatus.PLANNED,
    "budget_required_usd": Decimal("1000"),
}


def _create(world, **changes) -> Project:
    return services.project_create(
        values=VALUES | changes.pop("values", {}), by=world.user("staff"), **changes
    )


def _errors(error: ValidationError) -> dict:
    return error.value.message_dict


def test_a_project_is_created_as_a_draft_of_the_users_organisation(world):
    project = _create(world, implementing_partners=[world.org_b])
    assert project.organisation == world.org_a
    assert project.state == ReviewState.DRAFT
    assert list(project.implementing_partners.all()) == [world.org_b]
    assert project.history.first().history_user == world.user("staff")


def test_a_project_cannot_end_before_it_starts_nor_have_a_negative_budget(world):
    with pytest.raises(ValidationError) as error:
        _create(
            world,
            values={"end": datetime.date(2025, 12, 31), "budget_required_usd": Decimal(-1)},
        )
    assert set(_errors(error)) == {"end", "budget_required_usd"}
    assert not Project.objects.exists()


def test_a_response_plan_code_is_given_to_one_project_only(world):
    _create(world, values={"plan_code": "HRP-26-001"})
    with pytest.raises(ValidationError) as error:
        _create(world, values={"plan_code": "hrp-26-001"})
    assert "plan_code" in _errors(error)
    # Projects without a code are many.
    _create(world)
    _create(world)


def test_the_shares_are_saved_and_their_objectives_count_as_served(world):
    objective = ObjectiveFactory(code="SO1")
    other = ObjectiveFactory(code="SO2")
    project = _create(
        world,
        objectives=[other],
        objective_shares=[(objective, Decimal(60)), (other, Decimal(40))],
        area_shares=[(world.area, Decimal(100))],
    )
    split = selectors.shares(project)
    assert [share.share_percent for share in split["objectives"]] == [60, 40]
    assert [share.area for share in split["areas"]] == [world.area]
    assert set(project.objectives.all()) == {objective, other}


def test_shares_over_100_or_out_of_range_or_repeated_are_refused(world):
    objective = ObjectiveFactory(code="SO1")
    other = ObjectiveFactory(code="SO2")
    with pytest.raises(ValidationError) as error:
        _create(
            world,
            objective_shares=[(objective, Decimal(70)), (other, Decimal(40))],
            area_shares=[(world.area, Decimal(0))],
        )
    assert set(_errors(error)) == {"objective_shares", "area_shares"}
    with pytest.raises(ValidationError) as error:
        _create(world, area_shares=[(world.area, Decimal(50)), (world.area, Decimal(50))])
    assert "area_shares" in _errors(error)


def test_shares_are_by_admin1_or_admin2_area(world):
    country = world.area.parent
    with pytest.raises(ValidationError) as error:
        _create(world, area_shares=[(country, Decimal(100))])
    assert "area_shares" in _errors(error)


def test_a_split_adding_up_to_less_than_100_is_saved_but_not_submitted(world):
    second = AdminAreaFactory(pcode="ZZ02")
    project = _create(world, area_shares=[(world.area, Decimal(60)), (second, Decimal(30))])
    with pytest.raises(ValidationError) as error:
        services.project_submit(project=project, by=world.user("staff"))
    assert error.value.messages == ["The shares by area add up to 90 per cent, not 100."]
    project.refresh_from_db()
    assert project.state == ReviewState.DRAFT


def test_a_coordinator_correcting_an_accepted_project_keeps_its_split_whole(world):
    project = ProjectFactory(organisation=world.org_a, state=ReviewState.ACCEPTED)
    coordinator = world.user("coordinator")
    with pytest.raises(ValidationError) as error:
        services.project_update(
            project=project,
            values=VALUES,
            area_shares=[(world.area, Decimal(80))],
            by=coordinator,
        )
    assert "area_shares" in _errors(error)
    project = services.project_update(
        project=project, values=VALUES, area_shares=[(world.area, Decimal(100))], by=coordinator
    )
    assert project.state == ReviewState.ACCEPTED
    assert project.shares.count() == 1


def test_a_project_without_a_split_is_submitted_not_broken_down(world):
    project = _create(world)
    project = services.project_submit(project=project, by=world.user("focal"))
    assert project.state == ReviewState.SUBMITTED
    assert project.submitted_at is not None
    assert selectors.shares(project) == {"objectives": [], "areas": []}


def test_a_split_adding_up_to_100_is_submitted(world):
    objective = ObjectiveFactory(code="SO1")
    project = _create(world, objective_shares=[(objective, Decimal(100))])
    assert services.project_submit(project=project, by=world.user("staff")).state == (
        ReviewState.SUBMITTED
    )


def test_a_submitted_project_is_no_longer_changed_by_its_organisation(world):
    project = ProjectFactory(organisation=world.org_a, state=ReviewState.SUBMITTED)
    with pytest.raises(ValidationError):
        services.project_update(project=project, values=VALUES, by=world.user("staff"))


def test_accepting_records_the_reviewer(world):
    project = ProjectFactory(organisation=world.org_a, state=ReviewState.SUBMITTED)
    project = services.project_accept(project=project, by=world.user("coordinator"))
    assert project.state == ReviewState.ACCEPTED
    assert project.reviewed_by == world.user("coordinator")


def test_returning_needs_a_comment_and_emails_the_author(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    project = ProjectFactory(
        organisation=world.org_a,
        state=ReviewState.SUBMITTED,
        created_by=world.user("staff"),
        title_en="Mobile clinics",
    )
    with pytest.raises(ValidationError):
        services.project_return(project=project, by=world.user("coordinator"), comment=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.project_return(
            project=project, by=world.user("coordinator"), comment="Split the budget."
        )
    project.refresh_from_db()
    assert project.state == ReviewState.RETURNED
    assert project.review_comment == "Split the budget."
    assert [mail.to for mail in mailoutbox] == [["sam@example.org"]]
    mail = mailoutbox[0]
    assert "Mobile clinics" in mail.subject
    assert "Split the budget." in mail.body
    assert reverse("projects:edit", args=[project.pk]) in mail.body


def test_a_member_cannot_review(world):
    project = ProjectFactory(organisation=world.org_a, state=ReviewState.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.project_accept(project=project, by=world.user("focal"))


@time_machine.travel(datetime.datetime(2026, 6, 15, 9, tzinfo=datetime.UTC), tick=False)
def test_the_funding_received_is_the_latest_update_and_the_history_is_kept(world):
    project = ProjectFactory(organisation=world.org_a, state=ReviewState.ACCEPTED)
    staff = world.user("staff")
    services.funding_update_add(
        project=project,
        date=datetime.date(2026, 5, 1),
        amount_received_usd=Decimal("40000"),
        source="FTS",
        by=staff,
    )
    services.funding_update_add(
        project=project,
        date=datetime.date(2026, 3, 1),
        amount_received_usd=Decimal("10000"),
        source="Donor report",
        by=staff,
    )
    assert selectors.funding_received(project).amount_received_usd == Decimal("40000")
    listed = selectors.with_funding(Project.objects.filter(pk=project.pk)).get()
    assert listed.funding_received == Decimal("40000")
    assert listed.funding_date == datetime.date(2026, 5, 1)
    assert selectors.funding_history(project).count() == 2


@time_machine.travel(datetime.datetime(2026, 6, 15, 9, tzinfo=datetime.UTC), tick=False)
def test_funding_is_not_negative_nor_dated_in_the_future_and_has_a_source(world):
    project = ProjectFactory(organisation=world.org_a, state=ReviewState.ACCEPTED)
    with pytest.raises(ValidationError) as error:
        services.funding_update_add(
            project=project,
            date=datetime.date(2026, 7, 1),
            amount_received_usd=Decimal(-5),
            source="",
            by=world.user("staff"),
        )
    assert set(_errors(error)) == {"date", "amount_received_usd", "source"}


def test_a_project_without_funding_has_none_received(world):
    project = ProjectFactory(organisation=world.org_a)
    FundingFactory()  # another project's
    assert selectors.funding_received(project) is None
    assert (
        selectors.with_funding(Project.objects.filter(pk=project.pk)).get().funding_received is None
    )
