"""Reads of the admin area tree for pages, the search endpoint and the area picker, and of
the population per area."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, Count, F, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber

from core.bilingual import bilingual_expression
from locations.models import AdminArea, AdminAreaQuerySet, AdminLevel, AreaPopulation

SEARCH_LIMIT = 30


def area_counts_by_level() -> list[dict]:
    """Each level with its label and number of areas, in level order (one query)."""
    counts = dict(AdminArea.objects.order_by().values_list("level").annotate(total=Count("id")))
    return [
        {"level": level, "label": label, "count": counts.get(level, 0)}
        for level, label in AdminLevel.choices
    ]


def areas_for_browsing(parent: AdminArea | None) -> AdminAreaQuerySet:
    """The areas one step below ``parent`` (admin1 at the top), with their child counts."""
    if parent is None:
        areas = AdminArea.objects.at_level(AdminLevel.ADMIN1)
    else:
        areas = AdminArea.objects.filter(parent=parent)
    return areas.annotate(child_count=Count("children")).order_by(
        bilingual_expression("name"), "pcode"
    )


def area_search(
    query: str,
    *,
    levels: Iterable[int] | None = None,
    queryset: AdminAreaQuerySet | None = None,
    exclude: Iterable[str] = (),
    limit: int = SEARCH_LIMIT,
) -> list[AdminArea]:
    """Areas whose English name, Arabic name or p-code contains ``query``, in tree order.

    Returns at most ``limit`` areas with their parents loaded (one query); an empty
    query finds nothing.
    """
    query = query.strip()
    if not query:
        return []
    areas = AdminArea.objects.all() if queryset is None else queryset
    if levels:
        areas = areas.filter(level__in=list(levels))
    exclude = list(exclude)
    if exclude:
        areas = areas.exclude(pcode__in=exclude)
    matches = Q(name_en__icontains=query) | Q(name_ar__icontains=query) | Q(pcode__icontains=query)
    return list(areas.filter(matches).select_related("parent").order_by("path")[:limit])


@dataclass(frozen=True, slots=True)
class Population:
    """An area's population: the figure, the year it is for, where it comes from."""

    total: int
    year: int
    source: str


# Ranks a later year after every earlier one: no table covers ten thousand years.
LATER_YEARS = 10_000


def population_by_area(area_ids: Iterable[int], year: int) -> dict[int, Population]:
    """Each area's population for ``year`` (one query): the figure of the newest year not
    after it, or failing that the oldest year after it. Areas without any figure are left out.

    A map of 2026 thus shows the 2025 table while it is the newest, and a map of 2019 the
    oldest table when none is as old.
    """
    # A queryset of ids stays a subquery of the one query; a list of none asks nothing.
    ids = area_ids if isinstance(area_ids, QuerySet) else list(area_ids)
    if isinstance(ids, list) and not ids:
        return {}
    distance = Case(
        When(year__lte=year, then=Value(year) - F("year")),
        default=F("year") - Value(year) + Value(LATER_YEARS),
    )
    rows = (
        AreaPopulation.objects.filter(area_id__in=ids)
        .annotate(rank=Window(RowNumber(), partition_by=[F("area_id")], order_by=distance.asc()))
        .filter(rank=1)
        .values_list("area_id", "total", "year", "source")
    )
    return {area_id: Population(total, found, source) for area_id, total, found, source in rows}


def population_years() -> list[dict]:
    """Each year and source of figures loaded, with the number of areas, newest first."""
    return list(
        AreaPopulation.objects.order_by()
        .values("year", "source")
        .annotate(areas=Count("id"))
        .order_by("-year", "source")
    )
