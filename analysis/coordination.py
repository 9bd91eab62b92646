"""Gaps, overlaps and presence: where the cluster must act, computed in the database.

- A gap: the latest published assessment of an area gives a health domain a severity at or
  above the threshold, and no validated activity serving that domain was reported there in
  the last months.
- An overlap: the same activity in the same area and month, delivered by two or more
  implementing organisations; possibly double counted.
- Presence (3W): which organisations work in which areas.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import (
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, FirstValue, NullIf, RowNumber
from django.utils import timezone

from analysis.cache import cached
from analysis.grouping import distinct_counts
from analysis.models import Reach
from analysis.selectors import (
    Filters,
    add_months,
    findings_by_area,
    month_start,
    reach,
)
from assessments.models import AssessmentStatus, Finding
from locations.models import AdminArea
from partners.models import Organisation


@dataclass(frozen=True)
class GapRules:
    severity: int
    months: int

    @classmethod
    def default(cls) -> "GapRules":
        return cls(settings.GAP_SEVERITY_THRESHOLD, settings.GAP_RECENT_MONTHS)

    def since(self, today: datetime.date | None = None) -> datetime.date:
        """The first month that counts as recent (the current month included)."""
        return add_months(month_start(today or timezone.localdate()), 1 - self.months)


@cached
def gaps(rules: GapRules, *, public: bool = False, today=None, area=None) -> list[dict]:
    """Severe needs with no recent response, the most people in need first.

    For coordinators: by admin2, restricted assessments included. ``public``: by admin1,
    from unrestricted assessments only (what a bulletin may print). ``area`` keeps the gaps
    inside it.
    """
    level = 1 if public else 2
    findings = Finding.objects.filter(assessment__status=AssessmentStatus.PUBLISHED)
    if public:
        findings = findings.filter(assessment__is_restricted=False)
    latest_first = [F("assessment__end_date").desc(), F("assessment_id").desc()]
    partition = [F("target"), F("domain")]
    served = Reach.objects.filter(
        **{f"admin{level}": OuterRef("target")},
        month__gte=rules.since(today),
        activity__domains=OuterRef("domain"),
    )
    rows = (
        findings_by_area(findings, level)
        .filter(~Exists(served))
        .annotate(
            rank=Window(RowNumber(), partition_by=partition, order_by=latest_first),
            latest_severity=Window(
                FirstValue("severity"), partition_by=partition, order_by=latest_first
            ),
        )
        .filter(rank=1, latest_severity__gte=rules.severity)
        .values(
            "target",
            "severity",
            "people_in_need",
            "domain__code",
            "domain__name_en",
            "domain__name_ar",
            "assessment",
            "assessment__title_en",
            "assessment__title_ar",
            "assessment__end_date",
            "area__pcode",
            "area__level",
        )
    )
    rows = list(rows)
    areas = AdminArea.objects.select_related("parent").in_bulk({row["target"] for row in rows})
    if area is not None:
        rows = [row for row in rows if areas[row["target"]].path.startswith(area.path)]
    for row in rows:
        row["area"] = areas[row["target"]]
        # A finding for a whole admin1 area gives that area's figure, not the admin2's.
        row["whole_area"] = row["area__level"] < level
    rows.sort(key=lambda row: (-(row["people_in_need"] or 0), -row["severity"], row["area"].path))
    return rows


# --- overlaps ---------------------------------------------------------------------------------


@dataclass
class Overlap:
    month: datetime.date
    activity_code: str
    activity_name_en: str
    activity_name_ar: str
    area: AdminArea
    rows: list[dict]

    @property
    def total(self) -> int:
        return sum(row["total"] for row in self.rows)


def _bounds(wrap=lambda aggregate: aggregate) -> dict:
    """The smallest and largest implementing organisation, and name of one not listed, of
    each activity, area and month (``wrap`` makes them window functions)."""
    other = NullIf("implementing_other", Value(""))
    return {
        "first_org": wrap(Min("implementing_organisation")),
        "last_org": wrap(Max("implementing_organisation")),
        "first_other": wrap(Min(other)),
        "last_other": wrap(Max(other)),
    }


# Two or more implementers: two organisations, two names, or one of each.
SEVERAL = (
    Q(first_org__lt=F("last_org"))
    | Q(first_other__lt=F("last_other"))
    | Q(last_org__isnull=False, last_other__isnull=False)
)


def overlap_groups(filters: Filters) -> QuerySet:
    """(activity, area, month) delivered by two or more implementing organisations.

    "Two or more" is the smallest and largest implementer differing: unlike counting the
    distinct implementers, PostgreSQL can group that by hashing, without sorting the rows.
    Ids and names are compared as they are: one text made of both per row took a third
    longer (the count over five years at a million rows, about 300 ms against 200).
    """
    return (
        reach(filters)
        .order_by()
        .values("activity", "area", "month")
        .annotate(**_bounds())
        .filter(SEVERAL)
    )


def _overlap_values(queryset: QuerySet) -> QuerySet:
    """Each implementer's figures in an overlap, latest month first, side by side."""
    return (
        queryset.values("activity", "area", "month", "total", "implementing_other", "report")
        .annotate(
            implementer_en=Coalesce("implementing_organisation__name_en", "implementing_other"),
            implementer_ar=Coalesce("implementing_organisation__name_ar", "implementing_other"),
            reporter_en=F("organisation__name_en"),
            reporter_ar=F("organisation__name_ar"),
            activity_code=F("activity__code"),
            activity_name_en=F("activity__name_en"),
            activity_name_ar=F("activity__name_ar"),
        )
        .order_by("-month", "activity", "area", "implementer_en")
    )


def _grouped(rows) -> dict[tuple, Overlap]:
    """The rows gathered into their overlaps, in the rows' order."""
    rows = list(rows)
    areas = AdminArea.objects.select_related("parent").in_bulk({row["area"] for row in rows})
    found: dict[tuple, Overlap] = {}
    for row in rows:
        key = (row["activity"], row["area"], row["month"])
        if key not in found:
            found[key] = Overlap(
                row["month"],
                row["activity_code"],
                row["activity_name_en"],
                row["activity_name_ar"],
                areas[row["area"]],
                [],
            )
        found[key].rows.append(row)
    return found


@dataclass
class OverlapPlace:
    """The overlaps of one activity in one area: how many months two or more organisations
    reported it there, and the latest of them with who they were."""

    month_count: int
    months: list[Overlap]  # the latest ``OVERLAP_MONTHS_SHOWN``, latest first

    @property
    def latest(self) -> Overlap:
        return self.months[0]

    @property
    def earlier(self) -> int:
        """The months not shown (the CSV holds them)."""
        return self.month_count - len(self.months)

    @property
    def implementers(self) -> list[dict]:
        """Each implementing organisation of the months shown once, by name."""
        found = {}
        for overlap in self.months:
            for row in overlap.rows:
                found.setdefault(row["implementer_en"], row)
        return [found[name] for name in sorted(found)]


# The months of a place shown on the page, the latest first: a place may overlap every month.
OVERLAP_MONTHS_SHOWN = 6


@cached
def overlap_places(filters: Filters) -> tuple[int, list[tuple[int, int, int]]]:
    """How many overlaps (activity, area and month) there are, and the (activity, area,
    months) places they are in, the place with the latest overlap first. One query."""
    groups = overlap_groups(filters)
    inner_sql, params = groups.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT activity, area, COUNT(*), MAX(month) FROM ("  # noqa: S608
            f"{inner_sql}) g GROUP BY activity, area ORDER BY MAX(month) DESC, activity, area",
            params,
        )
        places = cursor.fetchall()
    return sum(count for _a, _b, count, _m in places), [(a, b, n) for a, b, n, _m in places]


@cached
def overlaps_at(filters: Filters, places: tuple[tuple[int, int, int], ...]) -> list[OverlapPlace]:
    """Each place's latest overlaps with every organisation's figures, in the order given."""
    if not places:
        return []
    where = Q()
    for activity, area, _months in places:
        where |= Q(activity=activity, area=area)
    latest: dict[tuple, list] = {(activity, area): [] for activity, area, _n in places}
    for cell in overlap_groups(filters).filter(where).order_by("-month"):
        shown = latest[(cell["activity"], cell["area"])]
        if len(shown) < OVERLAP_MONTHS_SHOWN:
            shown.append(cell["month"])
    cells = Q()
    for (activity, area), months in latest.items():
        cells |= Q(activity=activity, area=area, month__in=months)
    found = _grouped(_overlap_values(reach(filters).filter(cells)))
    months: dict[tuple, list[Overlap]] = {place: [] for place in latest}
    for (activity, area, _month), overlap in found.items():
        months[(activity, area)].append(overlap)
    return [
        OverlapPlace(count, months[(activity, area)])
        for activity, area, count in places
        if months[(activity, area)]
    ]


def all_overlaps(filters: Filters) -> list[Overlap]:
    """Every overlap of the range (for the download), found in one scan: each row is compared
    with the smallest and largest implementer of its activity, area and month."""
    partition = [F("activity"), F("area"), F("month")]
    rows = reach(filters).annotate(
        **_bounds(lambda aggregate: Window(aggregate, partition_by=partition))
    )
    return list(_grouped(_overlap_values(rows.filter(SEVERAL))).values())


# --- presence (3W) ----------------------------------------------------------------------------


@dataclass
class Presence:
    areas: list[AdminArea]
    organisations: list[dict]  # name_en, name_ar, acronym, cells: one count per area, or 0


@cached
def presence(filters: Filters) -> Presence:
    """Organisations by areas: how many activities each implements in each area.

    The columns are admin1 areas, or the admin2 areas of the admin1 the filters choose, so the
    matrix stays narrow enough to print.
    """
    area = filters.area
    if area is not None and area.level >= 1:
        level, columns = (
            2,
            AdminArea.objects.filter(parent=area if area.level == 1 else area.parent),
        )
    else:
        level, columns = 1, AdminArea.objects.filter(level=1)
    columns = list(columns.order_by("pcode"))
    # Grouped in two steps (``analysis.grouping``): COUNT(DISTINCT) sorted every figure.
    cells = distinct_counts(
        reach(filters).filter(implementing_organisation__isnull=False),
        ("implementing_organisation", f"admin{level}"),
        {"activities": "activity"},
    )
    names = Organisation.objects.filter(
        pk__in={cell["implementing_organisation"] for cell in cells}
    ).order_by("name_en", "pk")
    position = {column.pk: index for index, column in enumerate(columns)}
    organisations = {
        organisation.pk: {
            "name_en": organisation.name_en,
            "name_ar": organisation.name_ar,
            "acronym": organisation.acronym,
            "cells": [0] * len(columns),
        }
        for organisation in names.only("name_en", "name_ar", "acronym")
    }
    for cell in cells:
        index = position.get(cell[f"admin{level}"])
        if index is not None:
            organisations[cell["implementing_organisation"]]["cells"][index] = cell["activities"]
    return Presence(columns, list(organisations.values()))
