"""Filters of the public bulletin archive: the year covered and the language.

The filter set narrows the queryset it is given (``selectors.public_bulletins``); it never
widens it to drafts.
"""

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from bulletins import selectors
from bulletins.models import edition_languages


def _select() -> forms.Select:
    return forms.Select(attrs={"class": "form-select"})


def _years() -> list[tuple[int, str]]:
    return [(year, str(year)) for year in selectors.public_years()]


class BulletinArchiveFilter(django_filters.FilterSet):
    year = django_filters.ChoiceFilter(
        label=_("Year covered"),
        choices=_years,
        empty_label=_("All years"),
        method="filter_year",
        widget=_select(),
    )
    language = django_filters.ChoiceFilter(
        label=_("Language of the bulletin"),
        choices=edition_languages,
        empty_label=_("All languages"),
        method="filter_language",
        widget=_select(),
    )

    def filter_year(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # A bulletin from December to February belongs to both years.
        if not value:
            return queryset
        year = int(value)  # one of the choices, all of them years
        return queryset.filter(first_month__year__lte=year, last_month__year__gte=year)

    def filter_language(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Bulletins with a public edition in the language."""
        if not value:
            return queryset
        return queryset.filter(
            editions__language=value, editions__published_at__isnull=False
        ).distinct()

    @property
    def is_narrowed(self) -> bool:
        if not self.is_bound or not self.form.is_valid():
            return False
        return any(value not in (None, "") for value in self.form.cleaned_data.values())
