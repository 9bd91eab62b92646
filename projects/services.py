"""Writes of partners' projects: adding and changing a project with its budget shares and
planned activities (from its form or the Excel import), submitting it, the coordinators'
review (accept, or return with a comment), and funding updates.

Each function is atomic and checks ``projects.policy`` first (a refusal raises
``PermissionDenied``, or ``ValidationError`` for a wrong state, and changes nothing); the
content is checked next, every problem at once, as a ``ValidationError`` keyed by the form
field it concerns. Returning a project tells its organisation by email, through the outbox.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import SEX_AND_AGE, SEX_AND_AGE_LABELS, Activity, Collects
from core.emails import send_to_users
from locations.models import AdminArea, AdminLevel
from partners.access import user_organisation
from partners.models import Membership
from projects import policy
from projects.models import (
    FundingUpdate,
    PlannedActivity,
    Project,
    ProjectShare,
    ProjectStatus,
    ReviewState,
)

PROJECT_FIELDS = (
    "title_en",
    "title_ar",
    "plan_code",
    "donors",
    "start",
    "end",
    "status",
    "budget_required_usd",
)
HUNDRED = Decimal(100)
SHARE_LEVELS = (AdminLevel.ADMIN1, AdminLevel.ADMIN2)
# (objective or area, percent) pairs, as the form reads them.
Shares = Iterable[tuple[object, Decimal]]
PLANNED = "planned_activities"


@dataclass(frozen=True)
class Planned:
    """A planned activity as the form or a sheet reads it; months are any day of them."""

    activity: Activity
    area: AdminArea
    first_month: datetime.date
    last_month: datetime.date
    target: int | None
    girls: int | None = None
    boys: int | None = None
    women: int | None = None
    men: int | None = None


def _text(value) -> str:
    return (value or "").strip()


def _add(errors: dict, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _check_project(values: Mapping, errors: dict, *, exclude_pk: int | None) -> dict:
    cleaned = {name: values.get(name) for name in PROJECT_FIELDS}
    for name in ("title_en", "title_ar", "plan_code", "donors"):
        cleaned[name] = _text(cleaned[name])
    if not cleaned["title_en"]:
        _add(errors, "title_en", _("Give the project's title in English."))
    if cleaned["status"] not in ProjectStatus.values:
        _add(errors, "status", _("Choose the project's status."))
    start, end = cleaned["start"], cleaned["end"]
    if not isinstance(start, datetime.date):
        _add(errors, "start", _("Give the day the project starts."))
    if not isinstance(end, datetime.date):
        _add(errors, "end", _("Give the day the project ends."))
    elif isinstance(start, datetime.date) and end < start:
        _add(errors, "end", _("The project cannot end before it starts."))
    budget = cleaned["budget_required_usd"]
    if budget is None:
        _add(errors, "budget_required_usd", _("Give the budget the project requires."))
    elif budget < 0:
        _add(errors, "budget_required_usd", _("The budget cannot be negative."))
    if cleaned["plan_code"]:
        clash = Project.objects.filter(plan_code__iexact=cleaned["plan_code"])
        if exclude_pk is not None:
            clash = clash.exclude(pk=exclude_pk)
        if clash.exists():
            _add(errors, "plan_code", _("Another project has this response plan code."))
    return cleaned


def _share_messages(field: str) -> dict[str, str]:
    if field == "objective_shares":
        return {
            "repeated": _("Give each objective once in the split by objective."),
            "range": _("Each share by objective is more than 0 and at most 100 per cent."),
            "over": _("The shares by objective add up to more than 100 per cent."),
            "whole": _(
                "The shares by objective of a project under review or accepted add up to "
                "100 per cent."
            ),
        }
    return {
        "repeated": _("Give each area once in the split by area."),
        "range": _("Each share by area is more than 0 and at most 100 per cent."),
        "over": _("The shares by area add up to more than 100 per cent."),
        "whole": _(
            "The shares by area of a project under review or accepted add up to 100 per cent."
        ),
    }


def _check_shares(
    field: str, shares: list[tuple[object, Decimal]], errors: dict, *, complete: bool
) -> None:
    messages = _share_messages(field)
    targets = [target.pk for target, _percent in shares]
    if len(set(targets)) != len(targets):
        _add(errors, field, messages["repeated"])
    if any(not (0 < percent <= HUNDRED) for _target, percent in shares):
        _add(errors, field, messages["range"])
        return
    total = sum((percent for _target, percent in shares), Decimal(0))
    if total > HUNDRED:
        _add(errors, field, messages["over"])
    elif complete and shares and total != HUNDRED:
        _add(errors, field, messages["whole"])


def _check_areas(shares: list[tuple[object, Decimal]], errors: dict) -> None:
    if any(area.level not in SHARE_LEVELS for area, _percent in shares):
        _add(errors, "area_shares", _("Split the budget across admin1 or admin2 areas."))


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _group_problems(row: Planned, say) -> None:
    activity = row.activity
    counted = activity.groups if activity.collects != Collects.COUNT else ()
    given = {name: getattr(row, name) for name in SEX_AND_AGE if getattr(row, name) is not None}
    for name in given:
        if name not in counted:
            say(
                name,
                _("This activity does not count %(group)s: leave the cell empty.")
                % {"group": SEX_AND_AGE_LABELS[name]},
            )
    # A group the activity does not count is refused above, not added to the rest.
    given = {name: count for name, count in given.items() if name in counted}
    if row.target is None or not given:
        return
    total = sum(given.values())
    # An activity collecting groups only has the sum of its groups as its total.
    whole = activity.collects == Collects.GROUPS and set(given) == set(counted)
    if total > row.target:
        say("target", _("The girls, boys, women and men add up to more than the target."))
    elif whole and total != row.target:
        say(
            "target",
            _(
                "This activity's total is the sum of its groups: the target is %(total)s, "
                "not %(target)s."
            )
            % {"total": total, "target": row.target},
        )


def planned_problems(
    rows: list[Planned],
    *,
    start: datetime.date | None,
    end: datetime.date | None,
    area_shares: Iterable[AdminArea],
) -> list[tuple[int, str, str]]:
    """Everything wrong with a project's planned activities, as (row index, field, message):
    the area is an admin1 or admin2 area, one of the project's areas or inside one when it
    splits its budget by area; the months lie within the project's dates; the target is
    more than 0 and its groups fit it; and no activity is planned twice in an area over the
    same months."""
    problems: list[tuple[int, str, str]] = []
    shared = list(area_shares)
    seen: set[tuple] = set()
    for index, row in enumerate(rows):

        def say(field: str, message: str, index=index) -> None:
            problems.append((index, field, str(message)))

        if row.area.level not in SHARE_LEVELS:
            say("area", _("Plan the activity in an admin1 or admin2 area."))
        elif shared and not any(row.area.path.startswith(area.path) for area in shared):
            say(
                "area",
                _(
                    "The area is none of the areas the project's budget goes to, nor inside "
                    "one: add it to the split by area, or choose one of them."
                ),
            )
        first, last = _month(row.first_month), _month(row.last_month)
        if last < first:
            say("last_month", _("The last month cannot come before the first."))
        if start is not None and first < _month(start):
            say("first_month", _("The first month is before the project starts."))
        if end is not None and last > _month(end):
            say("last_month", _("The last month is after the project ends."))
        if row.target is None or row.target <= 0:
            say("target", _("Give a target of 1 or more, in the activity's unit."))
        _group_problems(row, say)
        key = (row.activity.pk, row.area.pk, first, last)
        if key in seen:
            say(
                "activity",
                _("The activity is planned in this area over these months twice: give it once."),
            )
        seen.add(key)
    return problems


def _planned_errors(problems: list[tuple[int, str, str]]) -> list[ValidationError]:
    """The problems as errors that keep their row and field, for the form to place."""
    return [
        ValidationError(message, code="planned", params={"index": index, "field": field})
        for index, field, message in problems
    ]


def _save_planned(project: Project, rows: list[Planned]) -> None:
    # Given whole each time, as the budget split is.
    project.planned_activities.all().delete()
    PlannedActivity.objects.bulk_create(
        [
            PlannedActivity(
                project=project,
                activity=row.activity,
                area=row.area,
                first_month=_month(row.first_month),
                last_month=_month(row.last_month),
                target=row.target,
                **{name: getattr(row, name) for name in SEX_AND_AGE},
            )
            for row in rows
        ]
    )


def _save_shares(project: Project, objective_shares: list, area_shares: list) -> None:
    # The split is given whole each time: the old one is replaced.
    project.shares.all().delete()
    ProjectShare.objects.bulk_create(
        [
            ProjectShare(project=project, objective=objective, share_percent=percent)
            for objective, percent in objective_shares
        ]
        + [
            ProjectShare(project=project, area=area, share_percent=percent)
            for area, percent in area_shares
        ]
    )


def project_problems(
    values: Mapping,
    *,
    objective_shares: list,
    area_shares: list,
    planned: list[Planned],
    complete: bool = False,
    exclude_pk: int | None = None,
) -> tuple[dict, dict[str, list]]:
    """Every problem of a project's content, keyed by the form field it concerns (the planned
    activities' as errors that keep their row and field), and its values cleaned."""
    errors: dict[str, list] = {}
    cleaned = _check_project(values, errors, exclude_pk=exclude_pk)
    _check_shares("objective_shares", objective_shares, errors, complete=complete)
    _check_shares("area_shares", area_shares, errors, complete=complete)
    _check_areas(area_shares, errors)
    problems = planned_problems(
        planned,
        start=cleaned["start"] if isinstance(cleaned["start"], datetime.date) else None,
        end=cleaned["end"] if isinstance(cleaned["end"], datetime.date) else None,
        area_shares=[area for area, _percent in area_shares],
    )
    if problems:
        errors[PLANNED] = _planned_errors(problems)
    return cleaned, errors


def _write(
    project: Project,
    *,
    values: Mapping,
    implementing_partners: Iterable,
    objectives: Iterable,
    objective_shares: Shares,
    area_shares: Shares,
    planned: Iterable[Planned],
    by,
) -> Project:
    objective_shares, area_shares, planned = (
        list(objective_shares),
        list(area_shares),
        list(planned),
    )
    cleaned, errors = project_problems(
        values,
        objective_shares=objective_shares,
        area_shares=area_shares,
        planned=planned,
        # A draft is saved as it goes; a project already reviewed keeps a whole split.
        complete=project.state in (ReviewState.SUBMITTED, ReviewState.ACCEPTED),
        exclude_pk=project.pk,
    )
    partners = [org for org in implementing_partners if org.pk != project.organisation_id]
    if errors:
        raise ValidationError(errors)
    for name, value in cleaned.items():
        setattr(project, name, value)
    project._history_user = by
    project.save()
    project.implementing_partners.set(partners)
    # An objective with a share is one the project serves.
    served = {objective.pk for objective in objectives}
    served |= {objective.pk for objective, _percent in objective_shares}
    project.objectives.set(served)
    _save_shares(project, objective_shares, area_shares)
    _save_planned(project, planned)
    return project


@transaction.atomic
def project_create(
    *,
    values: Mapping,
    implementing_partners: Iterable = (),
    objectives: Iterable = (),
    objective_shares: Shares = (),
    area_shares: Shares = (),
    planned: Iterable[Planned] = (),
    by,
) -> Project:
    """Add a draft project of the user's organisation."""
    policy.can_create(by).enforce()
    project = Project(organisation=user_organisation(by), created_by=by)
    return _write(
        project,
        values=values,
        implementing_partners=implementing_partners,
        objectives=objectives,
        objective_shares=objective_shares,
        area_shares=area_shares,
        planned=planned,
        by=by,
    )


@transaction.atomic
def project_import(
    *,
    organisation,
    values: Mapping,
    implementing_partners: Iterable = (),
    objectives: Iterable = (),
    objective_shares: Shares = (),
    area_shares: Shares = (),
    planned: Iterable[Planned] = (),
    by,
) -> Project:
    """Add a draft project of ``organisation`` read from the Excel template: the user's own
    organisation's, or any for a coordinator."""
    policy.can_import_for(by, organisation).enforce()
    project = Project(organisation=organisation, created_by=by)
    return _write(
        project,
        values=values,
        implementing_partners=implementing_partners,
        objectives=objectives,
        objective_shares=objective_shares,
        area_shares=area_shares,
        planned=planned,
        by=by,
    )


def _locked(project: Project) -> Project:
    """The project re-read under a row lock, so that two people cannot act on it at once."""
    return (
        Project.objects.select_for_update(of=("self",))
        .select_related("organisation", "created_by")
        .get(pk=project.pk)
    )


@transaction.atomic
def project_update(
    *,
    project: Project,
    values: Mapping,
    implementing_partners: Iterable = (),
    objectives: Iterable = (),
    objective_shares: Shares = (),
    area_shares: Shares = (),
    planned: Iterable[Planned] = (),
    by,
) -> Project:
    """Change a project, its budget split and its planned activities (each given whole);
    its review state stays as it is."""
    project = _locked(project)
    policy.can_edit(by, project).enforce()
    return _write(
        project,
        values=values,
        implementing_partners=implementing_partners,
        objectives=objectives,
        objective_shares=objective_shares,
        area_shares=area_shares,
        planned=planned,
        by=by,
    )


def shares_not_adding_up(project: Project) -> list[str]:
    """What is wrong with the project's budget split for a review: each kind given must add
    up to 100 % (a kind not given is "not broken down", which is allowed)."""
    totals = project.shares.aggregate(
        objectives=Sum("share_percent", filter=Q(objective__isnull=False)),
        areas=Sum("share_percent", filter=Q(area__isnull=False)),
    )
    problems = []
    if totals["objectives"] not in (None, HUNDRED):
        problems.append(
            _("The shares by objective add up to %(total)s per cent, not 100.")
            % {"total": floatformat(totals["objectives"], -2)}
        )
    if totals["areas"] not in (None, HUNDRED):
        problems.append(
            _("The shares by area add up to %(total)s per cent, not 100.")
            % {"total": floatformat(totals["areas"], -2)}
        )
    return problems


@transaction.atomic
def project_submit(*, project: Project, by) -> Project:
    """Send a draft or returned project to the coordinators for review."""
    project = _locked(project)
    policy.can_submit(by, project).enforce()
    problems = shares_not_adding_up(project)
    if problems:
        raise ValidationError(problems, code="shares")
    project.state = ReviewState.SUBMITTED
    project.submitted_at = timezone.now()
    project._history_user = by
    project.save()
    return project


def _review(project: Project, state: str, by, comment: str) -> Project:
    project.state = state
    project.reviewed_by = by
    project.reviewed_at = timezone.now()
    project.review_comment = comment
    project._history_user = by
    project.save()
    return project


@transaction.atomic
def project_accept(*, project: Project, by) -> Project:
    """Accept a submitted project into the cluster's plan."""
    project = _locked(project)
    policy.can_accept(by, project).enforce()
    return _review(project, ReviewState.ACCEPTED, by, "")


def told_of_return(project: Project) -> list:
    """Who is emailed when the project is returned: its author while still a member of its
    organisation, otherwise the organisation's focal points."""
    members = list(
        Membership.objects.active()
        .filter(organisation_id=project.organisation_id)
        .select_related("user")
    )
    author = project.created_by_id
    if author is not None and any(member.user_id == author for member in members):
        return [member.user for member in members if member.user_id == author]
    return [member.user for member in members if member.is_focal_point]


@transaction.atomic
def project_return(*, project: Project, by, comment: str) -> Project:
    """Return a submitted project to its organisation with what to correct, and tell them."""
    project = _locked(project)
    policy.can_return(by, project).enforce()
    comment = _text(comment)
    if not comment:
        raise ValidationError(
            {"comment": _("Say what should be corrected.")}, code="comment_required"
        )
    _review(project, ReviewState.RETURNED, by, comment)
    send_to_users(
        told_of_return(project),
        "projects/project_returned",
        {"project": project, "by": by, "comment": comment},
    )
    return project


@transaction.atomic
def funding_update_add(
    *, project: Project, date: datetime.date, amount_received_usd: Decimal, source: str, by
) -> FundingUpdate:
    """Record what the project has received so far, on a day, from a source."""
    project = _locked(project)
    policy.can_record_funding(by, project).enforce()
    errors: dict[str, list[str]] = {}
    source = _text(source)
    if not isinstance(date, datetime.date):
        _add(errors, "date", _("Give the day of the figure."))
    elif date > timezone.localdate():
        _add(errors, "date", _("The figure cannot be dated in the future."))
    if amount_received_usd is None or amount_received_usd < 0:
        _add(errors, "amount_received_usd", _("The amount received cannot be negative."))
    if not source:
        _add(errors, "source", _("Say where the figure comes from."))
    if errors:
        raise ValidationError(errors)
    return FundingUpdate.objects.create(
        project=project,
        date=date,
        amount_received_usd=amount_received_usd,
        source=source,
        recorded_by=by,
    )
