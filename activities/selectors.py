"""Reads that aggregate: completeness of reporting, a partner's history, and My tasks.

Every function here makes a fixed number of queries whatever the number of organisations,
periods and rows; the counting happens in SQL.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    FilteredRelation,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.models import (
    Activity,
    ReminderSent,
    Report,
    ReportingPeriod,
    ReportStatus,
)
from core.tasks import Task
from partners.access import active_membership
from partners.models import Organisation, OrganisationStatus

# A report counts as submitted once sent to the coordinators and not sent back:
# a returned report must be sent again.
SUBMITTED_STATUSES = (
    ReportStatus.SUBMITTED,
    ReportStatus.VALIDATED,
    ReportStatus.CORRECTION_REQUESTED,
)
LISTED_STATUSES = (OrganisationStatus.APPROVED, OrganisationStatus.SUSPENDED)
HISTORY_LENGTH = 12


class State:
    """The state of an organisation's report for a period, as the completeness pages show it."""

    VALIDATED = "validated"
    ON_TIME = "on_time"
    LATE = "late"
    CORRECTION = "correction"
    RETURNED = "returned"
    DRAFT = "draft"
    NOT_STARTED = "not_started"


# Symbol and words for each state: the symbol helps scanning, the words carry the meaning.
STATE_LABELS = {
    State.VALIDATED: ("✔", gettext_lazy("Validated")),
    State.ON_TIME: ("●", gettext_lazy("Submitted on time")),
    State.LATE: ("◐", gettext_lazy("Submitted late")),
    State.CORRECTION: ("✎", gettext_lazy("Correction requested")),
    State.RETURNED: ("↩", gettext_lazy("Returned for correction")),
    State.DRAFT: ("○", gettext_lazy("Draft, not submitted")),
    State.NOT_STARTED: ("\N{EN DASH}", gettext_lazy("Not started")),
}
STATE_CSS = {
    State.VALIDATED: "text-bg-success",
    State.ON_TIME: "text-bg-primary",
    State.LATE: "text-bg-warning",
    State.CORRECTION: "text-bg-info",
    State.RETURNED: "text-bg-danger",
    State.DRAFT: "text-bg-light border",
    State.NOT_STARTED: "text-bg-light border",
}


def _state_expression(prefix: str = "", deadline=None) -> Case:
    """SQL for the state of a report, on reports (``prefix`` empty) or through a relation.

    Through a relation a missing report is "not started". ``deadline`` is the period's
    deadline when it is known, else the report's own period's.
    """
    deadline = deadline if deadline is not None else F(f"{prefix}period__deadline")
    status = f"{prefix}status"
    missing = [When(**{f"{prefix}id__isnull": True}, then=Value(State.NOT_STARTED))]
    return Case(
        *(missing if prefix else []),
        When(**{status: ReportStatus.VALIDATED}, then=Value(State.VALIDATED)),
        When(**{status: ReportStatus.CORRECTION_REQUESTED}, then=Value(State.CORRECTION)),
        When(**{status: ReportStatus.RETURNED}, then=Value(State.RETURNED)),
        When(**{status: ReportStatus.DRAFT}, then=Value(State.DRAFT)),
        When(**{f"{prefix}submitted_at__gt": deadline}, then=Value(State.LATE)),
        default=Value(State.ON_TIME),
        output_field=CharField(),
    )


def _on_time_q(prefix: str = "", deadline=None) -> Q:
    """Submitted (and not sent back) by the period's deadline."""
    deadline = deadline if deadline is not None else F(f"{prefix}period__deadline")
    return Q(**{f"{prefix}status__in": SUBMITTED_STATUSES, f"{prefix}submitted_at__lte": deadline})


def _rate(part: int, whole: int) -> int | None:
    """A whole percentage, or None when there is nothing to divide by."""
    return round(100 * part / whole) if whole else None


@dataclass
class StateCell:
    state: str
    report_id: int | None = None

    @property
    def symbol(self) -> str:
        return STATE_LABELS[self.state][0]

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self.state][1])

    @property
    def css(self) -> str:
        return STATE_CSS[self.state]


@dataclass
class PeriodLine:
    """One organisation on the completeness page of a period."""

    organisation: Organisation
    cell: StateCell
    submitted_at: object = None
    reopened_until: object = None
    reopening_reason: str = ""

    @property
    def expected(self) -> bool:
        return self.organisation.status == OrganisationStatus.APPROVED


@dataclass
class PeriodCompleteness:
    period: ReportingPeriod
    lines: list[PeriodLine]
    counts: dict[str, int]

    @property
    def expected(self) -> int:
        return self.counts["expected"]

    @property
    def submitted(self) -> int:
        return self.counts["submitted"]

    @property
    def completeness_rate(self) -> int | None:
        return _rate(self.counts["submitted"], self.counts["expected"])

    @property
    def on_time_rate(self) -> int | None:
        return _rate(self.counts["by_deadline"], self.counts["submitted"])

    @property
    def state_counts(self) -> list[tuple[StateCell, int]]:
        return [(StateCell(state), self.counts[state]) for state in STATE_LABELS]


def _period_relations(period: ReportingPeriod) -> dict[str, FilteredRelation]:
    # Fresh objects each time: a queryset binds the FilteredRelation it is given.
    return {
        "period_report": FilteredRelation(
            "activity_reports", condition=Q(activity_reports__period=period)
        ),
        "period_reopening": FilteredRelation(
            "period_reopenings", condition=Q(period_reopenings__period=period)
        ),
    }


def last_reminder_at(period: ReportingPeriod) -> Subquery:
    """An annotation for organisations: when the last reminder for the period went."""
    return Subquery(
        ReminderSent.objects.filter(period=period, organisation=OuterRef("pk"))
        .values("organisation")
        .annotate(last=Max("sent_at"))
        .values("last")[:1]
    )


def period_completeness(period: ReportingPeriod) -> PeriodCompleteness:
    """Every approved organisation (and the suspended ones) with its report for the period.

    Two queries: the organisations with their report and reopening joined, and the counts.
    Counts and rates are over approved organisations, the ones expected to report.
    """
    organisations = (
        Organisation.objects.filter(status__in=LISTED_STATUSES)
        .annotate(**_period_relations(period))
        .annotate(
            report_id=F("period_report__id"),
            report_state=_state_expression("period_report__", period.deadline),
            report_submitted_at=F("period_report__submitted_at"),
            reopened_until=F("period_reopening__until"),
            reopening_reason=F("period_reopening__reason"),
            last_reminder_at=last_reminder_at(period),
        )
        .order_by("status", "name_en", "pk")
    )
    lines = [
        PeriodLine(
            organisation=organisation,
            cell=StateCell(organisation.report_state, organisation.report_id),
            submitted_at=organisation.report_submitted_at,
            reopened_until=organisation.reopened_until,
            reopening_reason=organisation.reopening_reason or "",
        )
        for organisation in organisations
    ]
    state = _state_expression("period_report__", period.deadline)
    counts = (
        Organisation.objects.filter(status=OrganisationStatus.APPROVED)
        .annotate(period_report=_period_relations(period)["period_report"])
        .annotate(report_state=state)
        .aggregate(
            expected=Count("pk"),
            submitted=Count("pk", filter=Q(period_report__status__in=SUBMITTED_STATUSES)),
            by_deadline=Count("pk", filter=_on_time_q("period_report__", period.deadline)),
            **{key: Count("pk", filter=Q(report_state=key)) for key in STATE_LABELS},
        )
    )
    return PeriodCompleteness(period=period, lines=lines, counts=counts)


# --- validated reports by month -------------------------------------------------------------------


@dataclass(frozen=True)
class MonthReporting:
    """How many approved organisations have a validated report for a month."""

    month: datetime.date
    validated: int
    expected: int

    @property
    def percent(self) -> int | None:
        return _rate(self.validated, self.expected)


def reporting_by_month(first: datetime.date, last: datetime.date) -> list[MonthReporting]:
    """Each month from ``first`` to ``last``: approved organisations with a validated report.

    Two queries whatever the number of months: the approved organisations, and the validated
    reports grouped by period.
    """
    expected = Organisation.objects.filter(status=OrganisationStatus.APPROVED).count()
    index = F("period__year") * 12 + F("period__month")
    found = {
        (row["period__year"], row["period__month"]): row["validated"]
        for row in Report.objects.filter(
            status=ReportStatus.VALIDATED, organisation__status=OrganisationStatus.APPROVED
        )
        .alias(index=index)
        .filter(index__gte=first.year * 12 + first.month, index__lte=last.year * 12 + last.month)
        .order_by()
        .values("period__year", "period__month")
        .annotate(validated=Count("organisation", distinct=True))
    }
    months, month = [], first
    while month <= last:
        months.append(MonthReporting(month, found.get((month.year, month.month), 0), expected))
        month = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return months


# --- completeness over the last twelve periods ----------------------------------------------------


@dataclass
class OrganisationRow:
    organisation: Organisation
    cells: list[StateCell]
    expected: int
    submitted: int
    on_time: int

    @property
    def completeness_rate(self) -> int | None:
        return _rate(self.submitted, self.expected)

    @property
    def on_time_rate(self) -> int | None:
        return _rate(self.on_time, self.submitted)


@dataclass
class CompletenessTable:
    periods: list[ReportingPeriod]
    rows: list[OrganisationRow] = field(default_factory=list)


def completeness_table(now=None) -> CompletenessTable:
    """Organisations by the last twelve periods that have opened, with each one's rates.

    Three queries: the periods, the organisations with their counts, and the reports.
    """
    now = now or timezone.now()
    periods = list(
        ReportingPeriod.objects.filter(opens_at__lte=now).order_by("-year", "-month")[
            :HISTORY_LENGTH
        ]
    )
    periods.reverse()
    table = CompletenessTable(periods=periods)
    if not periods:
        return table
    period_ids = [period.pk for period in periods]
    in_window = Q(activity_reports__period_id__in=period_ids)
    organisations = (
        Organisation.objects.filter(status__in=LISTED_STATUSES)
        .annotate(
            submitted=Count(
                "activity_reports",
                filter=in_window & Q(activity_reports__status__in=SUBMITTED_STATUSES),
            ),
            on_time=Count("activity_reports", filter=in_window & _on_time_q("activity_reports__")),
        )
        .order_by("status", "name_en", "pk")
    )
    states = {
        (report["organisation_id"], report["period_id"]): StateCell(report["state"], report["pk"])
        for report in Report.objects.filter(
            period_id__in=period_ids, organisation__status__in=LISTED_STATUSES
        )
        .annotate(state=_state_expression())
        .values("pk", "organisation_id", "period_id", "state")
    }
    for organisation in organisations:
        cells = [
            states.get((organisation.pk, period.pk), StateCell(State.NOT_STARTED))
            for period in periods
        ]
        table.rows.append(
            OrganisationRow(
                organisation=organisation,
                cells=cells,
                expected=len(periods),
                submitted=organisation.submitted,
                on_time=organisation.on_time,
            )
        )
    return table


# --- a partner's history --------------------------------------------------------------------------


def organisation_history(organisation: Organisation) -> QuerySet[Report]:
    """The organisation's reports, newest period first, with their row count and total reached.

    One query (plus the count when the page is paginated).
    """
    return (
        Report.objects.filter(organisation=organisation)
        .select_related("period")
        .annotate(
            rows_count=Count("rows"),
            total_reached=Coalesce(Sum("rows__total"), 0),
            state=_state_expression(),
            on_time=Case(
                When(
                    status__in=SUBMITTED_STATUSES,
                    submitted_at__lte=F("period__deadline"),
                    then=Value(True),
                ),
                When(status__in=SUBMITTED_STATUSES, then=Value(False)),
                default=None,
            ),
        )
        .order_by("-period__year", "-period__month")
    )


def catalogue_by_indicator(*, include_retired: bool = False) -> list[tuple]:
    """Active activities grouped by indicator, in the order of the strategy.

    Five queries: the activities with their indicator and cycle, their domains, and the
    other indicators they feed (as figures added, numerators and denominators).
    """
    activities = Activity.objects.select_related("indicator__cycle").prefetch_related(
        "domains", "also_counts_towards", "numerator_of", "denominator_of"
    )
    if not include_retired:
        activities = activities.filter(is_active=True)
    activities = activities.order_by(
        "-indicator__cycle__is_current",
        "-indicator__cycle__start_year",
        "indicator__order",
        "indicator__code",
        "indicator__pk",
        "order",
        "code",
    )
    groups: list[tuple] = []
    for activity in activities:
        if groups and groups[-1][0].pk == activity.indicator_id:
            groups[-1][1].append(activity)
        else:
            groups.append((activity.indicator, [activity]))
    return groups


# --- My tasks -------------------------------------------------------------------------------------


def report_start_url(period: ReportingPeriod) -> str:
    """Where a member starts or opens the organisation's report for the period."""
    return reverse("activities:report_start", kwargs={"period_pk": period.pk})


def tasks_for_user(user) -> list[Task]:
    """Periods the user's organisation should still report on (one query after the membership).

    For members of an approved organisation: every period that accepts its submission now
    (open, or reopened for it) and has no report from it, or only a draft. A returned report
    is the report workflow's own task.
    """
    membership = active_membership(user)
    if membership is None or not membership.organisation.is_approved:
        return []
    organisation = membership.organisation
    now = timezone.now()
    periods = (
        ReportingPeriod.objects.annotate(
            own_reopening=FilteredRelation(
                "reopenings", condition=Q(reopenings__organisation=organisation)
            )
        )
        .annotate(reopened_until=F("own_reopening__until"))
        .filter(
            Q(opens_at__lte=now, deadline__gte=now)
            | Q(deadline__lt=now, own_reopening__until__gte=now)
        )
        .exclude(
            pk__in=Report.objects.filter(organisation=organisation)
            .exclude(status=ReportStatus.DRAFT)
            .values("period_id")
        )
        .order_by("deadline")
    )
    tasks = []
    for period in periods:
        due = period.deadline if period.is_open(now) else period.reopened_until
        tasks.append(
            Task(
                title=_("Report for %(period)s due %(deadline)s")
                % {
                    "period": period,
                    "deadline": date_format(timezone.localtime(due), "DATETIME_FORMAT"),
                },
                description=_(
                    "%(organisation)s has not submitted its monthly activity report for "
                    "%(period)s yet."
                )
                % {"organisation": organisation.name, "period": period},
                url=report_start_url(period),
            )
        )
    return tasks
