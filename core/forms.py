"""Form helpers shared by every app."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from core.widgets import DirectDateInput

_PLAIN_INPUTS = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)


def add_bootstrap_classes(form: forms.BaseForm) -> None:
    """Give each widget Bootstrap's class, so templates render fields without repeating it.

    Bilingual twins are marked with their language and direction, so an Arabic field is
    typed right to left even on an English page.
    """
    for name, field in form.fields.items():
        widget = field.widget
        if name.endswith("_ar"):
            widget.attrs.setdefault("dir", "rtl")
            widget.attrs.setdefault("lang", "ar")
        if isinstance(widget, _PLAIN_INPUTS):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        existing = widget.attrs.get("class", "")
        if css not in existing.split():
            widget.attrs["class"] = f"{existing} {css}".strip()


class DateInput(DirectDateInput):
    """A day typed in the browser's date picker (``<input type="date">``), as ISO 8601."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class MonthField(forms.DateField):
    """A month typed as YYYY-MM (``<input type="month">``), read as its first day."""

    input_formats = ["%Y-%m"]
    widget = DirectDateInput(attrs={"type": "month", "class": "form-control"}, format="%Y-%m")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("input_formats", self.input_formats)
        kwargs.setdefault("help_text", gettext_lazy("Year and month, for example 2026-03."))
        super().__init__(*args, **kwargs)


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: each message on its field when the form
    has that field, the others above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)
