"""Form helpers shared by every app."""

from django import forms

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
