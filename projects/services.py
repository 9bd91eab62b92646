"""Writes of partners' projects: adding and changing a project with its budget shares,
submitting it, the coordinators' review (accept, or return with a comment), and funding
updates.

Each function is atomic and checks ``projects.policy`` first (a refusal raises
``PermissionDenied``, or ``ValidationError`` for a wrong state, and changes nothing); the
content is checked next, every problem at once, as a ``ValidationError`` keyed by the form
field it concerns. Returning a project tells its organisation by email, through the outbox.
"""

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as _

from core.emails import send_to_users
from locations.models import AdminLevel
from partners.access import user_organisation
from partners.models import Membership
from projects import policy
from projects.models import FundingUpdate, Project, ProjectShare, ProjectStatus, ReviewState

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


def _write(
    project: Project,
    *,
    values: Mapping,
    implementing_partners: Iterable,
    objectives: Iterable,
    objective_shares: Shares,
    area_shares: Shares,
    by,
) -> Project:
    errors: dict[str, list[str]] = {}
    cleaned = _check_project(values, errors, exclude_pk=project.pk)
    objective_shares, area_shares = list(objective_shares), list(area_shares)
    # A draft is saved as it goes; a project already reviewed keeps a whole split.
    complete = project.state in (ReviewState.SUBMITTED, ReviewState.ACCEPTED)
    _check_shares("objective_shares", objective_shares, errors, complete=complete)
    _check_shares("area_shares", area_shares, errors, complete=complete)
    _check_areas(area_shares, errors)
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
    return project


@transaction.atomic
def project_create(
    *,
    values: Mapping,
    implementing_partners: Iterable = (),
    objectives: Iterable = (),
    objective_shares: Shares = (),
    area_shares: Shares = (),
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
    by,
) -> Project:
    """Change a project and its budget split; its review state stays as it is."""
    project = _locked(project)
    policy.can_edit(by, project).enforce()
    return _write(
        project,
        values=values,
        implementing_partners=implementing_partners,
        objectives=objectives,
        objective_shares=objective_shares,
        area_shares=area_shares,
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
