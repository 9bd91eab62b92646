"""Filters the API adds where its page has no filter form of its own; every other endpoint
uses its page's filter set as it is."""

import copy

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from assessments.filters import AssessmentRegistryFilter
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


class AssessmentApiFilter(AssessmentRegistryFilter):
    """The registry's own filters. Its health domain is chosen by code through a filter
    method, whose type the schema cannot guess: it is said here, so that the schema is
    exact and `check --deploy` stays clean."""

    domain = extend_schema_field(OpenApiTypes.STR)(
        copy.deepcopy(AssessmentRegistryFilter.base_filters["domain"])
    )
