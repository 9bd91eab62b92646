"""Forms of the partners app, one module per workflow (registration, membership, review)."""

from django import forms

_PLAIN_INPUTS = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)


def add_bootstrap_classes(form: forms.BaseForm) -> None:
    """Give each widget Bootstrap's class, so templates render fields without repeating it."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, _PLAIN_INPUTS):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        existing = widget.attrs.get("class", "")
        if css not in existing.split():
            widget.attrs["class"] = f"{existing} {css}".strip()
