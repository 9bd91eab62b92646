"""Reads of partners' projects: the filtered list with each project's funding received, a
project's funding history and budget shares, the coordinators' review queue, My tasks, and
the projects a 4W row may name with the areas each covers."""

import calendar
import datetime
import re
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.inputs import is_storable_text
from core.tasks import Task
from partners.access import is_coordinator, user_organisation
from partners.models import Organisation
from projects.access import visible_projects
from projects.models import (
    PORTAL_CODE_PREFIX,
    FundingUpdate,
    PlannedActivity,
    Project,
    ProjectShare,
    ProjectStatus,
    ReviewState,
)
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


# --- the projects 4W rows name -------------------------------------------------------------------


def with_area_paths(projects: QuerySet[Project]) -> list[Project]:
    """The projects, each with ``area_paths``: the paths of the areas of its budget shares
    (empty when its budget is not broken down by area). Two queries, plain SQL, so the
    embedded mode's SQLite runs them too."""
    found = list(projects)
    paths: dict[int, list[str]] = defaultdict(list)
    if found:
        shares = ProjectShare.objects.filter(
            project__in=[project.pk for project in found], area__isnull=False
        ).values_list("project_id", "area__path")
        for project_id, path in shares:
            paths[project_id].append(path)
    for project in found:
        project.area_paths = sorted(paths[project.pk])
    return found


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the month of ``month``."""
    last = calendar.monthrange(month.year, month.month)[1]
    return month.replace(day=1), month.replace(day=last)


def projects_for_rows(organisation, month: datetime.date) -> list[Project]:
    """The projects the organisation's rows for ``month`` may name: its own, accepted into the
    plan, not cancelled, running at some time of the month; each with ``area_paths`` (see
    ``covers``). Two queries, whatever the number of rows."""
    first, last = month_bounds(month)
    return with_area_paths(
        Project.objects.filter(
            organisation=organisation,
            state=ReviewState.ACCEPTED,
            start__lte=last,
            end__gte=first,
        )
        .exclude(status=ProjectStatus.CANCELLED)
        .order_by("plan_code", "pk")
    )


def covers(project: Project, area) -> bool:
    """Does the project cover the area? It does when its budget is not broken down by area,
    or one of its area shares is the area or one of the area's ancestors."""
    paths = project.area_paths
    return not paths or any(area.path.startswith(path) for path in paths)


def projects_with_areas(pks: Iterable[int]) -> dict[int, Project]:
    """The projects of these ids with ``area_paths``, in two queries (none without an id)."""
    wanted = {pk for pk in pks if pk}
    if not wanted:
        return {}
    return {
        project.pk: project for project in with_area_paths(Project.objects.filter(pk__in=wanted))
    }


# Longer than any plan code: it cannot name a project.
_CODE_LENGTH = Project._meta.get_field("plan_code").max_length
_PORTAL_CODE = re.compile(rf"^{re.escape(PORTAL_CODE_PREFIX)}(\d{{1,9}})$", re.IGNORECASE)


def projects_by_row_code(user, codes: Iterable[str]) -> dict[str, Project]:
    """The projects the user sees that these codes name, keyed by the code as given (its case
    ignored), with ``area_paths``, in two queries (none without a code). A code is a project's
    response plan code, or "P-12" for the portal's project 12 when it has no plan code. A
    project the user may not see names nothing, so its title is never told."""
    codes = {code.strip() for code in codes if code and code.strip()}
    codes = {code for code in codes if len(code) <= _CODE_LENGTH and is_storable_text(code)}
    if not codes:
        return {}
    pks = {int(match[1]) for code in codes if (match := _PORTAL_CODE.match(code))}
    upper = {code.upper() for code in codes}
    found = with_area_paths(
        visible_projects(user)
        .annotate(upper_code=Upper("plan_code"))
        .filter(Q(upper_code__in=upper) | Q(pk__in=pks, plan_code=""))
    )
    by_code = {}
    for project in found:
        by_code[project.row_code.upper()] = project
    return {code: by_code[code.upper()] for code in codes if code.upper() in by_code}


def reported_under(project: Project) -> dict:
    """What the project's organisation reported under it in validated 4W reports: ``rows``
    and ``people`` (the totals of its rows whose activity counts people, added up), in one
    query."""
    from activities.models import ActivityUnit, ReportRow, ReportStatus

    return ReportRow.objects.filter(
        project=project,
        report__organisation=project.organisation_id,
        report__status=ReportStatus.VALIDATED,
    ).aggregate(
        rows=Count("pk"),
        people=Sum("total", filter=Q(activity__unit=ActivityUnit.PEOPLE), default=0),
    )
