"""The activity catalogue: coordinators add, edit and retire the activities partners report."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from activities.models import SEX_AND_AGE, Activity, Collects
from strategy.models import HealthDomain

EDITABLE_FIELDS = (
    "code",
    "name_en",
    "name_ar",
    "description_en",
    "description_ar",
    "indicator",
    "unit",
    "collects",
    "counts_girls",
    "counts_boys",
    "counts_women",
    "counts_men",
    "counts_older_people",
    "counts_disability",
    "order",
    "is_active",
)


def _check(activity: Activity, domains: list[HealthDomain]) -> None:
    errors = {}
    if Activity.objects.filter(code__iexact=activity.code.strip()).exclude(pk=activity.pk).exists():
        errors["code"] = _("Another activity has this code.")
    if not domains:
        errors["domains"] = _("Choose at least one health domain.")
    if errors:
        raise ValidationError(errors)


def _save(activity: Activity, domains: list[HealthDomain], by) -> Activity:
    activity.code = activity.code.strip()
    if activity.collects == Collects.COUNT:
        # Groups ticked before choosing a single count do not apply to it.
        for name in SEX_AND_AGE:
            setattr(activity, f"counts_{name}", False)
    activity._history_user = by
    activity.full_clean(exclude=["domains"], validate_unique=False)
    activity.save()
    activity.domains.set(domains)
    return activity


@transaction.atomic
def activity_create(*, domains: Iterable[HealthDomain], by, **fields) -> Activity:
    """Add an activity to the catalogue; ``fields`` are the model's editable fields."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not an editable activity field: {', '.join(sorted(unknown))}")
    activity = Activity(**fields)
    domains = list(domains)
    _check(activity, domains)
    return _save(activity, domains, by)


@transaction.atomic
def activity_update(
    *, activity: Activity, domains: Iterable[HealthDomain], by, **fields
) -> Activity:
    """Change an activity; reports already made keep pointing at it, with their figures.

    A change of the figures it collects applies to rows entered or corrected from then on;
    rows already saved are not rewritten.
    """
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not an editable activity field: {', '.join(sorted(unknown))}")
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    for name, value in fields.items():
        setattr(activity, name, value)
    domains = list(domains)
    _check(activity, domains)
    return _save(activity, domains, by)


@transaction.atomic
def activity_retire(*, activity: Activity, by) -> Activity:
    """Take an activity out of the catalogue: new rows cannot use it, past rows keep it."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if not activity.is_active:
        raise ValidationError(
            _("This activity is already out of the catalogue."), code="already_retired"
        )
    activity.is_active = False
    activity._history_user = by
    activity.save(update_fields=["is_active"])
    return activity
