"""Reads of partners' projects: the filtered list with each project's funding received, a
project's funding history and budget shares, the coordinators' review queue, and My tasks."""

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.tasks import Task
from partners.access import is_coordinator, user_organisation
from partners.models import Organisation
from projects.access import visible_projects
from projects.models import FundingUpdate, PlannedActivity, Project, ProjectShare, ReviewState
from strategy.models import StrategicObjective


def with_funding(projects: QuerySet[Project]) -> QuerySet[Project]:
    """Each project with ``funding_received`` and ``funding_date`` from its latest update
    (None without one), in the same query as the projects."""
    latest = FundingUpdate.objects.filter(project=OuterRef("pk")).order_by("-date", "-pk")
    return projects.annotate(
        funding_received=Subquery(latest.values("amount_received_usd")[:1]),
        funding_date=Subquery(latest.values("date")[:1]),
    )


def project_list(
    user,
    *,
    organisation=None,
    status: str = "",
    state: str = "",
    objective=None,
) -> QuerySet[Project]:
    """The projects the user sees, narrowed by the filters given, with their funding."""
    projects = visible_projects(user)
    if organisation is not None:
        projects = projects.filter(organisation=organisation)
    if status:
        projects = projects.filter(status=status)
    if state:
        projects = projects.filter(state=state)
    if objective is not None:
        projects = projects.filter(objectives=objective)
    return with_funding(
        projects.select_related("organisation").prefetch_related("objectives")
    ).order_by("-start", "-pk")


def export_rows(projects: QuerySet[Project]) -> QuerySet[Project]:
    """The projects with what their file holds: partners, objectives and budget shares in
    one query each per chunk."""
    # The list's own prefetches give way to these, ordered for the file.
    return (
        projects.select_related("organisation")
        .prefetch_related(None)
        .prefetch_related(
            Prefetch("implementing_partners", queryset=Organisation.objects.order_by("name_en")),
            Prefetch("objectives", queryset=StrategicObjective.objects.order_by("code")),
            Prefetch(
                "shares",
                queryset=ProjectShare.objects.select_related("objective", "area").order_by(
                    "objective__code", "area__pcode", "pk"
                ),
            ),
        )
    )


def review_queue() -> QuerySet[Project]:
    """The submitted projects, oldest submission first."""
    return with_funding(
        Project.objects.filter(state=ReviewState.SUBMITTED)
        .select_related("organisation")
        .prefetch_related("objectives")
    ).order_by("submitted_at", "pk")


def implementing_partners(project: Project) -> QuerySet:
    return project.implementing_partners.order_by("name_en")


def objectives_served(project: Project) -> QuerySet:
    return project.objectives.order_by("cycle__start_year", "order", "code")


def funding_history(project: Project) -> QuerySet[FundingUpdate]:
    return project.funding.select_related("recorded_by").order_by("-date", "-pk")


def funding_received(project: Project) -> FundingUpdate | None:
    """The project's latest funding update: what it has received so far."""
    return funding_history(project).first()


def shares(project: Project) -> dict[str, list[ProjectShare]]:
    """The project's budget shares by kind: ``{"objectives": [...], "areas": [...]}``; an
    empty list is a split not given ("not broken down")."""
    rows = list(
        project.shares.select_related("objective", "area").order_by("objective__code", "pk")
    )
    return {
        "objectives": [row for row in rows if row.objective_id],
        "areas": [row for row in rows if row.area_id],
    }


def planned_activities(project: Project) -> QuerySet[PlannedActivity]:
    return project.planned_activities.select_related("activity", "area").order_by(
        "first_month", "activity__order", "activity__code", "area__path", "pk"
    )


def tasks_for_user(user) -> list[Task]:
    """The projects waiting for the user: for coordinators those to review; for members those
    returned to their organisation (one query each)."""
    tasks: list[Task] = []
    if is_coordinator(user):
        waiting = Project.objects.filter(state=ReviewState.SUBMITTED).count()
        if waiting:
            tasks.append(
                Task(
                    title=_("Projects to review"),
                    description=ngettext(
                        "%(count)d project waits for your review.",
                        "%(count)d projects wait for your review.",
                        waiting,
                    )
                    % {"count": waiting},
                    url=reverse("projects:review_queue"),
                    count=waiting,
                )
            )
    organisation = user_organisation(user)
    if organisation is None or not organisation.is_approved:
        return tasks
    returned = Project.objects.filter(organisation=organisation, state=ReviewState.RETURNED).count()
    if returned:
        tasks.append(
            Task(
                title=_("Projects returned to you"),
                description=ngettext(
                    "%(count)d project of your organisation was returned for correction.",
                    "%(count)d projects of your organisation were returned for correction.",
                    returned,
                )
                % {"count": returned},
                url=reverse("projects:list")
                + f"?organisation={organisation.pk}&state={ReviewState.RETURNED}",
                count=returned,
            )
        )
    return tasks
