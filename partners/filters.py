"""Filters of the public directory and of the coordinators' list of organisations."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from locations.models import AdminArea
from partners.models import Organisation, OrganisationStatus, OrganisationType

# The area filter offers the upper levels only: a long list of villages would weigh
# on slow links, and choosing a governorate or district already includes what is inside.
AREA_FILTER_MAX_LEVEL = 2


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AdminArea) -> str:
        indent = "\u2003" * max(obj.level - 1, 0)
        return f"{indent}{obj.name} ({obj.pcode})"


class AreaFilter(django_filters.ModelChoiceFilter):
    field_class = AreaChoiceField


def _search(queryset: QuerySet, name: str, value: str) -> QuerySet:
    value = value.strip()
    if not value:
        return queryset
    return queryset.filter(
        Q(name_en__icontains=value) | Q(name_ar__icontains=value) | Q(acronym__icontains=value)
    )


class OrganisationDirectoryFilter(django_filters.FilterSet):
    """Type, area (with everything inside it) and a name search."""

    q = django_filters.CharFilter(
        label=_("Name or acronym"),
        method=_search,
        widget=forms.TextInput(attrs={"type": "search", "class": "form-control"}),
    )
    type = django_filters.ChoiceFilter(
        label=_("Type"),
        choices=OrganisationType.choices,
        empty_label=_("All types"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    area = AreaFilter(
        label=_("Area"),
        queryset=AdminArea.objects.filter(level__gte=1, level__lte=AREA_FILTER_MAX_LEVEL),
        to_field_name="pcode",
        empty_label=_("All areas"),
        method="filter_area",
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def filter_area(self, queryset: QuerySet, name: str, value: AdminArea | None) -> QuerySet:
        if value is None:
            return queryset
        # An organisation working in a district also works in its governorate. A subquery
        # instead of a join keeps each organisation once without SELECT DISTINCT.
        working_there = Organisation.areas.through.objects.filter(
            adminarea__path__startswith=value.path
        ).values("organisation_id")
        return queryset.filter(pk__in=working_there)


class OrganisationReviewFilter(django_filters.FilterSet):
    """The coordinators' list: every status, and the same name search."""

    q = django_filters.CharFilter(
        label=_("Name or acronym"),
        method=_search,
        widget=forms.TextInput(attrs={"type": "search", "class": "form-control"}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=OrganisationStatus.choices,
        empty_label=_("All statuses"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
