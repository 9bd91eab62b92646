"""Reads of attacks on health care: who sees which incident, the coordinators' queue, the
lines on My tasks, the rows of the SSA export and the public counts.

- Coordinators see every incident; members of an approved (or suspended) organisation see
  the verified ones and every one their organisation reported; nobody else sees any
  (``visible_incidents``; one they may not see is a 404, as a missing one).
- The public sees only ``public_counts``: verified incidents counted by month, admin1 area
  and type of attack, with the health workers and patients killed and injured. The
  disclosure policy's minimum of organisations does not apply: incidents are the cluster's
  own verified record, not partners' figures (``partners/disclosure.py``).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, QuerySet, Sum, When
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.tasks import Task
from facilities.models import AttackType, Incident, IncidentState
from locations.models import AdminArea, AdminLevel
from partners.access import is_coordinator, reads_member_content, scope_rule, user_organisation
from partners.disclosure import PUBLIC_AREA_LEVEL

# The admin1 area of the incident's area, whatever its level (admin1 to admin3), in SQL.
ADMIN1 = Case(
    When(area__level=AdminLevel.ADMIN1, then=F("area_id")),
    When(area__level=AdminLevel.ADMIN2, then=F("area__parent")),
    When(area__level=AdminLevel.ADMIN3, then=F("area__parent__parent")),
    output_field=IntegerField(),
)

CASUALTIES = (
    "health_workers_killed",
    "health_workers_injured",
    "patients_killed",
    "patients_injured",
)


# --- who sees which incident -------------------------------------------------------------------


def visible_incidents(user, queryset: QuerySet | None = None) -> QuerySet:
    """The incidents the user may read (of ``queryset`` when given)."""
    queryset = Incident.objects.all() if queryset is None else queryset
    if is_coordinator(user):
        return queryset
    if not reads_member_content(user):
        return queryset.none()
    rule = Q(state=IncidentState.VERIFIED)
    own = scope_rule(user)
    return queryset.filter(rule if own is None else rule | own)


def _types() -> Prefetch:
    return Prefetch("attack_types", queryset=AttackType.objects.order_by("order", "code"))


def _with_links(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("area", "facility", "organisation").prefetch_related(_types())


def get_incident_for_user(user, pk) -> Incident:
    """The incident if the user may read it, with what its page shows; otherwise a 404."""
    queryset = _with_links(visible_incidents(user)).select_related("reported_by", "verified_by")
    try:
        return queryset.get(pk=pk)
    except (Incident.DoesNotExist, ValueError):
        raise Http404 from None


def incident_list(user) -> QuerySet:
    """The incidents the user may read, newest first, with what the list shows."""
    return _with_links(visible_incidents(user)).order_by("-date", "-pk")


def verification_queue() -> QuerySet:
    """The incidents to verify, reported first first."""
    reported = Incident.objects.filter(state=IncidentState.REPORTED)
    return _with_links(reported).order_by("created_at", "pk")


def export_rows(queryset: QuerySet) -> QuerySet:
    """The verified incidents of ``queryset`` as the SSA export reads them: each area with
    its parents up to the country, the facility and the types."""
    return (
        queryset.filter(state=IncidentState.VERIFIED)
        .select_related("area__parent__parent__parent", "facility")
        .prefetch_related(_types())
        .order_by("date", "pk")
    )


def attack_types() -> list[AttackType]:
    """SSA's types of attack, in their order."""
    return list(AttackType.objects.order_by("order", "code"))


# --- My tasks ----------------------------------------------------------------------------------


def tasks_for_user(user) -> list[Task]:
    """The incidents waiting for the user (one query at most): coordinators verify the
    reported ones; an organisation waits on those it reported."""
    if is_coordinator(user):
        count = Incident.objects.filter(state=IncidentState.REPORTED).count()
        if not count:
            return []
        return [
            Task(
                title=_("Attacks on health care to verify"),
                description=ngettext(
                    "%(count)d reported attack on health care waits for verification.",
                    "%(count)d reported attacks on health care wait for verification.",
                    count,
                )
                % {"count": count},
                url=reverse("incidents:queue"),
                count=count,
                kind="action",
            )
        ]
    organisation = user_organisation(user)
    if organisation is None:
        return []
    count = Incident.objects.filter(organisation=organisation, state=IncidentState.REPORTED).count()
    if not count:
        return []
    return [
        Task(
            title=_("Attacks you reported"),
            description=ngettext(
                "%(count)d attack reported by your organisation waits for the coordinators "
                "to verify it.",
                "%(count)d attacks reported by your organisation wait for the coordinators "
                "to verify them.",
                count,
            )
            % {"count": count},
            url=reverse("incidents:list") + f"?state={IncidentState.REPORTED}",
            count=count,
            kind="waiting",
        )
    ]


# --- the public counts -------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthAreaCount:
    """The verified incidents of one month in one admin1 area."""

    month: datetime.date  # its first day
    admin1: AdminArea
    incidents: int  # each incident once, however many types it has
    health_workers_killed: int
    health_workers_injured: int
    patients_killed: int
    patients_injured: int
    by_type: dict[str, int] = field(default_factory=dict)  # type code -> incidents of it


@dataclass(frozen=True)
class IncidentCounts:
    """What the public may know of attacks on health care over a range of months.

    ``cells`` holds the cells of a month and an admin1 area that have incidents, by month
    and then p-code; an incident with several types counts once in ``incidents`` and once
    under each of its types in ``by_type``, so the types add up to more than the incidents.
    ``types`` is SSA's list in its order, for tables and charts that show every type.
    """

    first_month: datetime.date
    last_month: datetime.date
    cells: list[MonthAreaCount]
    types: list[AttackType]

    @property
    def incidents(self) -> int:
        return sum(cell.incidents for cell in self.cells)

    def totals(self) -> dict[str, int]:
        """Incidents, and health workers and patients killed and injured, over the range."""
        names = ("incidents", *CASUALTIES)
        return {name: sum(getattr(cell, name) for cell in self.cells) for name in names}

    def by_month(self) -> dict[datetime.date, dict[str, int]]:
        """The totals of each month of the range, months without incidents as zeros."""
        months = {month: dict.fromkeys(("incidents", *CASUALTIES), 0) for month in self.months()}
        for cell in self.cells:
            for name in months[cell.month]:
                months[cell.month][name] += getattr(cell, name)
        return months

    def by_admin1(self) -> list[tuple[AdminArea, dict[str, int]]]:
        """The totals of each admin1 area with incidents, by p-code."""
        areas: dict[str, AdminArea] = {}
        sums: dict[str, dict[str, int]] = defaultdict(
            lambda: dict.fromkeys(("incidents", *CASUALTIES), 0)
        )
        for cell in self.cells:
            areas[cell.admin1.pcode] = cell.admin1
            for name in ("incidents", *CASUALTIES):
                sums[cell.admin1.pcode][name] += getattr(cell, name)
        return [(areas[pcode], sums[pcode]) for pcode in sorted(areas)]

    def by_type(self) -> dict[str, int]:
        """The incidents of each type over the range, every type of ``types`` in its order."""
        counts = dict.fromkeys((kind.code for kind in self.types), 0)
        for cell in self.cells:
            for code, count in cell.by_type.items():
                counts[code] = counts.get(code, 0) + count
        return counts

    def months(self) -> list[datetime.date]:
        months, month = [], self.first_month
        while month <= self.last_month:
            months.append(month)
            month = _next_month(month)
        return months


def _next_month(month: datetime.date) -> datetime.date:
    return datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def public_counts(
    first_month: datetime.date, last_month: datetime.date, area: AdminArea | None = None
) -> IncidentCounts:
    """The verified incidents from ``first_month`` to ``last_month`` (any day of each, both
    included), in ``area`` when given (the country or an admin1 area: the public sees no
    smaller one, so a smaller one is a ValueError), counted by month, admin1 area and type.

    Four queries whatever the range: the cells with their casualties, the cells by type,
    the admin1 areas named and the types.
    """
    if area is not None and area.level > PUBLIC_AREA_LEVEL:
        raise ValueError("The public counts of incidents are by admin1 area at most.")
    first = first_month.replace(day=1)
    last = last_month.replace(day=1)
    incidents = (
        Incident.objects.verified()
        .filter(date__gte=first, date__lt=_next_month(last))
        .annotate(month=TruncMonth("date"), admin1=ADMIN1)
        .filter(admin1__isnull=False)
    )
    if area is not None:
        incidents = incidents.filter(area__path__startswith=area.path)
    # Two groupings rather than one: joining the types would count an incident's
    # casualties once per type.
    rows = list(
        incidents.values("month", "admin1")
        .annotate(incidents=Count("pk"), **{name: Sum(name) for name in CASUALTIES})
        .order_by()
    )
    typed = (
        incidents.values("month", "admin1", "attack_types__code")
        .annotate(incidents=Count("pk"))
        .order_by()
    )
    by_type: dict[tuple, dict[str, int]] = defaultdict(dict)
    for row in typed:
        if row["attack_types__code"] is None:
            continue  # an incident without a type, which the services never write
        by_type[(_day(row["month"]), row["admin1"])][row["attack_types__code"]] = row["incidents"]
    areas = AdminArea.objects.in_bulk({row["admin1"] for row in rows})
    cells = [
        MonthAreaCount(
            month=_day(row["month"]),
            admin1=areas[row["admin1"]],
            incidents=row["incidents"],
            by_type=by_type.get((_day(row["month"]), row["admin1"]), {}),
            **{name: row[name] or 0 for name in CASUALTIES},
        )
        for row in rows
    ]
    cells.sort(key=lambda cell: (cell.month, cell.admin1.pcode))
    return IncidentCounts(first_month=first, last_month=last, cells=cells, types=attack_types())


def _day(value) -> datetime.date:
    """A truncated month as a date (a datetime on some databases)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    return value
