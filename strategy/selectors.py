"""Reads of the strategy: the cluster profile, the current cycle and a cycle with its content.

Each returns its rows with their relations loaded, so a page makes the same handful of
queries however many objectives, indicators and domains the strategy has.
"""

from django.db.models import Count, Prefetch, QuerySet

from strategy.models import (
    ClusterProfile,
    HealthDomain,
    Indicator,
    StrategicObjective,
    StrategyCycle,
)


def cluster_profile_for_home() -> ClusterProfile:
    """The cluster profile with its lead agency and Ministry of Health co-chair loaded.

    Before a coordinator first saves the profile, an unsaved one with the defaults: a page
    view never writes to the database.
    """
    profile = ClusterProfile.objects.select_related("lead_agency", "co_chair").filter(pk=1).first()
    return profile or ClusterProfile(pk=1)


def current_cycle() -> StrategyCycle | None:
    """The cycle the public strategy page shows, or None before one is set up."""
    return StrategyCycle.objects.filter(is_current=True).first()


def cycles() -> QuerySet:
    """Every strategy cycle, the latest first."""
    return StrategyCycle.objects.order_by("-start_year", "-end_year")


def _objectives() -> Prefetch:
    # How many activities of the catalogue feed each rate, by the catalogue's reverse names.
    indicators = (
        Indicator.objects.prefetch_related(
            Prefetch("domains", queryset=HealthDomain.objects.order_by("order", "code"))
        )
        .annotate(
            numerators=Count("numerator_activities", distinct=True),
            denominators=Count("denominator_activities", distinct=True),
        )
        .order_by("order", "code", "pk")
    )
    return Prefetch(
        "objectives",
        queryset=StrategicObjective.objects.select_related("priority")
        .prefetch_related(Prefetch("indicators", queryset=indicators))
        .order_by("order", "code", "pk"),
    )


def cycle_with_content(queryset: QuerySet | None = None) -> QuerySet:
    """Cycles with their priorities, approaches, objectives, indicators and domains loaded."""
    return (queryset if queryset is not None else StrategyCycle.objects.all()).prefetch_related(
        "priorities", "approaches", _objectives()
    )


def health_domains(*, include_retired: bool = False) -> QuerySet:
    domains = HealthDomain.objects.all() if include_retired else HealthDomain.objects.active()
    return domains.order_by("order", "code")
