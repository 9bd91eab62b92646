"""Projects for the tests: a factory, the form as it is posted, and the world's projects."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import factory

from projects.models import FundingUpdate, Project, ProjectStatus, ReviewState
from tests.factories import OrganisationFactory


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    title_en = factory.Sequence(lambda n: f"Primary health care project {n}")
    title_ar = factory.Sequence(lambda n: f"مشروع الرعاية الصحية الأولية {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    start = datetime.date(2026, 1, 1)
    end = datetime.date(2026, 12, 31)
    status = ProjectStatus.ONGOING
    budget_required_usd = Decimal("250000.00")
    state = ReviewState.DRAFT


class FundingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingUpdate

    project = factory.SubFactory(ProjectFactory)
    date = datetime.date(2026, 3, 1)
    amount_received_usd = Decimal("100000.00")
    source = "Donor agreement"


def project_form(**changes) -> dict:
    """A project as the form posts it, without a budget split or planned activities."""
    data = {
        "title_en": "Mobile clinics in the north",
        "title_ar": "",
        "plan_code": "",
        "donors": "ECHO",
        "start": "2026-01-01",
        "end": "2026-12-31",
        "status": ProjectStatus.PLANNED,
        "budget_required_usd": "120000",
    }
    for prefix in ("objective_shares", "area_shares"):
        data |= {
            f"{prefix}-TOTAL_FORMS": "6",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "6",
            f"{prefix}-MAX_NUM_FORMS": "6",
        }
    data |= {
        "planned-TOTAL_FORMS": "0",
        "planned-INITIAL_FORMS": "0",
        "planned-MIN_NUM_FORMS": "0",
        "planned-MAX_NUM_FORMS": "200",
    }
    data.update(changes)
    return data


@dataclass
class Projects:
    """Organisation A's projects in each review state (Sam created them) and a draft of
    organisation B's."""

    draft: Project
    submitted: Project
    returned: Project
    accepted: Project
    other_draft: Project


def make_projects(world) -> Projects:
    staff = world.user("staff")

    def project(state: str, organisation=None, **values) -> Project:
        return ProjectFactory(
            organisation=organisation or world.org_a, state=state, created_by=staff, **values
        )

    projects = Projects(
        draft=project(ReviewState.DRAFT),
        submitted=project(ReviewState.SUBMITTED),
        returned=project(ReviewState.RETURNED, review_comment="Give the donors."),
        accepted=project(ReviewState.ACCEPTED, plan_code="HRP-26-HEA-001"),
        other_draft=project(ReviewState.DRAFT, organisation=world.org_b),
    )
    world.projects = projects
    return projects
