"""Filters of the public registry of needs assessments (the list and its exports).

The filter set narrows a queryset it is given (the published assessments the user may
see, from ``assessments.selectors``); it never widens it. Conditions on areas,
organisations and findings are subqueries, so each assessment stays once in the
results without SELECT DISTINCT and the highest-severity annotation still counts every
finding of the assessment, not only the ones that matched.
"""

import django_filters
from django import forms
from django.db.models import F, Q, QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment, AssessmentType, Finding, Severity
from assessments.selectors import registry_organisations
from core.bilingual import bilingual_expression
from core.forms import DateInput
from core.widgets import DirectSelect
from locations.models import AdminArea
from partners.models import Organisation
from strategy.models import HealthDomain

# The area filter offers the upper levels only: a long list of villages would weigh on
# slow links, and choosing a governorate or a district already includes what is inside.
AREA_FILTER_MAX_LEVEL = 2


class SortOrder:
    NEWEST = "newest"
    OLDEST = "oldest"
    TITLE = "title"
    SEVERITY = "severity"

    choices = [
        (NEWEST, _("Newest first")),
        (OLDEST, _("Oldest first")),
        (TITLE, _("Title")),
        (SEVERITY, _("Highest severity first")),
    ]


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AdminArea) -> str:
        indent = "\u2003" * max(obj.level - 1, 0)
        return f"{indent}{obj.name} ({obj.pcode})"


class AreaFilter(django_filters.ModelChoiceFilter):
    field_class = AreaChoiceField


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return str(obj)


class OrganisationFilter(django_filters.ModelChoiceFilter):
    field_class = OrganisationChoiceField


class DomainChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: HealthDomain) -> str:
        return str(obj.name)


class DomainFilter(django_filters.ModelChoiceFilter):
    field_class = DomainChoiceField


def _areas(request=None) -> QuerySet:
    return AdminArea.objects.filter(level__gte=1, level__lte=AREA_FILTER_MAX_LEVEL).order_by("path")


def _organisations(request=None) -> QuerySet:
    # Computed from the assessments the person may read, never from all of them.
    return registry_organisations(getattr(request, "user", None))


def _domains(request=None) -> QuerySet:
    return HealthDomain.objects.order_by("order", "code")


def _select() -> forms.Select:
    # Options written as one string, not a template each: the area filter has hundreds.
    return DirectSelect(attrs={"class": "form-select"})


class AssessmentRegistryFilter(django_filters.FilterSet):
    """Search, type, area, organisation, period, health domain, severity and sort order."""

    q = django_filters.CharFilter(
        label=_("Title contains"),
        method="filter_title",
        widget=forms.TextInput(attrs={"type": "search", "class": "form-control"}),
    )
    type = django_filters.ChoiceFilter(
        label=_("Type of assessment"),
        choices=AssessmentType.choices,
        empty_label=_("All types"),
        widget=_select(),
    )
    area = AreaFilter(
        label=_("Area"),
        queryset=_areas,
        to_field_name="pcode",
        empty_label=_("All areas"),
        method="filter_area",
        widget=_select(),
    )
    organisation = OrganisationFilter(
        label=_("Organisation (lead or participating)"),
        queryset=_organisations,
        empty_label=_("All organisations"),
        method="filter_organisation",
        widget=_select(),
    )
    date_from = django_filters.DateFilter(
        label=_("Carried out from"),
        method="filter_date_from",
        widget=DateInput(attrs={"class": "form-control"}),
        help_text=_("Assessments that ended on or after this day."),
    )
    date_to = django_filters.DateFilter(
        label=_("Carried out until"),
        method="filter_date_to",
        widget=DateInput(attrs={"class": "form-control"}),
        help_text=_("Assessments that started on or before this day."),
    )
    domain = DomainFilter(
        label=_("Health domain"),
        queryset=_domains,
        to_field_name="code",
        empty_label=_("All health domains"),
        method="filter_findings",
        widget=_select(),
    )
    min_severity = django_filters.ChoiceFilter(
        label=_("Minimum severity"),
        choices=[
            (value, format_lazy("{} \N{EN DASH} {}", value, label))
            for value, label in Severity.choices
        ],
        empty_label=_("Any severity"),
        method="filter_findings",
        widget=_select(),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=SortOrder.choices,
        empty_label=None,
        null_label=None,
        method="sort_results",
        widget=_select(),
    )

    def filter_title(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title_en__icontains=value) | Q(title_ar__icontains=value))

    def filter_area(self, queryset: QuerySet, name: str, value: AdminArea | None) -> QuerySet:
        if value is None:
            return queryset
        # An assessment of a district covers its governorate too; one whose areas are
        # wider but whose findings sit inside the chosen area also concerns it.
        covering = Assessment.areas.through.objects.filter(
            adminarea__path__startswith=value.path
        ).values("assessment_id")
        with_findings = Finding.objects.filter(area__path__startswith=value.path).values(
            "assessment_id"
        )
        return queryset.filter(Q(pk__in=covering) | Q(pk__in=with_findings))

    def filter_organisation(
        self, queryset: QuerySet, name: str, value: Organisation | None
    ) -> QuerySet:
        if value is None:
            return queryset
        joined = Assessment.participating_organisations.through.objects.filter(
            organisation=value
        ).values("assessment_id")
        return queryset.filter(Q(lead_organisation=value) | Q(pk__in=joined))

    def filter_date_from(self, queryset: QuerySet, name: str, value) -> QuerySet:
        # Periods overlap when each starts before the other ends.
        return queryset.filter(end_date__gte=value) if value else queryset

    def filter_date_to(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(start_date__lte=value) if value else queryset

    def filter_findings(self, queryset: QuerySet, name: str, value) -> QuerySet:
        # Domain and minimum severity apply together to the same finding
        # (see filter_queryset); each filter alone is a no-op here.
        return queryset

    def sort_results(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # Applied in filter_queryset, so an empty or missing choice sorts too.
        return queryset

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        finding_conditions = {}
        if data.get("domain") is not None:
            finding_conditions["domain"] = data["domain"]
        if data.get("min_severity"):
            finding_conditions["severity__gte"] = int(data["min_severity"])
        if finding_conditions:
            # "Severe needs in nutrition" means one finding that is both.
            matching = Finding.objects.filter(**finding_conditions).values("assessment_id")
            queryset = queryset.filter(pk__in=matching)
        return queryset.order_by(*ordering(data.get("sort") or SortOrder.NEWEST))

    @property
    def is_narrowed(self) -> bool:
        """True when the person chose a filter (a sort order alone does not count)."""
        if not self.is_bound:
            return False
        chosen = self.form.cleaned_data
        return any(value not in (None, "") for key, value in chosen.items() if key != "sort")


def ordering(sort: str) -> list:
    """The ORDER BY of a sort choice; needs the ``highest_severity`` annotation for severity."""
    if sort == SortOrder.OLDEST:
        return ["start_date", "pk"]
    if sort == SortOrder.TITLE:
        return [bilingual_expression("title"), "pk"]
    if sort == SortOrder.SEVERITY:
        return [F("highest_severity").desc(nulls_last=True), "-start_date", "-pk"]
    return ["-start_date", "-pk"]
