"""Reads of the facility registry: which facilities a user sees, their current status by the
latest-value rule, their history and supports, the review queue and My tasks' lines.

The latest-value rule (the indicators', ``strategy.models.latest_max_age``): a facility's
status on a day is its newest *validated* record dated that day or before, whose month is at
most ``LATEST_MAX_AGE`` months before that day's month; without one it has "no recent data".
A status dated 15 December still counts on 31 March with the default of three months, and no
longer on 1 April. Records of the same day are told apart by the newest recorded.
``current_status`` reads it for many facilities in one query, ``with_current_status``
annotates a queryset with it (to filter or count by functionality in SQL), and both start
from ``counted_statuses``, so the rule is written once.
"""

import datetime
from collections.abc import Iterable, Iterator

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.tasks import Task
from facilities.models import (
    Facility,
    FacilityStatus,
    FacilitySupport,
    FacilityType,
    ReviewState,
)
from locations.models import AdminArea
from partners.access import is_coordinator, scope_rule, user_organisation
from partners.disclosure import sees_facilities
from partners.models import Organisation
from strategy.models import HealthDomain, latest_max_age

# The functionality filter's value for facilities without a current status.
NO_RECENT_DATA = "none"


# --- the latest-value rule -----------------------------------------------------------------------


def months_before(day: datetime.date, count: int) -> datetime.date:
    """The first day of the month ``count`` months before ``day``'s month."""
    index = day.year * 12 + day.month - 1 - count
    return datetime.date(index // 12, index % 12 + 1, 1)


def oldest_counted(on: datetime.date) -> datetime.date:
    """The first day a status may be dated to still be current on ``on``."""
    return months_before(on, latest_max_age())


def counted_statuses(on: datetime.date | None = None) -> QuerySet[FacilityStatus]:
    """The statuses that may be current on ``on`` (today without one): validated, dated from
    ``oldest_counted(on)`` to ``on``."""
    on = on or timezone.localdate()
    return FacilityStatus.objects.validated().filter(as_of__lte=on, as_of__gte=oldest_counted(on))


def _newest_first() -> list:
    return [F("as_of").desc(), F("pk").desc()]


def current_status(
    facilities: QuerySet[Facility] | Iterable[Facility | int], *, on: datetime.date | None = None
) -> dict[int, FacilityStatus]:
    """The current status of each facility on ``on`` (today without one), by facility id, in
    one query; a facility without one ("no recent data") is not in it.

    ``facilities`` is a queryset (read as a subquery) or facilities or their ids."""
    statuses = counted_statuses(on)
    if isinstance(facilities, QuerySet):
        statuses = statuses.filter(facility__in=facilities.values("pk"))
    else:
        ids = {getattr(facility, "pk", facility) for facility in facilities}
        if not ids:
            return {}
        statuses = statuses.filter(facility_id__in=ids)
    if connection.features.can_distinct_on_fields:
        # One pass in the order of the (facility, as_of) index, keeping each facility's first.
        newest = statuses.order_by("facility_id", *_newest_first()).distinct("facility_id")
    else:
        newest = statuses.annotate(
            rank=Window(RowNumber(), partition_by=[F("facility_id")], order_by=_newest_first())
        ).filter(rank=1)
    return {status.facility_id: status for status in newest}


def with_current_status(
    facilities: QuerySet[Facility], *, on: datetime.date | None = None
) -> QuerySet[Facility]:
    """``facilities`` annotated with their current status on ``on``: ``current_status_id``
    and ``current_functionality`` (None for "no recent data"), for filters and SQL counts
    (``.values("type").annotate(...)``)."""
    newest = counted_statuses(on).filter(facility=OuterRef("pk")).order_by(*_newest_first())
    return facilities.annotate(
        current_status_id=Subquery(newest.values("pk")[:1]),
        current_functionality=Subquery(newest.values("functionality")[:1]),
    )


# --- supports ------------------------------------------------------------------------------------


def support_rule(on: datetime.date, *, since: datetime.date | None = None) -> Q:
    """The supports running on ``on`` (on some day from ``since`` to ``on``, when given):
    started by then and not ended before."""
    return Q(start__lte=on) & (Q(end__isnull=True) | Q(end__gte=since or on))


def supports(
    organisation: Organisation,
    facility: Facility,
    on: datetime.date,
    *,
    since: datetime.date | None = None,
) -> bool:
    """Does the organisation support the facility on ``on`` (or on some day from ``since``)?"""
    return FacilitySupport.objects.filter(
        support_rule(on, since=since), facility_id=facility.pk, organisation_id=organisation.pk
    ).exists()


def runs_on(start: datetime.date, end: datetime.date | None, on: datetime.date) -> bool:
    """``support_rule`` for one support already read: started by ``on``, not ended before."""
    return start <= on and (end is None or end >= on)


def support_periods(
    facility_ids: Iterable[int], organisation_ids: Iterable[int]
) -> dict[tuple[int, int], list[tuple[datetime.date, datetime.date | None]]]:
    """The periods of support of each (facility, organisation) among these, in one query: to
    check many statuses' dates with ``runs_on``."""
    periods: dict[tuple[int, int], list] = {}
    found = FacilitySupport.objects.filter(
        facility_id__in=list(facility_ids), organisation_id__in=list(organisation_ids)
    ).values_list("facility_id", "organisation_id", "start", "end")
    for facility_id, organisation_id, start, end in found:
        periods.setdefault((facility_id, organisation_id), []).append((start, end))
    return periods


def supports_on(
    on: datetime.date | None = None,
    *,
    facilities: QuerySet[Facility] | None = None,
    organisation: Organisation | None = None,
) -> QuerySet[FacilitySupport]:
    """The supports running on ``on`` (today without one), with their organisation."""
    found = FacilitySupport.objects.filter(support_rule(on or timezone.localdate()))
    if facilities is not None:
        found = found.filter(facility__in=facilities)
    if organisation is not None:
        found = found.filter(organisation=organisation)
    return found.select_related("organisation").order_by("organisation__name_en", "start", "pk")


def facility_supports(facility: Facility) -> QuerySet[FacilitySupport]:
    """Every support of the facility, past and present, the running ones first."""
    return facility.supports.select_related("organisation").order_by(
        F("end").desc(nulls_first=True), "-start", "pk"
    )


# --- what a user sees ----------------------------------------------------------------------------


def visible_facilities(user) -> QuerySet[Facility]:
    """Every facility for members and coordinators; for the public, every facility when the
    deployment publishes their locations, none otherwise."""
    if sees_facilities(user):
        return Facility.objects.all()
    return Facility.objects.none()


def registry(user, *, on: datetime.date | None = None) -> QuerySet[Facility]:
    """The registry's list: the facilities the user sees, with type and area, their current
    status (``with_current_status``) and the supports running on ``on`` (``current_supports``)."""
    on = on or timezone.localdate()
    return with_current_status(
        visible_facilities(user).select_related("type", "area"), on=on
    ).prefetch_related(Prefetch("supports", supports_on(on), to_attr="current_supports"))


def template_facilities(*, limit: int) -> list[Facility] | None:
    """The registry in code order, with what the facilities template shows of each; None
    when it holds more than ``limit`` facilities, more than a sheet takes."""
    facilities = list(
        Facility.objects.select_related("type", "area")
        .prefetch_related("domains")
        .order_by("code")[: limit + 1]
    )
    return None if len(facilities) > limit else facilities


def template_status_facilities(user, *, limit: int) -> list[Facility] | None:
    """The facilities whose status the user may record, in code order, for the statuses
    template; None when there are more than ``limit``."""
    facilities = list(
        facilities_recordable_by(user)
        .only("code", "name_en", "name_ar")
        .order_by("code")[: limit + 1]
    )
    return None if len(facilities) > limit else facilities


def template_lists() -> dict[str, list[str]]:
    """What the templates' drop-down lists offer: the facility types (in the user's
    language), the p-codes of the admin areas, the codes of the health domains in use and
    the partners supporting a facility (their acronym, else their name); four queries."""
    supporting = (
        Organisation.objects.approved()
        .filter(Exists(FacilitySupport.objects.filter(organisation=OuterRef("pk"))))
        .order_by("name_en")
    )
    return {
        "types": [str(facility_type.name) for facility_type in FacilityType.objects.all()],
        "areas": list(AdminArea.objects.order_by("path").values_list("pcode", flat=True)),
        "domains": list(HealthDomain.objects.active().values_list("code", flat=True)),
        "organisations": [
            organisation.acronym or organisation.name_en for organisation in supporting
        ],
    }


def _chunks(rows: Iterable, size: int) -> Iterator[list]:
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def export_rows(facilities: QuerySet[Facility], *, chunk_size: int = 2000) -> Iterator[Facility]:
    """The facilities (any queryset of them, filtered as the list is) with what the registry's
    export shows: type, area and its parents, services, the partners supporting them today
    (``current_supports``) and their current status (``current``, None for "no recent
    data"), read ``chunk_size`` at a time in a fixed number of queries per chunk."""
    on = timezone.localdate()
    rows = (
        Facility.objects.filter(pk__in=facilities.values("pk"))
        .select_related("type", "area__parent__parent")
        .prefetch_related(
            Prefetch("supports", supports_on(on), to_attr="current_supports"), "domains"
        )
        .order_by("code")
    )
    for chunk in _chunks(rows.iterator(chunk_size=chunk_size), chunk_size):
        current = current_status(chunk, on=on)
        for facility in chunk:
            facility.current = current.get(facility.pk)
            yield facility


def status_history(facilities: QuerySet[Facility]) -> QuerySet[FacilityStatus]:
    """Every status of these facilities, in every review state, with the facility, its area
    and the organisation: by facility code, the newest first (the coordinators' export)."""
    return (
        FacilityStatus.objects.filter(facility__in=facilities.values("pk"))
        .select_related("facility__area__parent__parent", "organisation")
        .order_by("facility__code", "-as_of", "-pk")
    )


def facility_types() -> QuerySet[FacilityType]:
    """The facility types in their order, each with how many facilities it has."""
    return FacilityType.objects.annotate(facility_count=Count("facilities"))


def facility_page_queryset() -> QuerySet[Facility]:
    return Facility.objects.select_related("type", "area").prefetch_related("domains")


def facility_history(facility: Facility, user) -> QuerySet[FacilityStatus]:
    """The facility's statuses the user may read, newest first: the validated ones, and for
    members those their organisation recorded, under review or returned; every one for
    coordinators."""
    statuses = facility.statuses.select_related("organisation", "recorded_by", "reviewed_by")
    rule = scope_rule(user)
    if rule is not None:
        statuses = statuses.filter(Q(state=ReviewState.VALIDATED) | rule)
    return statuses.order_by("-as_of", "-pk")


def review_queue() -> QuerySet[FacilityStatus]:
    """Submitted statuses waiting for a coordinator, oldest first."""
    return (
        FacilityStatus.objects.filter(state=ReviewState.SUBMITTED)
        .select_related("facility__type", "facility__area", "organisation", "recorded_by")
        .order_by("created_at", "pk")
    )


def organisation_statuses(
    organisation: Organisation | None, *, state: str = ""
) -> QuerySet[FacilityStatus]:
    """The statuses an organisation recorded, returned ones first, then the newest."""
    if organisation is None:
        return FacilityStatus.objects.none()
    statuses = FacilityStatus.objects.filter(organisation=organisation)
    if state:
        statuses = statuses.filter(state=state)
    return statuses.select_related("facility", "recorded_by").order_by(
        Case(When(state=ReviewState.RETURNED, then=0), default=1), "-as_of", "-pk"
    )


def facilities_recordable_by(user, *, today: datetime.date | None = None) -> QuerySet[Facility]:
    """The facilities whose status the user may record: every one for coordinators; for a
    member of an approved organisation, those it supported on some day of the recording
    window (``facilities.policy.can_record_status``)."""
    if is_coordinator(user):
        return Facility.objects.all()
    organisation = user_organisation(user)
    if organisation is None or not organisation.is_approved:
        return Facility.objects.none()
    today = today or timezone.localdate()
    supported = FacilitySupport.objects.filter(
        support_rule(today, since=oldest_counted(today)),
        organisation=organisation,
        facility=OuterRef("pk"),
    )
    return Facility.objects.filter(Exists(supported))


# --- My tasks ------------------------------------------------------------------------------------


def tasks_for_user(user) -> list[Task]:
    """The facility statuses waiting for the user: for coordinators those to review (one
    query); for members of an approved organisation those returned to it, and the facilities
    it supports that have no status from it this month (one more query)."""
    tasks: list[Task] = []
    if is_coordinator(user):
        waiting = FacilityStatus.objects.filter(state=ReviewState.SUBMITTED).count()
        if waiting:
            tasks.append(
                Task(
                    title=_("Facility statuses to review"),
                    description=ngettext(
                        "%(count)d health facility status waits for your review.",
                        "%(count)d health facility statuses wait for your review.",
                        waiting,
                    )
                    % {"count": waiting},
                    url=reverse("facilities:review_queue"),
                    count=waiting,
                )
            )
    organisation = user_organisation(user)
    if organisation is None or not organisation.is_approved:
        return tasks
    counts = _member_counts(organisation, timezone.localdate())
    returned, due = counts["returned"], counts["due"]
    if returned:
        tasks.append(
            Task(
                title=_("Facility statuses returned to you"),
                description=ngettext(
                    "%(count)d status your organisation recorded was returned for correction.",
                    "%(count)d statuses your organisation recorded were returned for correction.",
                    returned,
                )
                % {"count": returned},
                url=reverse("facilities:statuses_mine") + f"?state={ReviewState.RETURNED}",
                count=returned,
            )
        )
    if due:
        tasks.append(
            Task(
                title=_("Record the status of the facilities you support"),
                description=ngettext(
                    "%(count)d health facility your organisation supports has no status from "
                    "it this month.",
                    "%(count)d health facilities your organisation supports have no status "
                    "from it this month.",
                    due,
                )
                % {"count": due},
                url=reverse("facilities:status_record"),
                count=due,
            )
        )
    return tasks


def _member_counts(organisation: Organisation, today: datetime.date) -> dict[str, int]:
    """In one query: the organisation's statuses returned to it, and the facilities it
    supports today without a status from it dated this month."""
    running = FacilitySupport.objects.filter(
        support_rule(today), organisation=organisation, facility=OuterRef("pk")
    )
    recorded = FacilityStatus.objects.filter(
        organisation=organisation, as_of__gte=today.replace(day=1), facility=OuterRef("pk")
    )
    counts = (
        Facility.objects.annotate(
            own_returned=FilteredRelation(
                "statuses",
                condition=Q(
                    statuses__organisation=organisation, statuses__state=ReviewState.RETURNED
                ),
            ),
            supported=Exists(running),
            recorded=Exists(recorded),
        )
        # Only the organisation's facilities: those it supports or has a returned status of.
        .filter(Q(supported=True) | Q(own_returned__isnull=False))
        .aggregate(
            returned=Count("own_returned"),
            # Distinct: a facility is one row per returned status.
            due=Count("pk", distinct=True, filter=Q(supported=True, recorded=False)),
        )
    )
    return {name: count or 0 for name, count in counts.items()}
