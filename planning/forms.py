"""Forms of the planning pages: a cycle's caseloads at one level as one form, an
indicator's targets at one level as one form, and the needs overview's upload."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.inputs import TextField, WholeNumberField, parse_decimal
from locations import uploads
from locations.models import AdminArea
from planning.models import Caseload, PopulationGroup
from planning.services import CaseloadEntry

SOURCE_MAX_LENGTH = 200
TARGET_MAX = 10**12 - 1  # the indicator's target column: 14 digits, 2 of them decimals


def in_need_name(area: AdminArea, group: str) -> str:
    return f"pin-{area.pk}-{group}"


def targeted_name(area: AdminArea, group: str) -> str:
    return f"tgt-{area.pk}-{group}"


class CaseloadSetForm(forms.Form):
    """Every area of a level, by every population group: in need and targeted."""

    source = TextField(
        label=gettext_lazy("Source"),
        max_length=SOURCE_MAX_LENGTH,
        required=False,
        help_text=gettext_lazy("For example “HNO 2026”. Saved with every caseload of the page."),
    )

    def __init__(
        self, data=None, *, areas: list[AdminArea], table: dict[tuple[int, str], Caseload], source
    ):
        super().__init__(data, initial={"source": source})
        self.areas = areas
        for area in areas:
            for group in PopulationGroup:
                row = table.get((area.pk, group.value))
                self.fields[in_need_name(area, group)] = WholeNumberField(
                    required=False,
                    min_value=0,
                    initial=row.people_in_need if row else None,
                )
                self.fields[targeted_name(area, group)] = WholeNumberField(
                    required=False,
                    min_value=0,
                    initial=row.people_targeted if row else None,
                )

    def clean(self):
        data = super().clean()
        for area in self.areas:
            for group in PopulationGroup:
                need = data.get(in_need_name(area, group))
                target = data.get(targeted_name(area, group))
                if need is None and target is not None:
                    self.add_error(
                        targeted_name(area, group), _("Give the people in need as well.")
                    )
                elif target is not None and target > need:
                    self.add_error(
                        targeted_name(area, group),
                        _("The people targeted cannot exceed the people in need."),
                    )
        return data

    def entries(self) -> list[CaseloadEntry]:
        data = self.cleaned_data
        return [
            CaseloadEntry(
                area,
                group.value,
                data[in_need_name(area, group)],
                data.get(targeted_name(area, group)),
            )
            for area in self.areas
            for group in PopulationGroup
            if data.get(in_need_name(area, group)) is not None
        ]

    def rows(self) -> list[tuple[AdminArea, list]]:
        """Each area with its bound fields, in-need then targeted for each group."""
        return [
            (
                area,
                [
                    (group.value, self[in_need_name(area, group)], self[targeted_name(area, group)])
                    for group in PopulationGroup
                ],
            )
            for area in self.areas
        ]


class TargetField(forms.Field):
    """A target typed with a decimal point (or the Arabic one), not negative."""

    def to_python(self, value):
        try:
            return parse_decimal(value, minimum=0, maximum=TARGET_MAX, places=2)
        except ValidationError as error:
            raise ValidationError(_("Enter a number of at least 0."), code=error.code) from None


def target_name(area: AdminArea) -> str:
    return f"target-{area.pk}"


class AreaTargetSetForm(forms.Form):
    update_cluster_target = forms.BooleanField(
        label=gettext_lazy("Update the cluster-wide target to the sum of the areas' targets"),
        required=False,
    )

    def __init__(self, data=None, *, areas: list[AdminArea], table: dict[int, Decimal]):
        super().__init__(data)
        self.areas = areas
        for area in areas:
            self.fields[target_name(area)] = TargetField(required=False, initial=table.get(area.pk))

    def targets(self) -> dict[AdminArea, Decimal]:
        data = self.cleaned_data
        return {
            area: data[target_name(area)]
            for area in self.areas
            if data.get(target_name(area)) is not None
        }

    def rows(self) -> list[tuple[AdminArea, forms.BoundField]]:
        return [(area, self[target_name(area)]) for area in self.areas]


class CaseloadUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Caseload table (CSV or Excel)"),
        help_text=gettext_lazy(
            "The layout of the template: ADM1_PCODE or ADM2_PCODE, then PIN_ and TGT_ columns "
            "per group. CSV up to 5 MB, Excel up to 10 MB, 5,000 areas."
        ),
    )
    source = TextField(
        label=gettext_lazy("Source"),
        max_length=SOURCE_MAX_LENGTH,
        help_text=gettext_lazy("For example “HNO 2026”."),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Only check the file; save nothing"), required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        uploads.check_population_upload(upload)
        return upload
