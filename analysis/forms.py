"""The dashboard's forms: the filters every page shares, and the rules of the gaps page.

Both are read from the query string (GET). A form that does not validate never breaks the
page: the view shows its errors and the figures of the default filters instead.
"""

import datetime
import functools
from functools import cached_property

from django import forms
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from activities.filters import ActivityChoice, IndicatorChoice, MonthField
from activities.models import Activity
from analysis.cache import cached
from analysis.coordination import GapRules
from analysis.selectors import Filters, add_months, month_start
from core.bilingual import wants_arabic
from core.widgets import DirectSelect, SharedOptions, SharedOptionsSelect
from locations.models import AdminArea, AdminLevel
from partners.disclosure import refusal_error, refused_filters
from partners.models import OrganisationType
from strategy.models import Indicator, StrategicObjective

DEFAULT_MONTHS = 12
MAX_MONTHS = 120  # ten years
EARLIEST_MONTH = datetime.date(2000, 1, 1)


def _month_index(month: datetime.date) -> int:
    return month.year * 12 + month.month


def default_range(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The last twelve months, the current one included."""
    last = month_start(today or timezone.localdate())
    return add_months(last, 1 - DEFAULT_MONTHS), last


class ObjectiveChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: StrategicObjective) -> str:
        return f"{obj.code} {obj.title}"


def _select() -> forms.Select:
    return DirectSelect(attrs={"class": "form-select"})


def _area_label(area: AdminArea) -> str:
    name = (area.name_ar if wants_arabic() and area.name_ar else area.name_en) or area.pcode
    return f"{name} ({area.pcode})"


@cached(figures=False)
def area_choices(detailed: bool, language: str) -> list:
    """The area filter's choices: admin1 areas, each with its admin2 areas when ``detailed``."""
    with translation.override(language):
        top = AdminLevel.ADMIN2 if detailed else AdminLevel.ADMIN1
        areas = AdminArea.objects.filter(level__gte=AdminLevel.ADMIN1, level__lte=top)
        areas = areas.only("level", "parent_id", "pcode", "name_en", "name_ar", "path")
        areas = list(areas.order_by("path"))
        return [("", str(_("All areas"))), *_area_groups(areas, detailed)]


def _area_groups(areas: list[AdminArea], detailed: bool) -> list:
    if not detailed:
        return [(area.pk, _area_label(area)) for area in areas]
    # Each admin1 area opens a group holding itself and its admin2 areas (ordered by path).
    groups: dict[int, list] = {}
    names: dict[int, str] = {}
    for area in areas:
        if area.level == AdminLevel.ADMIN1:
            names[area.pk] = _area_label(area)
            groups[area.pk] = [
                (area.pk, str(_("%(area)s, the whole area") % {"area": _area_label(area)}))
            ]
        elif area.parent_id in groups:
            groups[area.parent_id].append((area.pk, _area_label(area)))
    return [(names[pk], options) for pk, options in groups.items()]


@cached(figures=False)
def area_options(detailed: bool, language: str) -> SharedOptions:
    return SharedOptions(area_choices(detailed, language))


# The selects whose options are read from the cache (until the strategy or the catalogue
# changes) rather than from the database on every page; their fields still check a choice.
CACHED_SELECTS = ("objective", "indicator", "activity")


@cached(figures=False)
def select_options(name: str, language: str) -> SharedOptions:
    with translation.override(language):
        return SharedOptions(DashboardFilterForm(detailed=True).fields[name].choices)


class DashboardFilterForm(forms.Form):
    """A range of months and optional filters; ``detailed`` offers admin2 areas and the type
    of organisation too. Without it (the public), a query string that asks for either is
    refused as a whole with the disclosure policy's reason, and the default figures shown."""

    FIELDS = (
        "first_month",
        "last_month",
        "objective",
        "indicator",
        "activity",
        "area",
        "organisation_type",
    )

    first_month = MonthField(label=_("First month"), required=False)
    last_month = MonthField(label=_("Last month"), required=False)
    objective = ObjectiveChoice(
        label=_("Strategic objective"),
        queryset=StrategicObjective.objects.none(),
        required=False,
        empty_label=_("All objectives"),
        widget=_select(),
    )
    indicator = IndicatorChoice(
        label=_("Indicator"),
        queryset=Indicator.objects.none(),
        required=False,
        empty_label=_("All indicators"),
        widget=_select(),
    )
    activity = ActivityChoice(
        label=_("Activity"),
        queryset=Activity.objects.none(),
        required=False,
        empty_label=_("All activities"),
        widget=_select(),
    )
    area = forms.TypedChoiceField(
        label=_("Area"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=_select(),
    )
    organisation_type = forms.ChoiceField(
        label=_("Type of implementing organisation"),
        choices=[("", _("All types")), *OrganisationType.choices],
        required=False,
        widget=_select(),
    )

    def __init__(
        self,
        data=None,
        *,
        detailed: bool,
        today: datetime.date | None = None,
    ):
        self.detailed = detailed
        self.first_default, self.last_default = default_range(today)
        self.latest_allowed = add_months(self.last_default, MAX_MONTHS)
        self.refused = [] if detailed or data is None else refused_filters(data)
        if self.refused:
            # Read without them, so that only the reason is shown, not "not a valid choice".
            data = data.copy()
            for name in self.refused:
                data.pop(name, None)
        super().__init__(
            data,
            initial={"first_month": self.first_default, "last_month": self.last_default},
        )
        if not detailed:
            del self.fields["organisation_type"]
        # The objectives and indicators of the current strategy cycle (none before one exists).
        self.fields["objective"].queryset = StrategicObjective.objects.filter(
            cycle__is_current=True
        ).order_by("order", "code")
        self.fields["indicator"].queryset = Indicator.objects.filter(
            cycle__is_current=True
        ).order_by("order", "code")
        self.fields["activity"].queryset = Activity.objects.order_by("order", "code")
        # Lazy, so that a chart or a file without an area filter does not load the areas; kept
        # in the cache per language until the areas change, and their options rendered once.
        language = get_language()
        self.fields["area"].choices = lambda: area_choices(detailed, language)
        self.fields["area"].widget = SharedOptionsSelect(
            lambda: area_options(detailed, language), attrs={"class": "form-select"}
        )
        for name in CACHED_SELECTS:
            self.fields[name].widget = SharedOptionsSelect(
                functools.partial(select_options, name, language), attrs={"class": "form-select"}
            )
        if detailed:
            self.fields["area"].help_text = _("An admin1 area, or an admin2 area inside it.")
        for name in ("first_month", "last_month"):
            self.fields[name].widget.attrs.update(
                {"min": f"{EARLIEST_MONTH:%Y-%m}", "max": f"{self.latest_allowed:%Y-%m}"}
            )
        self._mark_invalid_fields()

    @cached_property
    def areas(self) -> dict[int, AdminArea]:
        """The areas one may filter by: admin1, and admin2 for members (one query)."""
        top = AdminLevel.ADMIN2 if self.detailed else AdminLevel.ADMIN1
        queryset = AdminArea.objects.filter(level__gte=AdminLevel.ADMIN1, level__lte=top)
        return {area.pk: area for area in queryset.order_by("path")}

    def _mark_invalid_fields(self) -> None:
        if not self.is_bound:
            return
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-invalid"] = "true"
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    def clean_first_month(self) -> datetime.date | None:
        return self._month_in_bounds(self.cleaned_data.get("first_month"))

    def clean_last_month(self) -> datetime.date | None:
        return self._month_in_bounds(self.cleaned_data.get("last_month"))

    def _month_in_bounds(self, month: datetime.date | None) -> datetime.date | None:
        if month is None:
            return None
        if not EARLIEST_MONTH <= month <= self.latest_allowed:
            raise forms.ValidationError(
                _("Choose a month between %(earliest)s and %(latest)s."),
                code="month_out_of_bounds",
                params={
                    "earliest": f"{EARLIEST_MONTH:%Y-%m}",
                    "latest": f"{self.latest_allowed:%Y-%m}",
                },
            )
        return month

    def clean(self) -> dict:
        data = super().clean()
        if self.refused:
            raise refusal_error(self.refused)
        first, last = data.get("first_month"), data.get("last_month")
        if "first_month" in self.errors or "last_month" in self.errors:
            return data
        if first and not last:
            last = max(first, self.last_default)
            last = min(last, add_months(first, MAX_MONTHS - 1))
        elif last and not first:
            first = add_months(last, 1 - DEFAULT_MONTHS)
        first, last = first or self.first_default, last or self.last_default
        if last < first:
            self.add_error("last_month", _("The last month cannot be before the first month."))
        elif _month_index(last) - _month_index(first) >= MAX_MONTHS:
            self.add_error("last_month", _("Choose a range of ten years at most."))
        data["first_month"], data["last_month"] = first, last
        return data

    def clean_area(self) -> AdminArea | None:
        pk = self.cleaned_data.get("area")
        return None if pk is None else self.areas[pk]

    def filters(self) -> Filters:
        """The filters chosen, or the defaults when the form is not valid."""
        if not self.is_bound or not self.is_valid():
            return Filters(
                first_month=self.first_default,
                last_month=self.last_default,
                detailed=self.detailed,
            )
        data = self.cleaned_data
        return Filters(
            first_month=data["first_month"],
            last_month=data["last_month"],
            objective_id=data["objective"].pk if data["objective"] else None,
            indicator_id=data["indicator"].pk if data["indicator"] else None,
            activity_id=data["activity"].pk if data["activity"] else None,
            area=data["area"],
            organisation_type=data.get("organisation_type", ""),
            detailed=self.detailed,
        )

    def query_string(self) -> str:
        """The valid filters as a query string, to carry them to the other pages and files."""
        if not self.is_bound or not self.is_valid():
            return ""
        values = {}
        for name in self.FIELDS:
            value = self.cleaned_data.get(name)
            if value in (None, ""):
                continue
            if isinstance(value, datetime.date):
                values[name] = f"{value:%Y-%m}"
            else:
                values[name] = getattr(value, "pk", value)
        return urlencode(values)


class GapRulesForm(forms.Form):
    """The threshold of severity and the months that count as a recent response."""

    severity = forms.IntegerField(
        label=_("Lowest severity counted as a gap"),
        min_value=1,
        max_value=5,
        help_text=_("From 1 (minimal) to 5 (catastrophic)."),
    )
    recent_months = forms.IntegerField(
        label=_("Months that count as a recent response"),
        min_value=1,
        max_value=24,
        help_text=_("From 1 to 24, the current month included."),
    )

    def __init__(self, data=None):
        default = GapRules.default()
        if data is not None and not any(name in data for name in ("severity", "recent_months")):
            data = None
        super().__init__(
            data, initial={"severity": default.severity, "recent_months": default.months}
        )
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"
        if self.is_bound:
            for name in self.errors:
                self.fields[name].widget.attrs["aria-invalid"] = "true"
                self.fields[name].widget.attrs["class"] = "form-control is-invalid"

    def rules(self) -> GapRules:
        if not self.is_bound or not self.is_valid():
            return GapRules.default()
        return GapRules(self.cleaned_data["severity"], self.cleaned_data["recent_months"])
