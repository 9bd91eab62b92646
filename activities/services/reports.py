"""Writes of the monthly activity reports (4W): entry, submission, review and correction.

Each function is atomic: the report row is locked, the action is checked against
``activities.policy`` (a refusal raises ``PermissionDenied``, or ``ValidationError`` for a
wrong state, and changes nothing), the change is recorded with its author for the audit
history, and the next people are told by email, in their language, once the transaction
commits.
"""

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from activities import policy
from activities.models import (
    REPORT_MAX_ROWS,
    SEX_AND_AGE,
    Activity,
    Collects,
    Report,
    ReportingPeriod,
    ReportRow,
    ReportStatus,
    UnfinishedRow,
    ValidatedVersion,
    groups_text,
)
from activities.signals import report_figures_changed
from core.emails import send_to_users
from core.inputs import MAX_PEOPLE_IN_ROW, storable
from facilities.models import Facility
from locations.models import AdminArea, AdminLevel
from partners.access import is_coordinator, user_organisation
from partners.models import MemberRole, Membership, Organisation
from partners.services.coordinators import coordinator_list
from projects import selectors as project_selectors
from projects.models import Project, ProjectStatus, ReviewState

# Rows are written in batches; an update of many rows is one CASE expression per field,
# so its batches stay small to keep it linear.
BATCH_SIZE = 1000
UPDATE_BATCH_SIZE = 250

FIGURES = ("girls", "boys", "women", "men", "older_people", "people_with_disabilities", "total")
ROW_FIELDS = (
    "activity",
    "area",
    "facility",
    "project",
    "implementing_organisation",
    "implementing_other",
    "donor",
    "status",
    *FIGURES,
    "order",
)
# What a row's checks and snapshot read of it, loaded with it.
ROW_RELATED = (
    "activity",
    "area",
    "implementing_organisation",
    "facility__area__parent",
    "project",
)


@dataclass
class RowInput:
    """One row as a form or an import parsed it; ``pk`` names the row it replaces."""

    activity: Activity
    area: AdminArea
    status: str
    total: int
    implementing_organisation: Organisation | None = None
    implementing_other: str = ""
    donor: str = ""
    facility: Facility | None = None
    project: Project | None = None
    girls: int | None = None
    boys: int | None = None
    women: int | None = None
    men: int | None = None
    older_people: int | None = None
    people_with_disabilities: int | None = None
    pk: int | None = None
    extra: dict = field(default_factory=dict)


@dataclass
class UnfinishedInput:
    """A row of a draft that does not pass the checks, as typed: kept, not counted.
    ``pk`` names the saved row it changes, if any."""

    values: Mapping[str, str]
    pk: int | None = None


# What an unfinished row keeps of each value typed: enough for any real entry.
UNFINISHED_VALUE_CHARS = 500


# --- checks shared with the forms ----------------------------------------------------------------


def row_problems(row: RowInput) -> list[str]:
    """What is wrong with one row, as whole sentences (empty when the row is right)."""
    problems: list[str] = []
    for name in FIGURES:
        value = getattr(row, name)
        if value is not None and value < 0:
            problems.append(_("The figures must be zero or more."))
            return problems
    if not row.activity.is_active:
        problems.append(
            _("The activity %(code)s is no longer in the catalogue.") % {"code": row.activity.code}
        )
    has_organisation = row.implementing_organisation is not None
    has_other = bool((row.implementing_other or "").strip())
    if has_organisation == has_other:
        problems.append(
            _(
                "Choose the implementing partner from the list or type the name of another "
                "organisation, one or the other."
            )
        )
    if has_organisation and not row.implementing_organisation.is_approved:
        problems.append(_("The implementing partner must be an approved organisation."))
    if row.facility is not None:
        problem = row_place(area=row.area, facility=row.facility)[1]
        if problem:
            problems.append(problem)
    problems.extend(figure_problems(row))
    return problems


def facility_district(facility: Facility) -> AdminArea | None:
    """The district (admin2 area) of a facility: its area, or the district its admin3 area
    lies in; None when it is placed no finer than an admin1 area."""
    area = facility.area
    while area is not None and area.level > AdminLevel.ADMIN2:
        area = area.parent
    return area if area is not None and area.level == AdminLevel.ADMIN2 else None


def row_place(
    *, area: AdminArea | None, facility: Facility | None
) -> tuple[AdminArea | None, str | None]:
    """The area of a row, and what is wrong with it if anything.

    A row that names a facility is counted in the facility's district, so the area may be
    left empty and is filled in. An area chosen as well must be that district: a partner who
    names both means one place, and when they differ one of the two was mistyped, which
    only the partner can tell, so both are named rather than one silently replacing the
    other. A facility placed no finer than an admin1 area needs a district of it chosen.
    """
    if facility is None:
        return area, None
    district = facility_district(facility)
    if district is not None:
        if area is None or area.pk == district.pk:
            return district, None
        return area, _(
            "The facility %(facility)s is in %(district)s, not in %(area)s. Choose "
            "%(district)s, or leave the area empty to have it filled in from the facility."
        ) % {"facility": facility.code, "district": district, "area": area}
    if area is None:
        return None, _(
            "The facility %(facility)s is placed in %(facility_area)s only: choose the district "
            "where the activity took place."
        ) % {"facility": facility.code, "facility_area": facility.area}
    if not area.path.startswith(facility.area.path):
        return area, _(
            "The facility %(facility)s is in %(facility_area)s, and %(area)s is not: choose the "
            "district of %(facility_area)s where the activity took place."
        ) % {"facility": facility.code, "facility_area": facility.area, "area": area}
    return area, None


def unknown_facility(code: str) -> str:
    """What to say of a facility code the registry does not know."""
    return _("%(code)s is not the code of a facility in the cluster's registry.") % {"code": code}


def unknown_project(code: str) -> str:
    """What to say of a project code that names no project."""
    return _(
        "%(code)s is not the code of a project: give its response plan code, or P- and its "
        "number for a project without one (the Projects sheet lists them)."
    ) % {"code": code}


def project_label(project: Project) -> str:
    """A project as a row's messages name it: its code and title."""
    return f"{project.row_code} {project.title}"


def row_project_problem(project: Project, *, area: AdminArea, report: Report) -> str | None:
    """Why the row of ``report`` in ``area`` may not name ``project``, None when it may.

    A row names a project of the reporting organisation accepted into the plan, not
    cancelled, running in the report's month and covering the row's area (its budget not
    broken down by area, or a share in the area or an area it lies in). ``project`` carries
    its ``area_paths`` (``projects.selectors.with_area_paths``).
    """
    name = project_label(project)
    if project.organisation_id != report.organisation_id:
        return _(
            "The project %(project)s is another organisation's: a row names a project of "
            "%(organisation)s."
        ) % {"project": name, "organisation": report.organisation}
    if project.state != ReviewState.ACCEPTED:
        return _(
            "The project %(project)s is not accepted into the plan (it is %(state)s): a row "
            "names an accepted project."
        ) % {"project": name, "state": project.get_state_display().lower()}
    if project.status == ProjectStatus.CANCELLED:
        return _("The project %(project)s is cancelled.") % {"project": name}
    first, last = project_selectors.month_bounds(report.period.first_day)
    if project.start > last or project.end < first:
        return _("The project %(project)s runs from %(start)s to %(end)s, not in %(month)s.") % {
            "project": name,
            "start": date_format(project.start, "SHORT_DATE_FORMAT"),
            "end": date_format(project.end, "SHORT_DATE_FORMAT"),
            "month": report.period,
        }
    if not project_selectors.covers(project, area):
        return _(
            "The project %(project)s does not cover %(area)s: its budget goes to other areas."
        ) % {"project": name, "area": area}
    return None


def project_problems(report: Report, rows: Sequence[RowInput], *, required: bool) -> list[str]:
    """What is wrong with the projects the rows name, whole sentences naming the rows; with
    ``required``, the rows that name none are refused too. The projects are read again with
    their areas, in two queries."""
    projects = project_selectors.projects_with_areas(
        row.project.pk for row in rows if row.project is not None
    )
    problems = []
    missing = []
    for number, row in enumerate(rows, start=1):
        if row.project is None:
            missing.append(number)
            continue
        problem = row_project_problem(projects[row.project.pk], area=row.area, report=report)
        if problem:
            problems.append(
                _("Row %(number)s: %(problem)s") % {"number": number, "problem": problem}
            )
    if required and missing:
        problems.append(
            ngettext(
                "Row %(rows)s names no project: for %(period)s every row names the project it "
                "belongs to. Choose it on the rows page, then submit the report.",
                "Rows %(rows)s name no project: for %(period)s every row names the project it "
                "belongs to. Choose them on the rows page, then submit the report.",
                len(missing),
            )
            % {"rows": ", ".join(str(number) for number in missing), "period": report.period}
        )
    return problems


def fill_total(activity: Activity, figures: dict) -> None:
    """Add up an empty total from the groups, for people by sex and age once all are given."""
    if figures.get("total") is not None or activity.total_is_entered:
        return
    parts = [figures.get(name) for name in activity.groups]
    if all(part is not None for part in parts):
        figures["total"] = sum(parts)


def missing_total(activity: Activity, figures: dict) -> str:
    """What to say of a row whose total is empty after ``fill_total``."""
    if activity.total_is_entered:
        return _("Enter the total reached.")
    return _missing_groups(
        activity, [name for name in activity.groups if figures.get(name) is None]
    )


def _missing_groups(activity: Activity, missing: Sequence[str]) -> str:
    return _("This activity counts %(groups)s: enter a figure for %(missing)s (zero if none).") % {
        "groups": groups_text(activity.groups),
        "missing": groups_text(missing),
    }


def figure_problems(row: RowInput) -> list[str]:
    """The row's figures against what its activity collects, as whole sentences."""
    activity = row.activity
    problems: list[str] = []
    declared = activity.groups
    extra = [
        name for name in SEX_AND_AGE if name not in declared and getattr(row, name) is not None
    ]
    if extra and not declared:
        problems.append(
            _("This activity is a single count, not by sex and age: leave %(groups)s empty.")
            % {"groups": groups_text(extra)}
        )
    elif extra:
        problems.append(
            _("This activity counts %(groups)s only: leave %(others)s empty.")
            % {"groups": groups_text(declared), "others": groups_text(extra)}
        )
    missing = [name for name in declared if getattr(row, name) is None]
    if missing:
        problems.append(_missing_groups(activity, missing))
    elif declared:
        added = sum(getattr(row, name) for name in declared)
        if activity.collects == Collects.GROUPS and added != row.total:
            problems.append(
                _("%(groups)s add up to %(sum)s, but the total is %(total)s; they must be equal.")
                % {"groups": capfirst(groups_text(declared)), "sum": added, "total": row.total}
            )
        elif activity.collects == Collects.BOTH and added > row.total:
            problems.append(
                _(
                    "%(groups)s add up to %(sum)s, more than the total of %(total)s. The total "
                    "counts everyone reached: those counted by sex and age and the others."
                )
                % {"groups": capfirst(groups_text(declared)), "sum": added, "total": row.total}
            )
    for name, counted, not_counted, label in (
        (
            "older_people",
            activity.counts_older_people,
            _("This activity does not count older people: leave that figure empty."),
            _("Older people"),
        ),
        (
            "people_with_disabilities",
            activity.counts_disability,
            _("This activity does not count people with disabilities: leave that figure empty."),
            _("People with disabilities"),
        ),
    ):
        value = getattr(row, name)
        if value is None:
            continue
        if not counted:
            problems.append(not_counted)
        elif value > row.total:
            problems.append(
                _("%(figure)s (%(value)s) cannot be more than the total (%(total)s).")
                % {"figure": label, "value": value, "total": row.total}
            )
    return problems


def _sum_problems(rows: Sequence[RowInput]) -> list[str]:
    """Rows of one activity, area and implementer are added up when the report is validated:
    together they may count no more people than one row may."""
    numbers, totals = defaultdict(list), defaultdict(int)
    for number, row in enumerate(rows, start=1):
        key = (row.activity.pk, row.area.pk, row.implementing_organisation, row.implementing_other)
        numbers[key].append(number)
        totals[key] += row.total or 0
    return [
        _(
            "Rows %(rows)s are the same activity in the same area by the same implementer, and "
            "add up to %(total)s, more than %(limit)s. Check their totals."
        )
        % {
            "rows": ", ".join(str(number) for number in numbers[key]),
            "total": number_format(total, force_grouping=True),
            "limit": number_format(MAX_PEOPLE_IN_ROW, force_grouping=True),
        }
        for key, total in totals.items()
        if total > MAX_PEOPLE_IN_ROW
    ]


def check_rows(rows: Sequence[RowInput], *, between_rows: bool = True) -> None:
    """Raise one ValidationError naming every bad row: at submission and for the Excel
    import the whole report, with the checks between rows; for a saved page its rows."""
    messages = [
        _("Row %(number)s: %(problem)s") % {"number": number, "problem": problem}
        for number, row in enumerate(rows, start=1)
        for problem in row_problems(row)
    ]
    if between_rows:
        messages += _sum_problems(rows)
    if messages:
        raise ValidationError(messages, code="bad_rows")


# --- helpers -----------------------------------------------------------------------------------


def _locked(report: Report) -> Report:
    """The report re-read under a row lock, so two people cannot move it at once."""
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("organisation", "period")
        .get(pk=report.pk)
    )


def is_on_behalf(by, organisation: Organisation) -> bool:
    """A coordinator who is not a member of the organisation acts on its behalf."""
    if not is_coordinator(by):
        return False
    own = user_organisation(by)
    return own is None or own.pk != organisation.pk


def organisation_contacts(report: Report) -> list:
    """The organisation's focal point and whoever submitted the report, once each."""
    users = [
        membership.user
        for membership in Membership.objects.active()
        .filter(organisation_id=report.organisation_id, role=MemberRole.FOCAL_POINT)
        .select_related("user")
    ]
    if report.submitted_by_id and all(user.pk != report.submitted_by_id for user in users):
        users.append(report.submitted_by)
    return users


def snapshot(report: Report) -> list[dict]:
    """The rows of the report as plain values, for the validated version kept forever."""
    rows = report.rows.select_related(*ROW_RELATED).order_by("order", "pk")
    return [
        {
            "activity_code": row.activity.code,
            "activity_name_en": row.activity.name_en,
            "activity_name_ar": row.activity.name_ar,
            "area_pcode": row.area.pcode,
            "area_name_en": row.area.name_en,
            "area_name_ar": row.area.name_ar,
            "implementing_organisation_id": row.implementing_organisation_id,
            "implementer": row.implementer_name,
            "donor": row.donor,
            # None without one, as in the versions kept before rows named facilities.
            "facility_code": row.facility.code if row.facility_id else None,
            # None without one, as in the versions kept before rows named projects.
            "project_code": row.project.row_code if row.project_id else None,
            "project_title": str(row.project.title) if row.project_id else None,
            "status": row.status,
            **{name: getattr(row, name) for name in FIGURES},
        }
        for row in rows
    ]


def previous_report(organisation: Organisation, period: ReportingPeriod) -> Report | None:
    """The organisation's latest report for a period before this one."""
    earlier = Q(period__year__lt=period.year) | Q(
        period__year=period.year, period__month__lt=period.month
    )
    return (
        Report.objects.filter(earlier, organisation=organisation)
        .order_by("-period__year", "-period__month")
        .first()
    )


def _copy_rows(source: Report, target: Report, by) -> int:
    rows = [
        ReportRow(
            report=target,
            **{
                name: getattr(row, name)
                for name in ROW_FIELDS
                if name
                not in ("activity", "area", "facility", "project", "implementing_organisation")
            },
            activity_id=row.activity_id,
            area_id=row.area_id,
            facility_id=row.facility_id,
            project_id=row.project_id,
            implementing_organisation_id=row.implementing_organisation_id,
        )
        for row in source.rows.filter(activity__is_active=True).order_by("order", "pk")
    ]
    if len(rows) > REPORT_MAX_ROWS:
        raise ValidationError(
            _(
                "The last report has %(count)s rows, more than the %(limit)s a report can "
                "hold, so it cannot be copied. Start an empty report, or import an Excel file."
            )
            % {
                "count": number_format(len(rows), force_grouping=True),
                "limit": number_format(REPORT_MAX_ROWS, force_grouping=True),
            },
            code="too_many_rows",
        )
    bulk_create_with_history(rows, ReportRow, default_user=by)
    return len(rows)


# --- starting a report ---------------------------------------------------------------------------


@transaction.atomic
def report_start(
    *, by, organisation: Organisation, period: ReportingPeriod, copy_previous: bool = False
) -> tuple[Report, bool]:
    """The organisation's report for the period, created as a draft when it has none.

    Answers the report and whether it was created. A second start never makes a second
    report: the one that exists is reused (and nothing is copied into it).
    """
    policy.can_start(by, organisation, period).enforce()
    existing = Report.objects.filter(organisation=organisation, period=period).first()
    if existing is not None:
        return existing, False
    report = Report(
        organisation=organisation,
        period=period,
        status=ReportStatus.DRAFT,
        created_by=by,
        entered_by_coordinator=is_on_behalf(by, organisation),
    )
    report._history_user = by
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        # Somebody of the same organisation started it a moment ago: use theirs.
        return Report.objects.get(organisation=organisation, period=period), False
    if copy_previous:
        source = previous_report(organisation, period)
        if source is not None:
            _copy_rows(source, report, by)
    return report, True


# --- entry ---------------------------------------------------------------------------------------


@transaction.atomic
def report_save_rows(*, report: Report, by, rows: Sequence[RowInput]) -> Report:
    """Replace the rows of the report by these (rows named by ``pk`` keep their identity).

    Rows of the report not among them are deleted; the rows take the order given; only what
    differs is written. A row's coordinator comment stays on it until the next review. The
    Excel import's confirmation saves its sheet's rows through it.
    """
    report = _locked(report)
    policy.can_edit(by, report).enforce()
    check_rows(rows)
    # A draft: rows may name no project yet, whatever the period requires at submission.
    problems = project_problems(report, rows, required=False)
    if problems:
        raise ValidationError(problems, code="bad_projects")
    write_rows(report=report, by=by, rows=list(enumerate(rows, start=1)))
    # The sheet holds the whole report: rows left unfinished on the page are replaced too.
    report.unfinished_rows.all().delete()
    return report


@transaction.atomic
def report_save_page(
    *,
    report: Report,
    by,
    rows: Sequence[RowInput],
    deleted: Collection[int] = (),
    unfinished: Sequence[UnfinishedInput] = (),
    unfinished_shown: Collection[int] = (),
) -> int:
    """Save one page of a draft's rows as typed: the rows it names, those it adds, those
    ticked for deletion, and the rows that are not finished yet (``unfinished``, kept as
    typed in place of those the page showed, ``unfinished_shown``). Every other row of the
    report stays as it is, in its place. Answers the number of rows written (0 when the page
    was saved unchanged).

    Each finished row is checked on its own; the checks between rows and of the unfinished
    ones run at submission. A row of the page that is no longer in the report (somebody else
    deleted it meanwhile) makes the save stop, rather than bring it back or lose the change.
    """
    report = _locked(report)
    policy.can_edit(by, report).enforce()
    existing = list(report.rows.select_related(*ROW_RELATED).order_by("order", "pk"))
    known = {row.pk for row in existing}
    changing = {values.pk for values in unfinished if values.pk}
    named = {values.pk for values in rows if values.pk} | set(deleted) | changing
    if not named <= known:
        raise ValidationError(
            _(
                "Rows of this page were deleted since it was opened. Nothing was saved: "
                "reload the page and enter the changes again."
            ),
            code="stale",
        )
    check_rows(rows, between_rows=False)
    posted = {values.pk: values for values in rows if values.pk}
    result = [
        (row.order, posted.get(row.pk) or _as_input(row))
        for row in existing
        if row.pk not in deleted
    ]
    last = max((row.order for row in existing), default=0)
    added = [values for values in rows if not values.pk]
    result += [(last + number, values) for number, values in enumerate(added, start=1)]
    replaced = report.unfinished_rows.filter(Q(pk__in=unfinished_shown) | Q(row__in=named))
    others = report.unfinished_rows.filter(row=None).exclude(pk__in=unfinished_shown).count()
    check_size(len(result) + others + sum(1 for values in unfinished if not values.pk))
    written = write_rows(report=report, by=by, rows=result, existing=existing)
    return written + _keep_unfinished(report, by, replaced, unfinished)


def _keep_unfinished(report: Report, by, replaced, unfinished: Sequence[UnfinishedInput]) -> int:
    """Replace the unfinished rows the page showed by those it sends; answers how many of
    them changed (0 when the page sent back the same)."""
    before = sorted((draft.row_id or 0, _sorted(draft.values)) for draft in replaced)
    after = sorted((values.pk or 0, _sorted(_kept(values.values))) for values in unfinished)
    if before == after:
        return 0
    replaced.delete()
    UnfinishedRow.objects.bulk_create(
        UnfinishedRow(report=report, row_id=values.pk, values=_kept(values.values), saved_by=by)
        for values in unfinished
    )
    if is_on_behalf(by, report.organisation):
        report.entered_by_coordinator = True
    report._history_user = by
    report.save()
    return max(len(before), len(after))


def _kept(values: Mapping[str, str]) -> dict[str, str]:
    return {
        name: storable(str(value)[:UNFINISHED_VALUE_CHARS])
        for name, value in values.items()
        if name in ROW_FIELDS and value not in (None, "")
    }


def _sorted(values: Mapping[str, str]) -> tuple:
    return tuple(sorted(values.items()))


def unfinished_numbers(report: Report) -> list[int]:
    """The numbers of the report's unfinished rows on its rows page, in order: a saved
    row's own number, a new row's after every saved one."""
    order = list(report.rows.order_by("order", "pk").values_list("pk", flat=True))
    position = {pk: number for number, pk in enumerate(order, start=1)}
    drafts = list(report.unfinished_rows.order_by("pk").values_list("row_id", flat=True))
    new = iter(range(len(order) + 1, len(order) + len(drafts) + 1))
    return sorted(position[row] if row else next(new) for row in drafts)


def _row_values(values: RowInput, order: int) -> dict:
    organisation = values.implementing_organisation
    return {
        "activity_id": values.activity.pk,
        "area_id": values.area.pk,
        "facility_id": values.facility.pk if values.facility else None,
        "project_id": values.project.pk if values.project else None,
        "implementing_organisation_id": organisation.pk if organisation else None,
        "implementing_other": "" if organisation else values.implementing_other.strip(),
        "donor": values.donor.strip(),
        "status": values.status,
        **{name: getattr(values, name) for name in FIGURES},
        "order": order,
    }


def check_size(count: int) -> None:
    if count > REPORT_MAX_ROWS:
        raise ValidationError(
            _(
                "A report holds at most %(limit)s rows; this one would have %(count)s. Split "
                "the activities over fewer rows, or delete rows that are not needed."
            )
            % {
                "limit": number_format(REPORT_MAX_ROWS, force_grouping=True),
                "count": number_format(count, force_grouping=True),
            },
            code="too_many_rows",
        )


def write_rows(
    *,
    report: Report,
    by,
    rows: Sequence[tuple[int, RowInput]],
    existing: Sequence[ReportRow] | None = None,
) -> int:
    """Make the report's rows these (order, values) pairs, writing only what differs, and
    answer the number of rows written.

    New rows are created, changed rows updated (only the columns that changed), rows not
    among them deleted, each with its audit record, in batches rather than row by row. The
    caller holds the report's row lock and has checked that ``by`` may edit it, and the rows.
    """
    check_size(len(rows))
    if existing is None:
        existing = report.rows.all()
    remaining = {row.pk: row for row in existing}
    changed, created = [], []
    changed_fields: set[str] = set()
    for order, values in rows:
        new = _row_values(values, order)
        row = remaining.pop(values.pk, None) if values.pk else None
        if row is None:
            created.append(ReportRow(report=report, **new))
            continue
        differ = {name for name, value in new.items() if getattr(row, name) != value}
        if differ:
            for name in differ:
                setattr(row, name, new[name])
            changed_fields |= differ
            changed.append(row)
    _delete_rows(list(remaining.values()), by)
    if changed:
        # Only the columns that changed somewhere: each one is a CASE over the batch.
        bulk_update_with_history(
            changed,
            ReportRow,
            sorted(name.removesuffix("_id") for name in changed_fields),
            default_user=by,
            batch_size=UPDATE_BATCH_SIZE,
        )
    if created:
        bulk_create_with_history(created, ReportRow, default_user=by, batch_size=BATCH_SIZE)
    written = len(changed) + len(created) + len(remaining)
    if written:
        if is_on_behalf(by, report.organisation):
            report.entered_by_coordinator = True
        report._history_user = by
        report.save()
    return written


def _delete_rows(removed: list[ReportRow], by) -> None:
    if not removed:
        return
    UnfinishedRow.objects.filter(row__in=[row.pk for row in removed]).delete()
    history = ReportRow.history.model
    now = timezone.now()
    history.objects.bulk_create(
        [
            history(
                history_date=now,
                history_user=by,
                history_type="-",
                **{field.attname: getattr(row, field.attname) for field in history.tracked_fields},
            )
            for row in removed
        ],
        batch_size=BATCH_SIZE,
    )
    # The deletions are recorded above, with their author; nothing else refers to a report
    # row (its unfinished change went first), so one DELETE does, without fetching each row
    # again for the delete signals.
    ReportRow.objects.filter(pk__in=[row.pk for row in removed])._raw_delete(
        using=ReportRow.objects.db
    )


# --- the workflow --------------------------------------------------------------------------------


@transaction.atomic
def report_submit(*, report: Report, by) -> Report:
    """Send a draft or returned report to the coordinators for validation."""
    report = _locked(report)
    policy.can_submit(by, report).enforce()
    rows = list(report.rows.select_related(*ROW_RELATED).order_by("order", "pk"))
    _check_finished(report)
    if not rows:
        raise ValidationError(
            _("Enter at least one row before submitting the report."), code="no_rows"
        )
    inputs = [_as_input(row) for row in rows]
    check_rows(inputs)
    problems = project_problems(report, inputs, required=report.period.projects_required)
    if problems:
        raise ValidationError(problems, code="bad_projects")
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = by
    report._history_user = by
    report.save()
    send_to_users(coordinator_list(), "activities/report_submitted", {"report": report, "by": by})
    return report


def _check_finished(report: Report) -> None:
    numbers = unfinished_numbers(report)
    if numbers:
        raise ValidationError(unfinished_message(numbers), code="unfinished")


def unfinished_message(numbers: Sequence[int]) -> str:
    return ngettext(
        "Row %(rows)s is not finished: complete or delete it on the rows page, then "
        "submit the report.",
        "Rows %(rows)s are not finished: complete or delete them on the rows page, then "
        "submit the report.",
        len(numbers),
    ) % {"rows": ", ".join(str(number) for number in numbers)}


def _as_input(row: ReportRow) -> RowInput:
    return RowInput(
        pk=row.pk,
        activity=row.activity,
        area=row.area,
        status=row.status,
        implementing_organisation=row.implementing_organisation,
        implementing_other=row.implementing_other,
        donor=row.donor,
        facility=row.facility,
        project=row.project,
        **{name: getattr(row, name) for name in FIGURES},
    )


@transaction.atomic
def report_validate(*, report: Report, by) -> Report:
    """Validate a submitted report and keep its rows as this version's snapshot."""
    report = _locked(report)
    policy.can_validate(by, report).enforce()
    _check_finished(report)
    now = timezone.now()
    ValidatedVersion.objects.update_or_create(
        report=report,
        version=report.version,
        defaults={"rows": snapshot(report), "validated_at": now, "validated_by": by},
    )
    report.status = ReportStatus.VALIDATED
    report.validated_at = now
    report.validated_by = by
    report.review_comment = ""
    report._history_user = by
    report.save()
    commented = list(report.rows.exclude(review_comment=""))
    for row in commented:
        row.review_comment = ""
    if commented:
        bulk_update_with_history(commented, ReportRow, ["review_comment"], default_user=by)
    report_figures_changed.send(sender=Report, report_id=report.pk)
    send_to_users(
        organisation_contacts(report), "activities/report_validated", {"report": report, "by": by}
    )
    return report


@transaction.atomic
def report_return(
    *, report: Report, by, comment: str, row_comments: Mapping[int, str] | None = None
) -> Report:
    """Return a submitted report to its organisation with a comment, and comments on rows."""
    report = _locked(report)
    policy.can_return(by, report).enforce()
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(
            {"comment": _("Say what the organisation should correct.")}, code="no_comment"
        )
    row_comments = row_comments or {}
    rows = list(report.rows.all())
    unknown = set(row_comments) - {row.pk for row in rows}
    if unknown:
        raise ValidationError(_("A comment names a row of another report."), code="wrong_row")
    for row in rows:
        row.review_comment = (row_comments.get(row.pk) or "").strip()
    if rows:
        bulk_update_with_history(rows, ReportRow, ["review_comment"], default_user=by)
    report.status = ReportStatus.RETURNED
    report.review_comment = comment
    report._history_user = by
    report.save()
    send_to_users(
        organisation_contacts(report),
        "activities/report_returned",
        {"report": report, "by": by, "comment": comment},
    )
    return report


@transaction.atomic
def report_request_correction(*, report: Report, by, reason: str) -> Report:
    """The organisation asks to correct a validated report; the coordinators decide."""
    report = _locked(report)
    policy.can_request_correction(by, report).enforce()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what needs correcting and why.")}, code="no_reason")
    report.status = ReportStatus.CORRECTION_REQUESTED
    report.correction_reason = reason
    report._history_user = by
    report.save()
    report_figures_changed.send(sender=Report, report_id=report.pk)
    send_to_users(
        coordinator_list(),
        "activities/report_correction_requested",
        {"report": report, "by": by, "reason": reason},
    )
    return report


@transaction.atomic
def report_reopen(*, report: Report, by) -> Report:
    """Reopen a validated report for correction as a new version; the old one stays kept."""
    report = _locked(report)
    policy.can_reopen(by, report).enforce()
    contacts = organisation_contacts(report)
    report.status = ReportStatus.DRAFT
    report.version += 1
    report.submitted_at = None
    report.submitted_by = None
    report.validated_at = None
    report.validated_by = None
    report._history_user = by
    report.save()
    report_figures_changed.send(sender=Report, report_id=report.pk)
    send_to_users(contacts, "activities/report_reopened", {"report": report, "by": by})
    return report
