"""Coordinators' forms: reporting periods, reopening a period, and the activity catalogue."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from activities.models import (
    SEX_AND_AGE,
    SEX_AND_AGE_LABELS,
    Activity,
    Collects,
    PeriodReopening,
    ReportingPeriod,
)
from activities.services.periods import cluster_timezone
from core.forms import add_bootstrap_classes
from partners.models import Organisation
from strategy.forms import BilingualForm
from strategy.models import HealthDomain, Indicator, IndicatorKind

DATETIME_INPUT = "%Y-%m-%dT%H:%M"


class ClusterDateTimeField(forms.DateTimeField):
    """A date and time typed and shown in the cluster's time zone, whatever the request's."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT)

    def prepare_value(self, value):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return timezone.localtime(value, cluster_timezone())
        return value

    def to_python(self, value):
        with timezone.override(cluster_timezone()):
            return super().to_python(value)


class PeriodForm(forms.Form):
    """A new reporting period: the month reported on and when partners may submit."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(
        label=_("Month"), coerce=int, choices=[(n, name) for n, name in MONTHS.items()]
    )
    opens_at = ClusterDateTimeField(
        label=_("Opens at"),
        help_text=_("When partners can start submitting, in the cluster's time zone."),
    )
    deadline = ClusterDateTimeField(
        label=_("Deadline"),
        help_text=_("The last moment for an on-time report, in the cluster's time zone."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        add_bootstrap_classes(self)

    def clean(self) -> dict:
        data = super().clean()
        opens_at, deadline = data.get("opens_at"), data.get("deadline")
        if opens_at and deadline and deadline <= opens_at:
            self.add_error("deadline", _("The deadline must come after the opening time."))
        year, month = data.get("year"), data.get("month")
        if year and month and ReportingPeriod.objects.filter(year=year, month=month).exists():
            self.add_error("month", _("There is already a reporting period for this month."))
        return data


class PeriodEditForm(forms.Form):
    """Move a period's opening time or deadline, and say whether its rows must name their
    project; the month it reports on stays."""

    opens_at = PeriodForm.base_fields["opens_at"]
    deadline = PeriodForm.base_fields["deadline"]
    projects_required = forms.BooleanField(
        label=_("Every row names its project"),
        required=False,
        help_text=_(
            "A report for this month can be submitted only when each of its rows names the "
            "project it belongs to. Drafts may still be saved without."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        add_bootstrap_classes(self)

    def clean(self) -> dict:
        data = super().clean()
        opens_at, deadline = data.get("opens_at"), data.get("deadline")
        if opens_at and deadline and deadline <= opens_at:
            self.add_error("deadline", _("The deadline must come after the opening time."))
        return data


class ReopenForm(forms.Form):
    """Let one organisation submit for a locked period until a date, with the reason."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.approved()
    )
    until = ClusterDateTimeField(
        label=_("Open until"),
        help_text=_("In the cluster's time zone. The focal point is told by email."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=PeriodReopening._meta.get_field("reason").max_length,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        add_bootstrap_classes(self)

    def clean_until(self) -> datetime.datetime:
        until = self.cleaned_data["until"]
        if until <= timezone.now():
            raise forms.ValidationError(_("Choose a date and time in the future."))
        return until


class IndicatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Indicator) -> str:
        return _("%(cycle)s — %(code)s %(name)s") % {
            "cycle": obj.cycle.period,
            "code": obj.code,
            "name": obj.name,
        }


class IndicatorsChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Indicator) -> str:
        return IndicatorChoiceField.label_from_instance(self, obj)


def _indicators(**filters):
    return (
        Indicator.objects.filter(**filters)
        .select_related("cycle")
        .order_by("-cycle__is_current", "-cycle__start_year", "order", "code", "pk")
    )


class ActivityForm(BilingualForm):
    """An activity of the catalogue, with its English and Arabic names side by side."""

    indicator = IndicatorChoiceField(
        label=_("Indicator"),
        queryset=Indicator.objects.select_related("cycle").order_by(
            "-cycle__is_current", "-cycle__start_year", "order", "code", "pk"
        ),
        help_text=_("The strategy indicator this activity counts towards. Current cycle first."),
    )
    domains = forms.ModelMultipleChoiceField(
        label=_("Health domains"),
        queryset=HealthDomain.objects.active(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose at least one."),
    )
    also_counts_towards = IndicatorsChoiceField(
        label=_("Also counts towards"),
        queryset=_indicators(kind__in=[k for k in IndicatorKind if k != IndicatorKind.RATE]),
        required=False,
        help_text=_(
            "Other indicators its figures add to, such as the cycle's headline of people "
            "reached: tick it for every activity that counts people."
        ),
    )
    numerator_of = IndicatorsChoiceField(
        label=_("Numerator of the rates"),
        queryset=_indicators(kind=IndicatorKind.RATE),
        required=False,
        help_text=_("Rates whose numerator is this activity's total, such as cholera deaths."),
    )
    denominator_of = IndicatorsChoiceField(
        label=_("Denominator of the rates"),
        queryset=_indicators(kind=IndicatorKind.RATE),
        required=False,
        help_text=_("Rates whose denominator is this activity's total, such as cholera cases."),
    )
    groups = forms.MultipleChoiceField(
        label=_("Groups counted by sex and age"),
        choices=[(name, capfirst(label)) for name, label in SEX_AND_AGE_LABELS.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "The groups that apply: girls and boys for a vaccination of children under five, "
            "women for antenatal care. Not used for a single count."
        ),
    )

    class Meta:
        model = Activity
        fields = [
            "code",
            "name_en",
            "name_ar",
            "description_en",
            "description_ar",
            "indicator",
            "also_counts_towards",
            "numerator_of",
            "denominator_of",
            "domains",
            "unit",
            "collects",
            "groups",
            "counts_older_people",
            "counts_disability",
            "order",
            "is_active",
        ]
        widgets = {"collects": forms.RadioSelect}
        help_texts = {
            "collects": _(
                "People by sex and age add up to the total. With both, the total is entered "
                "apart and also counts the people not broken down by sex and age. A change "
                "applies to the rows entered from now on; reports already made keep their "
                "figures."
            )
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A new activity starts with all four groups; an existing one shows its own.
        self.fields["groups"].initial = list(
            self.instance.groups if self.instance.pk else SEX_AND_AGE
        )
        if self.instance.pk is None:
            del self.fields["is_active"]
        else:
            # A retired domain the activity already has stays ticked and can be kept.
            self.fields["domains"].queryset = HealthDomain.objects.filter(
                is_active=True
            ) | HealthDomain.objects.filter(activities=self.instance)
            self.fields["domains"].queryset = self.fields["domains"].queryset.distinct()
        self.fields["code"].help_text = _("A short code partners see in the report, e.g. A1.2.")

    def clean(self) -> dict:
        data = super().clean()
        collects = data.get("collects")
        groups = set(data.pop("groups", None) or ())
        if collects == Collects.COUNT:
            groups = set()
        elif collects and not groups:
            self.add_error("groups", _("Choose at least one group: girls, boys, women or men."))
        for name in SEX_AND_AGE:
            data[f"counts_{name}"] = name in groups
            setattr(self.instance, f"counts_{name}", name in groups)
        return data

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        clash = Activity.objects.filter(code__iexact=code).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Another activity has this code."))
        return code
