"""Filters of the validated report rows, shared by the exports and any list of rows.

Period range (from / to month), organisation (reporting or implementing), activity,
indicator, area (with every area inside it, by path prefix), health domain and the
reporting organisation's type.
"""

import datetime

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy

from activities.forms.reports import OrganisationChoice
from activities.models import Activity, Report, ReportRow
from core.bilingual import bilingual_expression
from core.forms import MonthField
from core.widgets import DirectSelect
from locations.models import AdminArea
from partners.disclosure import PUBLIC_AREA_LEVEL, refusal_error, refused_filters
from partners.models import Organisation, OrganisationType
from strategy.models import HealthDomain, Indicator

# Admin3 areas are too many for a select; admin1 and admin2 cover the export needs and
# an admin2 area includes its admin3 areas.
AREA_FILTER_MAX_LEVEL = 2


class MonthFilter(django_filters.Filter):
    field_class = MonthField


class NamedChoice(forms.ModelChoiceField):
    """Choices labelled with the bilingual name in the active language."""

    def label_from_instance(self, obj) -> str:
        return str(obj.name)


class AreaChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: AdminArea) -> str:
        indent = "\u2003" * max(obj.level - 1, 0)
        return f"{indent}{obj.name} ({obj.pcode})"


class ActivityChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Activity) -> str:
        return f"{obj.code} {obj.name}"


class IndicatorChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Indicator) -> str:
        return f"{obj.code} {obj.name}"


def _select() -> forms.Select:
    # Options written as one string, not a template each: the area filter has hundreds.
    return DirectSelect(attrs={"class": "form-select"})


class ReportRowFilter(django_filters.FilterSet):
    """What the user chose to export.

    For the ``public`` there is no organisation, no type of organisation and no area below
    admin1 (``partners.disclosure``): a query string that asks for one is refused as a whole,
    with the policy's reason as the form's error.
    """

    period_from = MonthFilter(label=gettext_lazy("From month"), method="filter_period_from")
    period_to = MonthFilter(label=gettext_lazy("To month"), method="filter_period_to")
    organisation = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Organisation (reporting or implementing)"),
        queryset=Organisation.objects.none(),
        empty_label=gettext_lazy("All organisations"),
        widget=_select(),
        method="filter_organisation",
    )
    organisation_type = django_filters.ChoiceFilter(
        label=gettext_lazy("Type of reporting organisation"),
        choices=OrganisationType.choices,
        empty_label=gettext_lazy("All types"),
        widget=_select(),
        field_name="report__organisation__type",
    )
    activity = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Activity"),
        queryset=Activity.objects.none(),
        empty_label=gettext_lazy("All activities"),
        widget=_select(),
    )
    indicator = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Indicator"),
        queryset=Indicator.objects.none(),
        empty_label=gettext_lazy("All indicators"),
        widget=_select(),
        field_name="activity__indicator",
    )
    area = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Area (with the areas inside it)"),
        queryset=AdminArea.objects.none(),
        empty_label=gettext_lazy("All areas"),
        widget=_select(),
        method="filter_area",
    )
    domain = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Health domain"),
        queryset=HealthDomain.objects.none(),
        empty_label=gettext_lazy("All health domains"),
        widget=_select(),
        method="filter_domain",
    )

    class Meta:
        model = ReportRow
        fields: list[str] = []

    def __init__(self, data=None, *args, public: bool = False, **kwargs):
        self.refused = refused_filters(data) if public and data is not None else []
        if self.refused:
            # Read without them, so that only the reason is shown, not "not a valid choice".
            data = data.copy()
            for name in self.refused:
                data.pop(name, None)
        super().__init__(data, *args, **kwargs)
        choices = {
            "activity": (
                Activity.objects.select_related("indicator").order_by("order", "code"),
                ActivityChoice,
            ),
            "indicator": (Indicator.objects.order_by("cycle", "order", "code"), IndicatorChoice),
            "area": (
                AdminArea.objects.filter(level__gte=1, level__lte=AREA_FILTER_MAX_LEVEL).order_by(
                    "path"
                ),
                AreaChoice,
            ),
            "domain": (HealthDomain.objects.order_by("order", "code"), NamedChoice),
            "organisation": (
                # EXISTS on the indexed foreign keys: cheap however many rows there are.
                Organisation.objects.filter(
                    Exists(Report.objects.filter(organisation=OuterRef("pk")))
                    | Exists(ReportRow.objects.filter(implementing_organisation=OuterRef("pk")))
                ).order_by(bilingual_expression("name"), "pk"),
                OrganisationChoice,
            ),
        }
        for name, (queryset, field_class) in choices.items():
            self.filters[name].queryset = queryset
            self.filters[name].field_class = field_class
        if public:
            # The public sees totals by admin1 only: no figures of one organisation or type.
            del self.filters["organisation"]
            del self.filters["organisation_type"]
            self.filters["area"].queryset = AdminArea.objects.filter(
                level=PUBLIC_AREA_LEVEL
            ).order_by("path")

    @property
    def form(self) -> forms.Form:
        form = super().form
        if not getattr(form, "_accessible", False):
            form._accessible = True
            if self.refused and form.is_bound:
                form.add_error(None, refusal_error(self.refused))
            invalid = form.errors if form.is_bound else {}
            for name, field in form.fields.items():
                if field.help_text:
                    field.widget.attrs["aria-describedby"] = f"id_{name}-help"
                if name in invalid:
                    field.widget.attrs["aria-invalid"] = "true"
                    css = field.widget.attrs.get("class", "")
                    field.widget.attrs["class"] = f"{css} is-invalid".strip()
        return form

    def filter_period_from(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        return queryset.filter(
            Q(report__period__year__gt=value.year)
            | Q(report__period__year=value.year, report__period__month__gte=value.month)
        )

    def filter_period_to(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        return queryset.filter(
            Q(report__period__year__lt=value.year)
            | Q(report__period__year=value.year, report__period__month__lte=value.month)
        )

    def filter_organisation(self, queryset: QuerySet, name: str, value: Organisation) -> QuerySet:
        return queryset.filter(Q(report__organisation=value) | Q(implementing_organisation=value))

    def filter_area(self, queryset: QuerySet, name: str, value: AdminArea) -> QuerySet:
        return queryset.filter(area__path__startswith=value.path)

    def filter_domain(self, queryset: QuerySet, name: str, value: HealthDomain) -> QuerySet:
        # A subquery, not a join: a row counts once whatever its activity's other domains.
        return queryset.filter(activity__in=Activity.objects.filter(domains=value).values("pk"))

    def query_string(self) -> str:
        """The valid filters as a query string, to carry them onto the export links."""
        if not self.is_bound or not self.form.is_valid():
            return ""
        data = {}
        for name, value in self.form.cleaned_data.items():
            if value in (None, ""):
                continue
            if isinstance(value, datetime.date):
                data[name] = value.strftime("%Y-%m")
            elif hasattr(value, "pk"):
                data[name] = value.pk
            else:
                data[name] = value
        return urlencode(data)
