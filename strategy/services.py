"""Changes to the strategy, made by coordinators from the portal's editing pages.

Each function validates the whole record (the model's ``clean`` and its database
constraints) and saves it in one transaction. django-simple-history records who
changed what, from the request. Forms hand over unsaved instances.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from strategy.models import (
    ClusterProfile,
    HealthDomain,
    Indicator,
    StrategicApproach,
    StrategicObjective,
    StrategicPriority,
    StrategyCycle,
)


@transaction.atomic
def cluster_profile_save(*, profile: ClusterProfile) -> ClusterProfile:
    profile.full_clean()
    profile.save()
    return profile


@transaction.atomic
def cycle_save(*, cycle: StrategyCycle) -> StrategyCycle:
    """Save a cycle; making it current makes the previous current cycle an earlier one."""
    cycle.full_clean(validate_constraints=False)
    if cycle.is_current:
        # One by one rather than update(), so that the history records each change.
        for previous in StrategyCycle.objects.select_for_update().filter(is_current=True):
            if previous.pk != cycle.pk:
                previous.is_current = False
                previous.save(update_fields=["is_current"])
    cycle.validate_constraints()
    cycle.save()
    return cycle


@transaction.atomic
def priority_save(*, priority: StrategicPriority) -> StrategicPriority:
    priority.full_clean()
    priority.save()
    return priority


@transaction.atomic
def priority_delete(*, priority: StrategicPriority) -> None:
    """Objectives under the priority stay, without a priority."""
    priority.delete()


@transaction.atomic
def approach_save(*, approach: StrategicApproach) -> StrategicApproach:
    approach.full_clean()
    approach.save()
    return approach


@transaction.atomic
def approach_delete(*, approach: StrategicApproach) -> None:
    approach.delete()


@transaction.atomic
def objective_save(*, objective: StrategicObjective) -> StrategicObjective:
    """Save an objective; the indicators under it follow the cycle it belongs to."""
    objective.full_clean()
    objective.save()
    return objective


@transaction.atomic
def objective_delete(*, objective: StrategicObjective) -> None:
    """An objective that still has indicators is kept: they would be lost with it."""
    if objective.indicators.exists():
        raise ValidationError(
            _("This objective still has indicators. Delete or move its indicators first."),
            code="objective_has_indicators",
        )
    objective.delete()


@transaction.atomic
def indicator_save(*, indicator: Indicator, domains: Iterable[HealthDomain]) -> Indicator:
    indicator.full_clean(exclude=["cycle"])
    indicator.save()
    domains = list(domains)
    if {d.pk for d in indicator.domains.all()} != {d.pk for d in domains}:
        indicator.domains.set(domains)
    return indicator


@transaction.atomic
def indicator_delete(*, indicator: Indicator) -> None:
    indicator.delete()


@transaction.atomic
def health_domain_save(*, domain: HealthDomain) -> HealthDomain:
    domain.full_clean()
    domain.save()
    return domain


@transaction.atomic
def health_domain_set_active(*, domain: HealthDomain, active: bool) -> HealthDomain:
    """Retire a domain (it stays on past records but is no longer offered) or bring it back."""
    if domain.is_active != active:
        domain.is_active = active
        domain.save(update_fields=["is_active"])
    return domain
