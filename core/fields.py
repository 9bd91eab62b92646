"""A form field with its label, help text and errors, as every form of the portal shows it.

Written in Python rather than a template: a project's edit page shows 200 fields, and the
template of each cost more than the rest of the page. ``partials/field.html`` calls this,
so the markup is defined here once.
"""

from django.forms import BoundField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext as _


def render_field(field: BoundField) -> SafeString:
    if field.is_hidden:
        return format_html("{}", field)
    if field.widget_type == "checkbox":
        return _checkbox(field)
    if field.use_fieldset:
        return _fieldset(field)
    return format_html(
        '<div class="mb-3">\n<label class="form-label fw-semibold" for="{}">{}{}</label>\n'
        "{}{}{}</div>",
        field.id_for_label,
        capfirst(field.label),
        _required(field),
        field,
        _help(field, "form-text"),
        _errors(field, "invalid-feedback d-block"),
    )


def _checkbox(field: BoundField) -> SafeString:
    return format_html(
        '<div class="form-check mb-3">\n{}\n<label class="form-check-label" for="{}">{}</label>'
        "{}{}</div>",
        field,
        field.id_for_label,
        capfirst(field.label),
        _help(field, "form-text"),
        _errors(field, "invalid-feedback d-block"),
    )


def _fieldset(field: BoundField) -> SafeString:
    described = format_html(' aria-describedby="{}_helptext"', field.auto_id)
    return format_html(
        '<fieldset class="mb-3"{}>\n<legend class="form-label fs-6 fw-semibold">{}{}</legend>'
        "{}{}\n{}</fieldset>",
        described if field.help_text else "",
        capfirst(field.label),
        _required(field),
        _help(field, "form-text mt-0 mb-2"),
        _errors(field, "invalid-feedback d-block mb-2"),
        field,
    )


def _required(field: BoundField) -> SafeString:
    if not field.field.required:
        return SafeString("")
    return format_html(' <span class="text-danger">{}</span>', _("(required)"))


def _help(field: BoundField, css: str) -> SafeString:
    if not field.help_text:
        return SafeString("")
    return format_html(
        '\n<div class="{}" id="{}_helptext">{}</div>', css, field.auto_id, field.help_text
    )


def _errors(field: BoundField, css: str) -> SafeString:
    return format_html_join(
        "", '\n<div class="{}">{}</div>', ((css, error) for error in field.errors)
    )
