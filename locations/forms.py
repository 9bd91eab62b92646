"""Forms of the locations app: the COD-AB and COD-PS uploads and the searchable area picker.

The picker works without JavaScript. It renders the areas already chosen as checked
boxes, a search box named ``<field>__q`` with a submit button named ``_area_search``,
and, after a search, the matching areas as further boxes. A view that receives a POST
with ``_area_search`` (see ``is_area_search``) re-renders the bound form without saving
(``show_for_area_search``), so the person ticks the areas found and searches again or
submits::

    form = ProjectForm(request.POST)
    if is_area_search(request):
        show_for_area_search(form)
    elif form.is_valid():
        ... With JavaScript
(``static/js/area-picker.js``), typing in the search box fetches ``locations:search`` and
refreshes the matching areas in place.

Forms using the picker must render ``{{ form.media }}`` in the page's head block.
"""

from collections.abc import Iterable

from django import forms
from django.forms.boundfield import BoundField
from django.forms.utils import ErrorDict
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import add_bootstrap_classes
from core.inputs import TextField, WholeNumberField, is_storable_text, query_text
from locations import population, uploads
from locations.loader import MAX_ROWS
from locations.models import AdminArea
from locations.selectors import SEARCH_LIMIT, area_search

SEARCH_BUTTON = "_area_search"
QUERY_SUFFIX = "__q"
QUERY_MAX_LENGTH = 100


def is_area_search(request: HttpRequest) -> bool:
    """True when the POST came from an area picker's search button, not the form's submit.

    The view then renders the bound form again (without validating or saving) so the
    matching areas appear.
    """
    return request.method == "POST" and SEARCH_BUTTON in request.POST


def _never_valid() -> bool:
    return False


def show_for_area_search(form: forms.BaseForm) -> forms.BaseForm:
    """Prepare a bound form to be shown again after an area search, without validating it.

    The values typed so far stay in the form; no error message is shown (the person has
    not submitted yet), and ``is_valid()`` answers False so the form cannot be saved by
    mistake. Call it on the branch where ``is_area_search(request)`` is true.
    """
    form._errors = ErrorDict(renderer=form.renderer)
    form.is_valid = _never_valid
    return form


class AreaPickerWidget(forms.Widget):
    """Checkboxes (or radio buttons) for the chosen areas, a search box and the matches."""

    template_name = "locations/widgets/area_picker.html"
    use_fieldset = True

    class Media:
        js = [forms.Script("js/area-picker.js", defer=True)]

    def __init__(self, attrs=None, *, multiple: bool = True):
        super().__init__(attrs)
        self.multiple = multiple
        self.allow_multiple_selected = multiple
        self.levels: tuple[int, ...] = ()
        self.search_query = ""

    def value_from_datadict(self, data, files, name):
        if self.multiple and hasattr(data, "getlist"):
            return data.getlist(name)
        return data.get(name)

    def value_omitted_from_data(self, data, files, name) -> bool:
        # Unticked boxes send nothing, which means "none", not "not in the form".
        return False if self.multiple else name not in data

    def use_required_attribute(self, initial) -> bool:
        return False

    def id_for_label(self, id_: str) -> str:
        # Rendered in a fieldset whose legend names the field; the search box has its own label.
        return ""

    def format_value(self, value) -> list[str]:
        if value is None or value == "":
            return []
        if isinstance(value, str) or not isinstance(value, Iterable):
            value = [value]
        # A value no area can have (a NUL in it) is not shown, nor looked up.
        return [
            str(item) for item in value if item not in (None, "") and is_storable_text(str(item))
        ]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        pcodes = context["widget"]["value"]
        queryset = self.choices.queryset
        selected = (
            list(queryset.filter(pcode__in=pcodes).select_related("parent").order_by("path"))
            if pcodes
            else []
        )
        query = self.search_query[:QUERY_MAX_LENGTH]
        found = area_search(
            query,
            queryset=queryset,
            exclude=[area.pcode for area in selected],
            limit=SEARCH_LIMIT + 1,
        )
        base_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        context["widget"].update(
            {
                "base_id": base_id,
                "input_type": "checkbox" if self.multiple else "radio",
                "selected": selected,
                "candidates": found[:SEARCH_LIMIT],
                "more": len(found) > SEARCH_LIMIT,
                "limit": SEARCH_LIMIT,
                "query": query,
                "query_name": f"{name}{QUERY_SUFFIX}",
                "query_id": f"{base_id}{QUERY_SUFFIX}",
                "search_button": SEARCH_BUTTON,
                "search_url": reverse("locations:search"),
                "levels": ",".join(str(level) for level in self.levels),
                "allow_none": not self.multiple and not self.is_required,
            }
        )
        return context


class AreaBoundField(BoundField):
    """Hands the picker the text typed in its search box, which is not the field's value."""

    @property
    def search_query(self) -> str:
        if not self.form.is_bound:
            return ""
        query = query_text(
            self.form.data, f"{self.html_name}{QUERY_SUFFIX}", max_length=QUERY_MAX_LENGTH
        )
        return query or ""  # a text that cannot be searched is no search

    def as_widget(self, widget=None, attrs=None, only_initial=False):
        widget = widget or self.field.widget
        widget.search_query = self.search_query
        return super().as_widget(widget, attrs, only_initial)


class _AreaFieldMixin:
    bound_field_class = AreaBoundField

    def _setup_area_field(self, levels: Iterable[int] | None) -> None:
        self.widget.levels = tuple(levels or ())


class AreaMultipleChoiceField(_AreaFieldMixin, forms.ModelMultipleChoiceField):
    """Several admin areas, chosen through the searchable picker. Values are p-codes."""

    def __init__(self, queryset=None, *, levels: Iterable[int] | None = None, **kwargs):
        queryset = AdminArea.objects.all() if queryset is None else queryset
        if levels:
            queryset = queryset.filter(level__in=list(levels))
        kwargs.setdefault("widget", AreaPickerWidget(multiple=True))
        kwargs["to_field_name"] = "pcode"
        super().__init__(queryset, **kwargs)
        self._setup_area_field(levels)


class AreaChoiceField(_AreaFieldMixin, forms.ModelChoiceField):
    """One admin area, chosen through the searchable picker (radio buttons)."""

    def __init__(self, queryset=None, *, levels: Iterable[int] | None = None, **kwargs):
        queryset = AdminArea.objects.all() if queryset is None else queryset
        if levels:
            queryset = queryset.filter(level__in=list(levels))
        kwargs.setdefault("widget", AreaPickerWidget(multiple=False))
        kwargs["to_field_name"] = "pcode"
        kwargs.setdefault("empty_label", None)
        super().__init__(queryset, **kwargs)
        self._setup_area_field(levels)


class AdminAreaUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("COD-AB file (CSV, or the boundaries in GeoJSON or a zipped shapefile)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,text/csv,.geojson,.json,application/geo+json,.zip"}
        ),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Only check the file; do not load it"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A CSV file saved as UTF-8, at most %(limit)s and %(rows)s lines of areas; or the "
            "boundaries in longitude and latitude, one feature per area with its ADM1_PCODE, "
            "ADM1_EN… properties: GeoJSON of at most %(geojson_limit)s, or a zipped shapefile "
            "of at most %(shapefile_limit)s."
        ) % {
            "limit": filesizeformat(uploads.MAX_BYTES[uploads.CSV]),
            "rows": number_format(MAX_ROWS, force_grouping=True),
            "geojson_limit": filesizeformat(uploads.MAX_BYTES[uploads.GEOJSON]),
            "shapefile_limit": filesizeformat(uploads.MAX_BYTES[uploads.SHAPEFILE]),
        }

    def clean_file(self):
        """The file, once its size and (for a zip) its archive pass ``locations.uploads``."""
        upload = self.cleaned_data["file"]
        uploads.check_boundary_upload(upload)
        return upload


class PopulationUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("COD-PS table (CSV or Excel workbook)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,text/csv,.xlsx,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    year = WholeNumberField(
        label=gettext_lazy("Year of the figures"),
        min_value=population.MIN_YEAR,
        max_value=population.MAX_YEAR,
        required=False,
        help_text=gettext_lazy("Leave it empty to take the year from the file's year column."),
    )
    source = TextField(
        label=gettext_lazy("Source"),
        max_length=population.SOURCE_MAX_LENGTH,
        help_text=gettext_lazy("Where the figures come from, such as “OCHA COD-PS 2025”."),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Only check the file; do not load it"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_bootstrap_classes(self)
        self.fields["file"].help_text = _(
            "A CSV file saved as UTF-8, at most %(csv_limit)s, or an Excel workbook (.xlsx) of "
            "at most %(xlsx_limit)s; at most %(rows)s rows of areas."
        ) % {
            "csv_limit": filesizeformat(uploads.MAX_BYTES[uploads.CSV]),
            "xlsx_limit": filesizeformat(uploads.MAX_BYTES[uploads.XLSX]),
            "rows": number_format(population.MAX_ROWS, force_grouping=True),
        }

    def clean_file(self):
        """The file, once its size (and, for a workbook, its archive) pass ``locations.uploads``."""
        upload = self.cleaned_data["file"]
        uploads.check_population_upload(upload)
        return upload
