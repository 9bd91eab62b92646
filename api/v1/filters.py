"""Filters the API adds where its page has no filter form of its own; every other endpoint
uses its page's filter set as it is."""

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from locations.models import AdminArea, AdminLevel


class AdminAreaFilter(django_filters.FilterSet):
    """The areas page browses one level down from a parent; the API lets the level and the
    parent be asked directly."""

    level = django_filters.TypedChoiceFilter(
        label=_("Level"), choices=AdminLevel.choices, coerce=int
    )
    parent = django_filters.CharFilter(
        label=_("Parent p-code"), method="filter_parent", max_length=32
    )

    class Meta:
        model = AdminArea
        fields = ["level", "parent"]

    def filter_parent(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(parent__pcode=value) if value else queryset
