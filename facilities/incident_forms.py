"""Forms of attacks on health care: the report (also its correction) and the dismissal.

The forms only read and check what was typed; ``facilities.incident_services`` checks the
incident as a whole (the date, the area and the facility together) and writes it.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from core.inputs import TextField, WholeNumberField
from facilities.incident_services import COUNT_FIELDS, MAX_CASUALTIES, IncidentValues
from facilities.models import AttackType, Certainty, Facility, Incident, Resource
from locations.forms import AreaChoiceField
from locations.models import AdminLevel

DESCRIPTION_MAX_LENGTH = 10_000
COMMENT_MAX_LENGTH = 4_000


class NamedChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: AttackType) -> str:
        return str(obj.name)


class IncidentForm(forms.Form):
    """An incident as SSA records it. The area may be left empty when a facility is named:
    the facility's area is then used."""

    date = forms.DateField(label=_("Date of the attack"), widget=DateInput())
    area = AreaChoiceField(
        label=_("Area"),
        levels=(AdminLevel.ADMIN1, AdminLevel.ADMIN2, AdminLevel.ADMIN3),
        required=False,
        help_text=_(
            "Search for the governorate, district or sub-district where it happened. With a "
            "facility named below, you may leave it empty: the facility's area is used."
        ),
        error_messages={
            "invalid_choice": _("%(value)s is not an area of the country's list of admin areas.")
        },
    )
    facility = forms.ModelChoiceField(
        label=_("Facility affected (its code)"),
        queryset=Facility.objects.select_related("area"),
        to_field_name="code",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "ltr"}),
        help_text=_(
            "The code of the health facility in the cluster's registry, when a facility was "
            "affected. Leave it empty otherwise."
        ),
        error_messages={
            "invalid_choice": _("No facility in the registry has this code."),
        },
    )
    attack_types = NamedChoices(
        label=_("Types of attack"),
        queryset=AttackType.objects.order_by("order", "code"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("Tick every type that applies, as WHO's SSA lists them."),
        error_messages={"required": _("Choose at least one type of attack.")},
    )
    resources = forms.MultipleChoiceField(
        label=_("Resources affected"),
        choices=Resource.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        required=False,
    )
    health_workers_killed = WholeNumberField(
        label=_("Health workers killed"), min_value=0, max_value=MAX_CASUALTIES, required=False
    )
    health_workers_injured = WholeNumberField(
        label=_("Health workers injured"), min_value=0, max_value=MAX_CASUALTIES, required=False
    )
    patients_killed = WholeNumberField(
        label=_("Patients killed"), min_value=0, max_value=MAX_CASUALTIES, required=False
    )
    patients_injured = WholeNumberField(
        label=_("Patients injured"), min_value=0, max_value=MAX_CASUALTIES, required=False
    )
    certainty = forms.ChoiceField(
        label=_("Certainty"),
        choices=[("", _("Choose how certain it is")), *Certainty.choices],
        help_text=_("How sure the information is, graded as WHO's SSA grades it."),
    )
    source = TextField(
        label=_("Source"),
        max_length=Incident._meta.get_field("source").max_length,
        help_text=_(
            "Who reported it, or where it was published. Only the coordinators and your "
            "organisation see it."
        ),
    )
    description = TextField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=DESCRIPTION_MAX_LENGTH,
        required=False,
        help_text=_(
            "Only the coordinators and your organisation read it. Do not name patients or "
            "health workers."
        ),
    )

    @classmethod
    def initial_of(cls, incident: Incident) -> dict:
        """The form's values for an incident as saved."""
        return {
            "date": incident.date,
            "area": incident.area,
            "facility": incident.facility,
            "attack_types": list(incident.attack_types.all()),
            "resources": list(incident.resources),
            **{name: getattr(incident, name) for name in COUNT_FIELDS},
            "certainty": incident.certainty,
            "source": incident.source,
            "description": incident.description,
        }

    def values(self) -> IncidentValues:
        """What was typed, as ``incident_report``/``incident_update`` take it."""
        data = self.cleaned_data
        return IncidentValues(
            date=data["date"],
            area=data.get("area"),
            facility=data.get("facility"),
            attack_types=list(data["attack_types"]),
            resources=list(data.get("resources") or []),
            **{name: data.get(name) or 0 for name in COUNT_FIELDS},
            certainty=data["certainty"],
            source=data["source"],
            description=data.get("description") or "",
        )


class DismissForm(forms.Form):
    comment = TextField(
        label=_("Why is it dismissed?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=COMMENT_MAX_LENGTH,
        help_text=_("The organisation that reported it reads your comment."),
        error_messages={"required": _("Say why the incident is dismissed.")},
    )
