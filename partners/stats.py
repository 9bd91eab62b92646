"""Public figures about the partners, for the home page and the directory."""

from django.db.models import Count

from partners.models import Organisation, OrganisationType


def approved_partner_count() -> int:
    """How many organisations are approved partners of the cluster."""
    return Organisation.objects.approved().count()


def partner_counts_by_type(queryset=None) -> list[tuple[str, str, int]]:
    """(type code, translated label, count) for each type with approved partners, in the
    order of the type choices. Pass a queryset to count a filtered set instead."""
    organisations = Organisation.objects.approved() if queryset is None else queryset
    counts = dict(
        organisations.order_by().values_list("type").annotate(total=Count("pk", distinct=True))
    )
    return [
        (code, label, counts[code]) for code, label in OrganisationType.choices if counts.get(code)
    ]
