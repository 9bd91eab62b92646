"""Aggregates of validated activity figures and published assessments, computed in the database.

Every function takes ``Filters`` (a range of months and optional filters) and returns small
rows or dataclasses; each is one query, whatever the number of rows behind it. ``detailed``
asks for what signed-in members may see (admin2 areas, organisations); the public gets admin1
areas only, and never a restricted assessment.
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    F,
    FilteredRelation,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from analysis.cache import cached
from analysis.grouping import distinct_counts, implementers_by
from analysis.models import Reach
from assessments.models import Assessment, Finding
from locations.models import AdminArea
from partners.models import Organisation
from strategy.models import Indicator, StrategyCycle

SEX_AND_AGE = ("girls", "boys", "women", "men", "older_people", "people_with_disabilities")


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


@dataclass(frozen=True)
class Filters:
    """What the figures cover: a range of months (inclusive) and optional filters."""

    first_month: datetime.date
    last_month: datetime.date
    objective_id: int | None = None
    indicator_id: int | None = None
    activity_id: int | None = None
    area: AdminArea | None = None
    organisation_type: str = ""
    detailed: bool = False

    @property
    def months(self) -> list[datetime.date]:
        return months_between(self.first_month, self.last_month)


def reach(filters: Filters) -> QuerySet[Reach]:
    """The validated figures the filters select."""
    queryset = Reach.objects.filter(month__gte=filters.first_month, month__lte=filters.last_month)
    if filters.indicator_id:
        queryset = queryset.filter(indicator_id=filters.indicator_id)
    if filters.objective_id:
        queryset = queryset.filter(indicator__objective_id=filters.objective_id)
    if filters.activity_id:
        queryset = queryset.filter(activity_id=filters.activity_id)
    if filters.area is not None:
        queryset = queryset.filter(_within(filters.area))
    if filters.organisation_type:
        queryset = queryset.filter(implementing_organisation__type=filters.organisation_type)
    return queryset


def _within(area: AdminArea) -> Q:
    """Rows whose area is ``area`` or lies inside it."""
    if area.level == 0:
        return Q()
    if area.level == 1:
        return Q(admin1=area)
    if area.level == 2:
        return Q(admin2=area)
    return Q(area=area)


def _people(queryset: QuerySet[Reach]) -> QuerySet[Reach]:
    return queryset.filter(people=True)


PEOPLE = Q(people=True)


def _broken_down():
    """What a total holds in the groups its activity counts (the rest is not counted by sex
    and age: all of a single count, the part of a "both" total not broken down)."""
    return sum(
        (Coalesce(name, Value(0)) for name in ("girls", "boys", "women", "men")), start=Value(0)
    )


# The figures with some people not counted by sex and age.
NOT_DISAGGREGATED = Q(total__gt=_broken_down())


@cached
def cell_counts(filters: Filters) -> dict[tuple[int | None, datetime.date], dict[str, int]]:
    """The distinct implementing organisations of each admin1-month cell the filters
    select: ``any`` over every figure, ``people`` over the people-counting ones, one per
    group of sex and age (the figures that give it) and ``not_disaggregated`` (the figures
    with people not counted by sex and age). The disclosure policy withholds a
    public total that includes a cell from too few organisations. One query."""
    counts = {
        "not_disaggregated": PEOPLE & NOT_DISAGGREGATED,
        **{f"of_{name}": PEOPLE & Q(**{f"{name}__isnull": False}) for name in SEX_AND_AGE},
        "any": None,
        "with_people": PEOPLE,
    }
    rows = implementers_by(reach(filters), ("admin1", "month"), counts)
    return {(row.pop("admin1"), month_of(row.pop("month"))): _unprefixed(row) for row in rows}


def _unprefixed(row: dict) -> dict:
    """``implementers_by``'s names, which may not be the model's fields, as the callers know
    them: ``of_girls`` as ``girls``, ``with_people`` as ``people``."""
    return {name.removeprefix("of_").removeprefix("with_"): value for name, value in row.items()}


def month_of(value) -> datetime.date:
    """A month from raw SQL as a date, whichever way the database driver returned it."""
    if isinstance(value, str):
        return datetime.date.fromisoformat(value[:10])
    return value


# --- key figures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyFigures:
    partners_reporting: int
    areas_covered: int
    rows: int


@cached
def key_figures(filters: Filters) -> KeyFigures:
    """Reporting partners, admin1 areas and report rows. People reached is the headline's
    (``analysis.measures.headline``), measured without counting anyone twice."""
    # Grouped first, so that the distinct counts read a few thousand rows (``grouping``).
    totals = (
        reach(filters)
        .order_by()
        .values("organisation", "admin1")
        .annotate(area_rows=Sum("rows"))
        .aggregate(
            partners=Count("organisation", distinct=True),
            areas=Count("admin1", distinct=True),
            rows=Coalesce(Sum("area_rows"), 0),
        )
    )
    return KeyFigures(totals["partners"], totals["areas"], totals["rows"])


# --- strategy cycles ---------------------------------------------------------------------------


def cycle_for(month: datetime.date) -> StrategyCycle | None:
    """The strategy cycle whose targets a month's figures count towards: the one covering
    it (the current one first), else the current one."""
    covering = StrategyCycle.objects.filter(start_year__lte=month.year, end_year__gte=month.year)
    return (
        covering.order_by("-is_current", "-start_year").first()
        or StrategyCycle.objects.filter(is_current=True).first()
    )


def cycle_indicators(cycle, filters: Filters | None = None) -> QuerySet[Indicator]:
    queryset = Indicator.objects.filter(cycle=cycle)
    if filters and filters.objective_id:
        queryset = queryset.filter(objective_id=filters.objective_id)
    if filters and filters.indicator_id:
        queryset = queryset.filter(pk=filters.indicator_id)
    return queryset


# --- by month, area, sex and age, organisation ------------------------------------------------


@cached
def people_by_month(filters: Filters) -> list[dict]:
    """People reached in each month of the range, months without figures included as 0, and
    the implementing organisations each month's figure comes from."""
    found = {
        month_of(row["month"]): row
        for row in implementers_by(
            _people(reach(filters)), ("month",), {"partners": None}, {"people": Sum("total")}
        )
    }
    return [
        {
            "month": month,
            "people": found[month]["people"] if month in found else 0,
            "partners": found[month]["partners"] if month in found else 0,
        }
        for month in filters.months
    ]


def by_area(filters: Filters) -> list[dict]:
    """People reached, partners present and activities per area: admin1, or admin2 when
    detailed, in p-code order. Each row has ``area`` (None for rows reported for a whole
    admin1 area, which appear at admin2 as such, so nothing is lost from the totals).

    The figures are cached by area id and the areas joined to them on reading: pickling an
    area per row cost more than the query."""
    level = "admin2" if filters.detailed else "admin1"
    rows = [dict(row) for row in _by_area_figures(filters)]
    areas = _names({row[level] for row in rows} | {row["whole_area"] for row in rows})
    for row in rows:
        row["area"] = areas.get(row[level])
        row["admin1_area"] = areas.get(row["whole_area"])
        for prefix, area in ((level, row["area"]), ("admin1", row["admin1_area"])):
            row[f"{prefix}__pcode"] = area.pcode if area else None
            row[f"{prefix}__name_en"] = area.name_en if area else None
            row[f"{prefix}__name_ar"] = area.name_ar if area else None
    return sorted(
        rows,
        key=lambda row: (
            row["admin1_area"].pcode if row["admin1_area"] else "",
            row["area"] is None,
            row["area"].pcode if row["area"] else "",
        ),
    )


@cached
def _by_area_figures(filters: Filters) -> list[dict]:
    """``by_area``'s figures by area id. Grouped on the id alone: grouping on the names too
    would sort the wide rows."""
    level = "admin2" if filters.detailed else "admin1"
    rows = implementers_by(
        reach(filters),
        (level,),
        {"people_partners": PEOPLE, "partners": None},
        {"people_reached": Sum("total", filter=PEOPLE)},
        {"whole_area": "admin1"},
    )
    activities = {
        row[level]: row["activities"]
        for row in distinct_counts(reach(filters), (level,), {"activities": "activity"})
    }
    for row in rows:
        row["people"] = row.pop("people_reached")
        row["activities"] = activities[row[level]]
    return rows


@cached
def by_sex_and_age(filters: Filters) -> dict[str, int]:
    """People reached by sex and age, from the activities reported that way; and how many
    were reached but not counted by sex and age."""
    (totals,) = implementers_by(
        _people(reach(filters)),
        (),
        {
            **{f"partners_{name}": Q(**{f"{name}__isnull": False}) for name in SEX_AND_AGE},
            "partners_not_disaggregated": NOT_DISAGGREGATED,
        },
        {
            **{f"sum_{name}": Sum(name) for name in SEX_AND_AGE},
            "not_disaggregated": Sum(F("total") - _broken_down(), output_field=IntegerField()),
        },
    )
    result = {name: totals[f"sum_{name}"] for name in SEX_AND_AGE}
    result["not_disaggregated"] = totals["not_disaggregated"]
    # The organisations each figure comes from (the disclosure policy's count).
    result["partners"] = {name: totals[f"partners_{name}"] for name in SEX_AND_AGE}
    result["partners"]["not_disaggregated"] = totals["partners_not_disaggregated"]
    return result


@cached
def by_organisation(filters: Filters) -> list[dict]:
    """Each reporting organisation's figures (members and coordinators only)."""
    found = {
        row["organisation"]: row
        for row in distinct_counts(
            reach(filters),
            ("organisation",),
            {"areas": "area", "activities": "activity"},
            {"people_reached": Sum("total", filter=PEOPLE), "report_rows": Sum("rows")},
        )
    }
    names = Organisation.objects.filter(pk__in=found).order_by("name_en", "pk")
    return [
        {
            "organisation": organisation.pk,
            "organisation__name_en": organisation.name_en,
            "organisation__name_ar": organisation.name_ar,
            "people": found[organisation.pk]["people_reached"],
            "rows": found[organisation.pk]["report_rows"],
            "areas": found[organisation.pk]["areas"],
            "activities": found[organisation.pk]["activities"],
        }
        for organisation in names.only("name_en", "name_ar")
    ]


@cached
def reporting_partners(filters: Filters) -> list[dict]:
    """The organisations with validated figures in the range, by name."""
    return list(
        reach(filters)
        .order_by()
        .values("organisation__name_en", "organisation__name_ar", "organisation__acronym")
        .distinct()
        .order_by("organisation__name_en")
    )


# --- assessments ------------------------------------------------------------------------------


def assessments_in_range(filters: Filters) -> QuerySet[Assessment]:
    """Published assessments whose fieldwork overlaps the range (public ones unless detailed)."""
    queryset = Assessment.objects.published() if filters.detailed else Assessment.objects.public()
    end = add_months(filters.last_month, 1)
    return queryset.filter(start_date__lt=end, end_date__gte=filters.first_month)


def _area_at(level: int, relation: str = "area") -> Case:
    """The admin area at ``level`` that a finding's or row's area lies in (None above it).

    A finding for a whole admin1 area applies to each admin2 inside it: at admin2 it is
    joined once per admin2 child through the ``admin2_child`` relation.
    """
    if level == 1:
        return Case(
            When(**{f"{relation}__level": 1}, then=F(relation)),
            When(**{f"{relation}__level": 2}, then=F(f"{relation}__parent")),
            When(**{f"{relation}__level": 3}, then=F(f"{relation}__parent__parent")),
            output_field=IntegerField(),
        )
    return Case(
        When(**{f"{relation}__level": 1}, then=F("admin2_child__pk")),
        When(**{f"{relation}__level": 2}, then=F(relation)),
        When(**{f"{relation}__level": 3}, then=F(f"{relation}__parent")),
        output_field=IntegerField(),
    )


def findings_by_area(findings: QuerySet[Finding], level: int) -> QuerySet[Finding]:
    """Findings annotated with ``target``, the admin area (of ``level``) each applies to."""
    if level == 2:
        findings = findings.annotate(
            admin2_child=FilteredRelation("area__children", condition=Q(area__children__level=2))
        )
    return findings.annotate(target=_area_at(level)).exclude(target=None)


def areas_by_id(ids) -> dict[int, AdminArea]:
    """The areas of ``ids`` that exist, read from the cache."""
    return _names(set(ids))


def _names(level_ids: set[int]) -> dict[int, AdminArea]:
    areas = _areas()
    return {pk: areas[pk] for pk in level_ids if pk in areas}


@cached(figures=False)
def _areas() -> dict[int, AdminArea]:
    """Every admin area with its parent, kept until the areas change: read back from the
    cache in 2.5 ms, where the query and its 320 instances took 10 ms per table."""
    return AdminArea.objects.select_related("parent").in_bulk()


def severity_by_area(filters: Filters) -> list[dict]:
    """The highest severity found per area in the range, and by how many assessments.

    Public: by admin1, findings in smaller areas rolled up into their admin1. Detailed: by
    admin2, a finding for a whole admin1 area applying to each admin2 inside it.
    """
    rows = _severity_figures(filters)
    areas = _names({row["target"] for row in rows})
    inside = filters.area
    result = [
        {**row, "area": areas[row["target"]]}
        for row in rows
        if inside is None
        or areas[row["target"]].path.startswith(inside.path)
        or inside.path.startswith(areas[row["target"]].path)
    ]
    return sorted(result, key=lambda row: row["area"].path)


@cached
def _severity_figures(filters: Filters) -> list[dict]:
    """``severity_by_area``'s figures by area id (the areas joined on reading)."""
    level = 2 if filters.detailed else 1
    findings = Finding.objects.filter(assessment__in=assessments_in_range(filters))
    return list(
        findings_by_area(findings, level)
        .order_by()
        .values("target")
        .annotate(severity=Max("severity"), assessments=Count("assessment", distinct=True))
    )
