"""The 4W edit page's cells written in Python: a page of 25 rows has about 350 of them, and a
template include each cost more than their widgets (issue 22). Each writes the markup
``activities/reports/_cell.html`` wrote."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext as _

register = template.Library()

CELL = (
    '<div class="{}"{}>\n'
    '  <label class="form-label small fw-semibold" for="{}">{}{}</label>\n'
    "  {}\n"
    "  {}\n"
    "</div>"
)


@register.simple_tag
def report_cell(field, width: str = "", figure: str = "") -> SafeString:
    """``{% report_cell form.area "col-12 col-md-4" %}``: the field's label, "(required)", its
    widget and its errors in a column of the row's grid (``figure`` names a figure's cell)."""
    required = (
        format_html(' <span class="text-danger">{}</span>', _("(required)"))
        if field.field.required
        else ""
    )
    errors = format_html_join(
        "", '<div class="invalid-feedback d-block">{}</div>', ((error,) for error in field.errors)
    )
    return format_html(
        CELL,
        width or "col-6 col-md-3",
        format_html(' data-figure="{}"', figure) if figure else "",
        field.id_for_label,
        capfirst(field.label),
        required,
        field,
        errors,
    )
