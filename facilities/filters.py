"""Filters of the facility registry's list.

The filter set narrows the queryset it is given (``facilities.selectors.registry``, which
annotates the current status); it never widens it. Conditions on supports are subqueries,
so each facility stays once in the results.
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.widgets import DirectSelect
from facilities.models import Facility, FacilitySupport, FacilityType, Functionality, Ownership
from facilities.selectors import NO_RECENT_DATA, support_rule
from locations.models import AdminArea
from partners.models import Organisation

# Governorates and districts: choosing one includes what is inside it.
AREA_FILTER_MAX_LEVEL = 2


class NamedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj)


class NamedChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = NamedChoiceField


def _areas(request=None) -> QuerySet[AdminArea]:
    return AdminArea.objects.filter(level__gte=1, level__lte=AREA_FILTER_MAX_LEVEL).order_by("path")


def _types(request=None) -> QuerySet[FacilityType]:
    return FacilityType.objects.all()


def _supporting(request=None) -> QuerySet[Organisation]:
    # Only organisations that support some facility: the list stays short.
    return Organisation.objects.filter(
        Exists(FacilitySupport.objects.filter(organisation=OuterRef("pk")))
    ).order_by("name_en")


def _select() -> DirectSelect:
    return DirectSelect(attrs={"class": "form-select"})


class FacilityFilter(django_filters.FilterSet):
    """Search, area, type, current functionality, ownership and supporting organisation."""

    q = django_filters.CharFilter(
        label=_("Name or code contains"),
        method="filter_text",
        widget=forms.TextInput(attrs={"type": "search", "class": "form-control"}),
    )
    area = NamedChoiceFilter(
        label=_("Area"),
        queryset=_areas,
        to_field_name="pcode",
        empty_label=_("All areas"),
        method="filter_area",
        widget=_select(),
    )
    type = NamedChoiceFilter(
        label=_("Type"),
        queryset=_types,
        to_field_name="code",
        empty_label=_("All types"),
        widget=_select(),
    )
    functionality = django_filters.ChoiceFilter(
        label=_("Current functionality"),
        choices=[*Functionality.choices, (NO_RECENT_DATA, _("No recent data"))],
        empty_label=_("Any"),
        method="filter_functionality",
        widget=_select(),
    )
    ownership = django_filters.ChoiceFilter(
        label=_("Ownership"),
        choices=Ownership.choices,
        empty_label=_("Any"),
        widget=_select(),
    )
    organisation = NamedChoiceFilter(
        label=_("Supported by"),
        queryset=_supporting,
        empty_label=_("Any organisation"),
        method="filter_organisation",
        widget=_select(),
    )

    class Meta:
        model = Facility
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name_en__icontains=value) | Q(name_ar__icontains=value) | Q(code__icontains=value)
        )

    def filter_area(self, queryset: QuerySet, name: str, value: AdminArea | None) -> QuerySet:
        return queryset.filter(area__path__startswith=value.path) if value else queryset

    def filter_functionality(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        if value == NO_RECENT_DATA:
            return queryset.filter(current_functionality__isnull=True)
        return queryset.filter(current_functionality=value)

    def filter_organisation(
        self, queryset: QuerySet, name: str, value: Organisation | None
    ) -> QuerySet:
        if value is None:
            return queryset
        running = FacilitySupport.objects.filter(
            support_rule(timezone.localdate()), organisation=value, facility=OuterRef("pk")
        )
        return queryset.filter(Exists(running))

    @property
    def is_narrowed(self) -> bool:
        if not self.is_bound or not self.form.is_valid():
            return False
        return any(value not in (None, "") for value in self.form.cleaned_data.values())
