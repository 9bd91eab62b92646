"""Filters of the list of attacks on health care, and of its SSA export: a range of months,
an area (with the areas inside it), a type of attack and the verification state.

The filter set narrows the queryset it is given (the incidents the user may see, from
``facilities.incident_selectors``); it never widens it.
"""

import datetime

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.forms import MonthField
from core.widgets import DirectSelect
from facilities.models import AttackType, IncidentState
from locations.models import AdminArea, AdminLevel


class AreaChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: AdminArea) -> str:
        indent = "\u2003" * max(obj.level - 1, 0)
        return f"{indent}{obj.name} ({obj.pcode})"


class NamedChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj.name)


class MonthFilter(django_filters.Filter):
    field_class = MonthField


class AreaFilter(django_filters.ModelChoiceFilter):
    field_class = AreaChoice


class TypeFilter(django_filters.ModelChoiceFilter):
    field_class = NamedChoice


def _select() -> DirectSelect:
    # Options written as one string, not a template each: the area filter has hundreds.
    return DirectSelect(attrs={"class": "form-select"})


def _areas(request=None) -> QuerySet:
    # Governorates and districts: choosing one includes what is inside it.
    return AdminArea.objects.filter(
        level__gte=AdminLevel.ADMIN1, level__lte=AdminLevel.ADMIN2
    ).order_by("path")


def _next_month(month: datetime.date) -> datetime.date:
    return datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)


class IncidentFilter(django_filters.FilterSet):
    first_month = MonthFilter(label=_("From month"), method="filter_first_month")
    last_month = MonthFilter(label=_("To month"), method="filter_last_month")
    area = AreaFilter(
        label=_("Area (with the areas inside it)"),
        queryset=_areas,
        to_field_name="pcode",
        empty_label=_("All areas"),
        method="filter_area",
        widget=_select(),
    )
    type = TypeFilter(
        label=_("Type of attack"),
        queryset=AttackType.objects.order_by("order", "code"),
        to_field_name="code",
        empty_label=_("All types"),
        field_name="attack_types",
        widget=_select(),
    )
    state = django_filters.ChoiceFilter(
        label=_("Verification"),
        choices=IncidentState.choices,
        empty_label=_("Any"),
        widget=_select(),
    )

    def filter_first_month(
        self, queryset: QuerySet, name: str, value: datetime.date | None
    ) -> QuerySet:
        return queryset.filter(date__gte=value) if value else queryset

    def filter_last_month(
        self, queryset: QuerySet, name: str, value: datetime.date | None
    ) -> QuerySet:
        return queryset.filter(date__lt=_next_month(value)) if value else queryset

    def filter_area(self, queryset: QuerySet, name: str, value: AdminArea | None) -> QuerySet:
        return queryset.filter(area__path__startswith=value.path) if value else queryset

    @property
    def is_narrowed(self) -> bool:
        """True when the person chose a filter."""
        if not self.is_bound:
            return False
        self.form.is_valid()  # a filter that cannot be read is left out, the others count
        return any(value not in (None, "") for value in self.form.cleaned_data.values())
