"""Forms of the facility registry. They read what is typed; the rules are the services'
(``facilities/services.py``), whose errors land on the fields they name."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from core.inputs import TextField, WholeNumberField
from core.widgets import DirectSelect
from facilities import sheets
from facilities.models import (
    Accessibility,
    BuildingCondition,
    Cause,
    Facility,
    FacilityStatus,
    FacilityType,
    Functionality,
    Ownership,
    SupportKind,
)
from facilities.services import MAX_BEDS, SOURCE_MAX_LENGTH
from locations.forms import AreaChoiceField
from partners.models import Organisation
from strategy.models import HealthDomain

# Six decimals of a degree are about 10 cm: finer figures are noise from a GPS.
COORDINATE_STEP = Decimal("0.000001")


class CoordinateField(forms.DecimalField):
    """A longitude or latitude in decimal degrees, rounded to six decimals."""

    def __init__(self, *, limit: int, **kwargs):
        super().__init__(min_value=-limit, max_value=limit, required=False, **kwargs)
        self.widget.attrs.update({"step": "any", "inputmode": "decimal"})

    def to_python(self, value):
        number = super().to_python(value)
        if number is None or abs(number) > self.max_value:
            return number  # the range check names the limit
        try:
            return number.quantize(COORDINATE_STEP)
        except InvalidOperation:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class NamedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj)


class FacilityForm(forms.Form):
    code = TextField(
        label=_("Code"),
        max_length=Facility._meta.get_field("code").max_length,
        required=False,
        help_text=_(
            "The facility's HeRAMS or Ministry of Health code. Leave it empty and the portal "
            "gives one, such as HF-00042."
        ),
    )
    name_en = TextField(label=_("Name (English)"), max_length=200)
    name_ar = TextField(label=_("Name (Arabic)"), max_length=200, required=False)
    type = NamedChoiceField(label=_("Type"), queryset=FacilityType.objects.all(), empty_label=None)
    ownership = forms.ChoiceField(label=_("Ownership"), choices=Ownership.choices)
    longitude = CoordinateField(
        label=_("Longitude"),
        limit=180,
        help_text=_("In decimal degrees, east of Greenwich positive, such as 35.204."),
    )
    latitude = CoordinateField(
        label=_("Latitude"),
        limit=90,
        help_text=_("In decimal degrees, north of the equator positive, such as 31.768."),
    )
    area = AreaChoiceField(
        label=_("Admin area"),
        required=False,
        help_text=_(
            "Found from the coordinates when they are given and boundaries are loaded; "
            "otherwise choose it."
        ),
    )
    domains = forms.ModelMultipleChoiceField(
        label=_("Services offered"),
        queryset=HealthDomain.objects.active(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, facility: Facility | None = None, **kwargs):
        if facility is not None:
            kwargs["initial"] = {
                "code": facility.code,
                "name_en": facility.name_en,
                "name_ar": facility.name_ar,
                "type": facility.type_id,
                "ownership": facility.ownership,
                "longitude": facility.longitude,
                "latitude": facility.latitude,
                "area": facility.area,
                "domains": list(facility.domains.all()),
            }
        super().__init__(*args, **kwargs)
        self.fields["domains"].label_from_instance = lambda domain: str(domain.name)
        if facility is not None:
            self.fields["code"].help_text = _(
                "Leave it empty to keep %(code)s. A code the portal gave is never given again."
            ) % {"code": facility.code}

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {
            name: data.get(name)
            for name in (
                "code",
                "name_en",
                "name_ar",
                "type",
                "ownership",
                "area",
                "longitude",
                "latitude",
            )
        }


class FacilityTypeForm(forms.Form):
    code = TextField(
        label=_("Code"),
        max_length=40,
        help_text=_(
            "Lower-case letters, digits and hyphens, such as field-hospital; fixed once saved."
        ),
    )
    name_en = TextField(label=_("Name (English)"), max_length=120)
    name_ar = TextField(label=_("Name (Arabic)"), max_length=120, required=False)
    is_hospital = forms.BooleanField(
        label=_("Counts as a hospital"),
        required=False,
        help_text=_("Counted in the share of hospitals functioning."),
    )
    order = WholeNumberField(label=_("Order in lists"), min_value=0, max_value=32_767)

    def __init__(self, *args, facility_type: FacilityType | None = None, **kwargs):
        if facility_type is not None:
            kwargs["initial"] = {
                "name_en": facility_type.name_en,
                "name_ar": facility_type.name_ar,
                "is_hospital": facility_type.is_hospital,
                "order": facility_type.order,
            }
        super().__init__(*args, **kwargs)
        if facility_type is not None:
            del self.fields["code"]
        self.fields["is_hospital"].widget.attrs["class"] = "form-check-input"

    def service_values(self) -> dict:
        return dict(self.cleaned_data)


class StatusForm(forms.Form):
    """A facility's status on a day. ``facilities`` are those the user may choose from (no
    choice when the status exists already); ``organisations`` those a coordinator records
    for (none for a member, who records for their own)."""

    facility = NamedChoiceField(
        label=_("Facility"),
        queryset=Facility.objects.none(),
        widget=DirectSelect,
        empty_label=_("Choose a facility"),
    )
    organisation = NamedChoiceField(
        label=_("Reported by"),
        queryset=Organisation.objects.none(),
        widget=DirectSelect,
        required=False,
        empty_label=_("The cluster itself"),
        help_text=_(
            "The partner whose status you record, which must support the facility on that "
            "day; or the cluster itself."
        ),
    )
    as_of = forms.DateField(
        label=_("Status on"),
        widget=DateInput(),
        help_text=_("The day the facility was in this state; not after today."),
    )
    functionality = forms.ChoiceField(
        label=_("Functionality"), choices=Functionality.choices, widget=forms.RadioSelect
    )
    building = forms.ChoiceField(
        label=_("Building condition"),
        choices=BuildingCondition.choices,
        widget=forms.RadioSelect,
    )
    accessibility = forms.ChoiceField(
        label=_("Accessibility"), choices=Accessibility.choices, widget=forms.RadioSelect
    )
    causes = forms.MultipleChoiceField(
        label=_("Why it is not fully functioning"),
        choices=Cause.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Every cause that applies; none when it is fully functioning."),
    )
    beds = WholeNumberField(
        label=_("Beds"),
        min_value=0,
        max_value=MAX_BEDS,
        required=False,
        help_text=_("Functioning inpatient beds, where the facility has any."),
    )
    source = TextField(
        label=_("Source"),
        max_length=SOURCE_MAX_LENGTH,
        help_text=_("Where the status comes from: a visit, a call with the director, a report."),
    )

    def __init__(
        self,
        *args,
        facilities=None,
        organisations=None,
        status: FacilityStatus | None = None,
        **kwargs,
    ):
        initial = dict(kwargs.pop("initial", None) or {})
        if status is not None:
            initial = {
                name: getattr(status, name)
                for name in (
                    "as_of",
                    "functionality",
                    "building",
                    "accessibility",
                    "causes",
                    "beds",
                    "source",
                )
            }
        initial.setdefault("as_of", timezone.localdate())
        super().__init__(*args, initial=initial, **kwargs)
        if facilities is None:
            del self.fields["facility"]
        else:
            self.fields["facility"].queryset = facilities.select_related(None).order_by("code")
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {
            name: data.get(name)
            for name in (
                "as_of",
                "functionality",
                "building",
                "accessibility",
                "causes",
                "beds",
                "source",
            )
        }


class ReturnForm(forms.Form):
    comment = TextField(
        label=_("What should be corrected"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent by email to whoever recorded the status, and shown with it."),
    )


class SupportForm(forms.Form):
    organisation = NamedChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.approved(),
        widget=DirectSelect,
        empty_label=_("Choose an organisation"),
    )
    kind = forms.ChoiceField(label=_("Kind of support"), choices=SupportKind.choices)
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(
        label=_("Until"),
        widget=DateInput(),
        required=False,
        help_text=_("Leave it empty while the support goes on."),
    )


class SupportEndForm(forms.Form):
    end = forms.DateField(
        label=_("Last day of the support"),
        widget=DateInput(),
        initial=timezone.localdate,
    )


class ImportForm(forms.Form):
    """A filled template of facilities or of statuses, and whether only to check it."""

    file = forms.FileField(
        label=_("Filled Excel template (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "class": "form-control",
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file; do not import it"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "At most %(rows)s rows and %(size)s MB. If any row has a problem, nothing is imported."
        ) % {
            "rows": number_format(sheets.MAX_ROWS, force_grouping=True),
            "size": sheets.MAX_UPLOAD_BYTES // (1024 * 1024),
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > sheets.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MB.")
                % {"limit": sheets.MAX_UPLOAD_BYTES // (1024 * 1024)},
                code="too_large",
            )
        return upload


class StatusImportForm(ImportForm):
    validate = forms.BooleanField(
        label=_("Validate the statuses at once"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        help_text=_(
            "They count at once, without waiting in the review queue. Leave it unticked for "
            "statuses a colleague should review."
        ),
    )

    def __init__(self, *args, reviews: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not reviews:
            del self.fields["validate"]
