"""The activity catalogue: coordinators add, edit and retire the activities partners report."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from activities.models import SEX_AND_AGE, Activity, Collects
from strategy.models import HealthDomain, Indicator, IndicatorKind

# Other indicators an activity feeds than its own: the relation, and whether it takes rates.
FEEDS = {"also_counts_towards": False, "numerator_of": True, "denominator_of": True}

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


def _check(activity: Activity, domains: list[HealthDomain], feeds: dict) -> None:
    errors = {}
    if Activity.objects.filter(code__iexact=activity.code.strip()).exclude(pk=activity.pk).exists():
        errors["code"] = _("Another activity has this code.")
    if not domains:
        errors["domains"] = _("Choose at least one health domain.")
    errors.update(_feed_errors(feeds))
    if errors:
        raise ValidationError(errors)


def _feed_errors(feeds: dict[str, list[Indicator]]) -> dict:
    """Rates take numerators and denominators; other indicators take counted figures."""
    errors = {}
    for relation, takes_rates in FEEDS.items():
        wrong = [
            i for i in feeds.get(relation, ()) if (i.kind == IndicatorKind.RATE) != takes_rates
        ]
        if wrong and takes_rates:
            errors[relation] = _(
                "Only a rate or proportion has a numerator and a denominator: %(codes)s is not one."
            ) % {"codes": ", ".join(i.code for i in wrong)}
        elif wrong:
            errors[relation] = _(
                "A rate or proportion takes an activity as its numerator or denominator, not as "
                "a figure to add: %(codes)s."
            ) % {"codes": ", ".join(i.code for i in wrong)}
    both = set(feeds.get("numerator_of", ())) & set(feeds.get("denominator_of", ()))
    if both:
        errors["denominator_of"] = _(
            "An activity cannot be both the numerator and the denominator of %(codes)s."
        ) % {"codes": ", ".join(sorted(i.code for i in both))}
    return errors


def _save(activity: Activity, domains: list[HealthDomain], by, feeds: dict) -> Activity:
    activity.code = activity.code.strip()
    if activity.collects == Collects.COUNT:
        # Groups ticked before choosing a single count do not apply to it.
        for name in SEX_AND_AGE:
            setattr(activity, f"counts_{name}", False)
    activity._history_user = by
    activity.full_clean(exclude=["domains"], validate_unique=False)
    activity.save()
    activity.domains.set(domains)
    for relation, indicators in feeds.items():
        # Its own indicator already counts it.
        getattr(activity, relation).set([i for i in indicators if i.pk != activity.indicator_id])
    return activity


def _feeds(feeds: dict | None) -> dict[str, list[Indicator]]:
    unknown = set(feeds or {}) - set(FEEDS)
    if unknown:
        raise TypeError(f"Not an indicator relation of an activity: {', '.join(sorted(unknown))}")
    return {relation: list(indicators) for relation, indicators in (feeds or {}).items()}


@transaction.atomic
def activity_create(
    *, domains: Iterable[HealthDomain], by, feeds: dict | None = None, **fields
) -> Activity:
    """Add an activity to the catalogue; ``fields`` are the model's editable fields, ``feeds``
    the other indicators it feeds (``also_counts_towards``, ``numerator_of``,
    ``denominator_of``)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not an editable activity field: {', '.join(sorted(unknown))}")
    activity = Activity(**fields)
    domains, feeds = list(domains), _feeds(feeds)
    _check(activity, domains, feeds)
    return _save(activity, domains, by, feeds)


@transaction.atomic
def activity_update(
    *, activity: Activity, domains: Iterable[HealthDomain], by, feeds: dict | None = None, **fields
) -> Activity:
    """Change an activity; reports already made keep pointing at it, with their figures.

    A change of the figures it collects applies to rows entered or corrected from then on;
    rows already saved are not rewritten. A change of the indicators it feeds changes the
    figures at once, published bulletins excepted (they keep their snapshot).
    """
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not an editable activity field: {', '.join(sorted(unknown))}")
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    for name, value in fields.items():
        setattr(activity, name, value)
    domains, feeds = list(domains), _feeds(feeds)
    _check(activity, domains, feeds)
    return _save(activity, domains, by, feeds)


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
