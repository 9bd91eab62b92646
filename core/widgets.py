"""Widgets for pages that repeat the same long select many times.

Django renders every option of a select through a template: a page of 25 report rows, each
with an activity, an area and an organisation select of some 500 options in all, is 12,500
template renders, most of a second. ``SharedOptions`` renders a list of choices to HTML
once; ``SharedOptionsSelect`` then writes each select as that HTML with its own value
marked, so a page's selects cost a string copy each.
"""

from collections.abc import Callable, Iterable

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe


class SharedOptions:
    """The options of a list of choices (``(value, label)`` pairs, or ``(group, pairs)`` for
    an ``<optgroup>``), rendered to HTML once."""

    def __init__(self, choices: Iterable):
        parts, self.values = [], set()
        self.starts_blank = None
        # Iterated once, never measured: a model choice iterator counts its rows for len().
        for value, label in choices:
            if self.starts_blank is None:
                self.starts_blank = value in ("", None)
            if isinstance(label, list | tuple):
                parts.append(f'<optgroup label="{escape(value)}">')
                parts += [self._option(inner, text) for inner, text in label]
                parts.append("</optgroup>")
            else:
                parts.append(self._option(value, label))
        self.html = "".join(parts)
        self.starts_blank = bool(self.starts_blank)

    def _option(self, value, label) -> str:
        value = "" if value is None else str(value)
        self.values.add(value)
        return f'<option value="{escape(value)}">{escape(label)}</option>'

    def with_selected(self, value) -> str:
        value = "" if value is None else str(value)
        if value not in self.values:
            return self.html
        option = f'<option value="{escape(value)}">'
        return self.html.replace(option, f'<option value="{escape(value)}" selected>', 1)


class SharedOptionsSelect(forms.Select):
    """A select whose options come from a ``SharedOptions`` rendered once per page (or a
    function answering one, called when the select is first written)."""

    def __init__(self, options: SharedOptions | Callable[[], SharedOptions], attrs=None):
        super().__init__(attrs=attrs)
        self._options = options

    @property
    def options(self) -> SharedOptions:
        if callable(self._options):
            self._options = self._options()
        return self._options

    def use_required_attribute(self, initial) -> bool:
        # As Django's select: "required" only where the first option is a blank one.
        return not self.is_hidden and self.options.starts_blank

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        if isinstance(value, list | tuple):
            value = value[0] if value else None
        return mark_safe(f"<select{flatatt(final)}>{self.options.with_selected(value)}</select>")


class _Direct:
    """Render an input as one string, without the template Django renders it through: the
    same markup, at a fraction of the cost on pages of hundreds of inputs."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["type"] = self.input_type
        final["name"] = name
        value = self.format_value(value)
        if value is not None:
            final["value"] = value
        return mark_safe(f"<input{flatatt(final)}>")


class DirectTextInput(_Direct, forms.TextInput):
    pass


class DirectHiddenInput(_Direct, forms.HiddenInput):
    pass


class DirectCheckboxInput(_Direct, forms.CheckboxInput):
    def render(self, name, value, attrs=None, renderer=None):
        if self.check_test(value):
            attrs = {**(attrs or {}), "checked": True}
        return super().render(name, value, attrs, renderer)


class DirectTextarea(forms.Textarea):
    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        value = self.format_value(value)
        return mark_safe(f"<textarea{flatatt(final)}>\n{escape(value or '')}</textarea>")


class DirectSelect(forms.Select):
    """A select of one choice, its options written as one string rather than through a
    template each: a filter of 320 areas took 11 to 23 ms of every dashboard tab."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = self.format_value(value)
        html = SharedOptions(self.choices).with_selected(chosen[0] if chosen else "")
        return mark_safe(f"<select{flatatt(final)}>{html}</select>")


class DirectNumberInput(_Direct, forms.NumberInput):
    pass


class DirectDateInput(_Direct, forms.DateInput):
    pass


class DirectCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes written as one string, from Django's own options: a project's list of
    implementing partners is every approved organisation, a template per box each."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group, options, _index in widget["optgroups"]:
            boxes = "".join(f"<div>{self._box(option)}</div>" for option in options)
            label = conditional_escape(group)
            parts.append(f"<div><label>{label}</label>{boxes}</div>" if group else boxes)
        final = {"id": widget["attrs"].get("id"), "class": widget["attrs"].get("class")}
        return mark_safe(f"<div{flatatt(final)}>{''.join(parts)}</div>")

    @staticmethod
    def _box(option: dict) -> str:
        final = {"type": option["type"], "name": option["name"], "value": str(option["value"])}
        box = f"<input{flatatt({**final, **option['attrs']})}>"
        label_for = flatatt({"for": option["attrs"].get("id")})
        return f"<label{label_for}>{box} {conditional_escape(option['label'])}</label>"
