"""Reads of the admin area tree for pages, the search endpoint and the area picker."""

from collections.abc import Iterable

from django.db.models import Count, Q

from core.bilingual import bilingual_expression
from locations.models import AdminArea, AdminAreaQuerySet, AdminLevel

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
