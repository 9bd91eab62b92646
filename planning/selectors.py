"""Reads of the plan per area: the tables the planning pages edit, the suggestions from
assessments, and the figures per area that the analysis reads (``caseloads_by_area``,
``area_targets``). Each is one query."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, F, IntegerField, Max, Q, Sum, When

from assessments.models import AssessmentStatus, Finding
from locations.models import AdminArea
from planning.models import Caseload, IndicatorAreaTarget
from strategy.models import Indicator, StrategyCycle


@dataclass(frozen=True)
class Figures:
    """People in need and people targeted (None: no target given) of an area and group."""

    in_need: int
    targeted: int | None


@dataclass(frozen=True)
class AreaTarget:
    area_id: int
    pcode: str
    level: int
    target: Decimal


def planning_areas(level: int) -> list[AdminArea]:
    """The areas of a level, in the tree's order, with their parent for admin2."""
    return list(AdminArea.objects.at_level(level).select_related("parent").order_by("path"))


def caseload_table(cycle: StrategyCycle, level: int) -> dict[tuple[int, str], Caseload]:
    """The cycle's caseloads at a level, by (area id, group)."""
    rows = Caseload.objects.filter(cycle=cycle, area__level=level)
    return {(row.area_id, row.group): row for row in rows}


def caseload_counts_by_level(cycle: StrategyCycle) -> dict[int, int]:
    rows = Caseload.objects.filter(cycle=cycle).values("area__level").annotate(n=Count("id"))
    return {row["area__level"]: row["n"] for row in rows}


def caseload_sources(cycle: StrategyCycle) -> list[str]:
    return list(
        Caseload.objects.filter(cycle=cycle)
        .exclude(source="")
        .values_list("source", flat=True)
        .distinct()
        .order_by("source")
    )


def assessment_suggestions(cycle: StrategyCycle, level: int) -> dict[int, int]:
    """People in need per area of a level as published assessments found it in the cycle's
    years: the largest figure of any finding for the area itself, over every published
    assessment and health domain (domains overlap, so they are not added up)."""
    rows = (
        Finding.objects.filter(
            assessment__status=AssessmentStatus.PUBLISHED,
            assessment__start_date__year__lte=cycle.end_year,
            assessment__end_date__year__gte=cycle.start_year,
            area__level=level,
            people_in_need__isnull=False,
        )
        .values("area_id")
        .annotate(largest=Max("people_in_need"))
    )
    return {row["area_id"]: row["largest"] for row in rows}


def caseloads_by_area(cycle: StrategyCycle, level: int) -> dict[int, dict[str, Figures]]:
    """People in need and targeted per area id and population group.

    At level 1 the districts' caseloads are added to their admin1 area (the sets' rule
    forbids an admin1 caseload and one of its districts for the same group, so nothing is
    counted twice); at level 2 only the districts' own caseloads. A group's targeted figure
    is None when none of its rows gives one.
    """
    rows = Caseload.objects.filter(cycle=cycle)
    if level == 1:
        where = Case(
            When(area__level=1, then=F("area_id")),
            default=F("area__parent_id"),
            output_field=IntegerField(),
        )
        rows = rows.filter(Q(area__level=1) | Q(area__level=2)).annotate(where=where)
    else:
        rows = rows.filter(area__level=level).annotate(where=F("area_id"))
    totals = (
        rows.values("where", "group")
        .annotate(in_need=Sum("people_in_need"), targeted=Sum("people_targeted"))
        .order_by()
    )
    result: dict[int, dict[str, Figures]] = {}
    for row in totals:
        result.setdefault(row["where"], {})[row["group"]] = Figures(row["in_need"], row["targeted"])
    return result


def area_targets(indicator: Indicator) -> list[AreaTarget]:
    """The indicator's targets per area, in the tree's order."""
    rows = (
        IndicatorAreaTarget.objects.filter(indicator=indicator)
        .order_by("area__path")
        .values_list("area_id", "area__pcode", "area__level", "target")
    )
    return [AreaTarget(*row) for row in rows]


def cycle_area_targets(cycle: StrategyCycle) -> list[tuple[int, int, Decimal]]:
    """(indicator id, area id, target) of every area target of the cycle's indicators."""
    rows = IndicatorAreaTarget.objects.filter(indicator__cycle=cycle).order_by("area__path")
    return list(rows.values_list("indicator_id", "area_id", "target"))


def target_table(indicator: Indicator, level: int) -> dict[int, Decimal]:
    """The indicator's targets at a level, by area id."""
    rows = IndicatorAreaTarget.objects.filter(indicator=indicator, area__level=level)
    return dict(rows.values_list("area_id", "target"))
