"""Coordinators' forms for the strategy, with each English field beside its Arabic one."""

from dataclasses import dataclass

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.forms import add_bootstrap_classes
from partners.forms.registration import check_logo
from strategy.models import (
    ClusterProfile,
    HealthDomain,
    Indicator,
    IndicatorKind,
    StrategicApproach,
    StrategicObjective,
    StrategicPriority,
    StrategyCycle,
)
from strategy.theme import DEFAULT_ACCENT


@dataclass(frozen=True)
class LayoutRow:
    """One line of a form: a single field, or an English field with its Arabic twin."""

    english: forms.BoundField
    arabic: forms.BoundField | None = None


class BilingualForm(forms.ModelForm):
    """A model form that styles its widgets and pairs ``<x>_en`` with ``<x>_ar``.

    Arabic inputs are written right to left and say they are Arabic, English ones left to
    right, so both read correctly whatever the page's language.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if name.endswith("_ar"):
                widget.attrs.update({"dir": "rtl", "lang": "ar"})
            elif name.endswith("_en"):
                widget.attrs.update({"dir": "ltr", "lang": "en"})
            if isinstance(widget, forms.Textarea):
                widget.attrs.setdefault("rows", 5)
        add_bootstrap_classes(self)

    def layout(self) -> list[LayoutRow]:
        rows = []
        for name in self.fields:
            if name.endswith("_ar") and f"{name[:-3]}_en" in self.fields:
                continue
            twin = f"{name[:-3]}_ar" if name.endswith("_en") else None
            rows.append(LayoutRow(self[name], self[twin] if twin and twin in self.fields else None))
        return rows


class ClusterProfileForm(BilingualForm):
    class Meta:
        model = ClusterProfile
        fields = [
            "cluster_name_en",
            "cluster_name_ar",
            "country_name_en",
            "country_name_ar",
            "purpose_en",
            "purpose_ar",
            "lead_agency",
            "lead_coordinator_name",
            "lead_coordinator_title_en",
            "lead_coordinator_title_ar",
            "lead_coordinator_email",
            "lead_coordinator_phone",
            "co_chair",
            "co_chair_coordinator_name",
            "co_chair_coordinator_title_en",
            "co_chair_coordinator_title_ar",
            "co_chair_coordinator_email",
            "co_chair_coordinator_phone",
            "im_officer_name",
            "im_officer_email",
            "logo",
            "accent_colour",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["accent_colour"].widget = forms.TextInput(
            attrs={"type": "color", "class": "form-control form-control-color"}
        )
        self.fields["accent_colour"].required = False  # left out: the portal's own blue
        for name in ("lead_agency", "co_chair"):
            field = self.fields[name]
            chosen = getattr(self.instance, f"{name}_id", None)
            # Approved partners, and the one already chosen even if it has since been suspended.
            field.queryset = field.queryset.filter(Q(status="approved") | Q(pk=chosen)).order_by(
                "name_en"
            )

    def clean_accent_colour(self) -> str:
        return (self.cleaned_data.get("accent_colour") or DEFAULT_ACCENT).lower()

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        # A new upload is checked by its content; the logo already saved is kept as it is.
        return check_logo(logo) if isinstance(logo, UploadedFile) else logo


class CycleForm(BilingualForm):
    start_year = forms.IntegerField(label=_("first year"), min_value=2000, max_value=2100)
    end_year = forms.IntegerField(label=_("last year"), min_value=2000, max_value=2100)
    make_current = forms.BooleanField(
        label=_("This is the current strategy"),
        required=False,
        help_text=_(
            "The public strategy page shows the current cycle. The cycle that was current "
            "until now stays readable as an earlier cycle."
        ),
    )

    class Meta:
        model = StrategyCycle
        fields = [
            "title_en",
            "title_ar",
            "start_year",
            "end_year",
            "people_targeted",
            "headline",
            "summary_en",
            "summary_ar",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["make_current"].initial = self.instance.is_current
        headline = self.fields["headline"]
        if self.instance.pk is None:
            del self.fields["headline"]
        else:
            headline.queryset = Indicator.objects.filter(
                cycle=self.instance, kind=IndicatorKind.PEOPLE_ONCE
            )


class CycleItemForm(BilingualForm):
    class Meta:
        fields = ["title_en", "title_ar", "description_en", "description_ar", "order"]


class PriorityForm(CycleItemForm):
    class Meta(CycleItemForm.Meta):
        model = StrategicPriority


class ApproachForm(CycleItemForm):
    class Meta(CycleItemForm.Meta):
        model = StrategicApproach


class ObjectiveForm(BilingualForm):
    class Meta:
        model = StrategicObjective
        fields = [
            "code",
            "title_en",
            "title_ar",
            "description_en",
            "description_ar",
            "priority",
            "order",
        ]

    def __init__(self, *args, cycle: StrategyCycle, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.cycle = cycle
        self.fields["priority"].queryset = StrategicPriority.objects.filter(cycle=cycle)


class IndicatorForm(BilingualForm):
    class Meta:
        model = Indicator
        fields = [
            "objective",
            "code",
            "name_en",
            "name_ar",
            "unit",
            "unit_label_en",
            "unit_label_ar",
            "baseline",
            "target",
            "direction",
            "kind",
            "domains",
            "order",
        ]
        widgets = {
            "domains": forms.CheckboxSelectMultiple,
            "kind": forms.RadioSelect,
        }

    def __init__(self, *args, cycle: StrategyCycle, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = StrategicObjective.objects.filter(cycle=cycle)
        self.fields["objective"].empty_label = None
        chosen = [d.pk for d in self.instance.domains.all()] if self.instance.pk else []
        # Retired domains are no longer offered, but an indicator keeps the ones it has.
        self.fields["domains"].queryset = HealthDomain.objects.filter(
            Q(is_active=True) | Q(pk__in=chosen)
        ).order_by("order", "code")
        for name in ("baseline", "target"):
            self.fields[name].widget.attrs.update({"min": 0, "step": "any"})


class HealthDomainForm(BilingualForm):
    class Meta:
        model = HealthDomain
        fields = ["code", "name_en", "name_ar", "description_en", "description_ar", "order"]
        help_texts = {
            "code": _("Lower-case letters, digits and hyphens, e.g. child-health."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Other records and exports refer to the domain by its code.
            self.fields["code"].disabled = True
