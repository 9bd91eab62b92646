"""The widgets that render without a template write what Django's own widgets write.

Compared as parsed HTML (each element's tag, attributes and text), so attribute order and
spacing do not matter, but a missing "selected", "required", "checked" or escape does.
"""

import datetime
from html.parser import HTMLParser

import pytest
from django import forms
from django.utils.safestring import mark_safe

from core.widgets import (
    DirectCheckboxInput,
    DirectCheckboxSelectMultiple,
    DirectDateInput,
    DirectHiddenInput,
    DirectNumberInput,
    DirectSelect,
    DirectTextarea,
    DirectTextInput,
    SharedOptions,
    SharedOptionsSelect,
)

HOSTILE = '"><script>alert(1)</script>&amp; \u202e'
CHOICES = [
    ("", "—"),
    ("1", "Gaza (PS01)"),
    (HOSTILE, HOSTILE),
    ("North <governorates>", [("2", "Jabalia"), ("3", f"Beit Hanoun {HOSTILE}")]),
]


class Elements(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.items: list = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.items.append((tag, sorted((name, value or "") for name, value in attrs)))

    def handle_data(self, data):
        if data.strip():
            self.items.append(("text", data.strip()))


def same(ours: str, django: str) -> None:
    assert Elements(ours).items == Elements(django).items


@pytest.mark.parametrize("value", [None, "", "1", "3", HOSTILE, "not a choice"])
def test_the_direct_select_writes_what_djangos_select_writes(value):
    attrs = {"id": "id_area", "class": "form-select", "required": True, "aria-invalid": "true"}
    ours = DirectSelect(attrs={"class": "form-select"}, choices=CHOICES)
    django = forms.Select(attrs={"class": "form-select"}, choices=CHOICES)
    same(ours.render("area", value, attrs), django.render("area", value, attrs))


@pytest.mark.parametrize("value", [None, "1", "3", "not a choice"])
def test_a_shared_options_select_writes_what_djangos_select_writes(value):
    options = SharedOptions(CHOICES)
    ours = SharedOptionsSelect(options, attrs={"class": "form-select"})
    django = forms.Select(attrs={"class": "form-select"}, choices=CHOICES)
    same(ours.render("row-area", value, {"id": "x"}), django.render("row-area", value, {"id": "x"}))


def test_a_shared_select_asks_for_a_choice_only_when_it_starts_blank():
    assert SharedOptionsSelect(SharedOptions(CHOICES)).use_required_attribute(None)
    assert not SharedOptionsSelect(SharedOptions(CHOICES[1:])).use_required_attribute(None)


@pytest.mark.parametrize(
    ("ours", "django"),
    [
        (DirectTextInput, forms.TextInput),
        (DirectHiddenInput, forms.HiddenInput),
        (DirectTextarea, forms.Textarea),
        (DirectNumberInput, forms.NumberInput),
    ],
)
@pytest.mark.parametrize("value", [None, "", 0, 12, HOSTILE])
def test_direct_inputs_write_what_djangos_write(ours, django, value):
    attrs = {"id": "id_x", "class": "form-control", "min": 0, "required": False}
    same(ours(attrs=attrs).render("x", value), django(attrs=attrs).render("x", value))


@pytest.mark.parametrize("value", [None, False, True, "on", ""])
def test_the_direct_checkbox_writes_what_djangos_writes(value):
    ours = DirectCheckboxInput(attrs={"class": "form-check-input"}).render("DELETE", value)
    same(ours, forms.CheckboxInput(attrs={"class": "form-check-input"}).render("DELETE", value))


@pytest.mark.parametrize("value", [None, "", "2026-03", datetime.date(2026, 3, 1), HOSTILE])
def test_the_direct_date_input_writes_what_djangos_writes(value):
    attrs = {"type": "month", "class": "form-control"}
    ours = DirectDateInput(attrs=attrs, format="%Y-%m").render("first_month", value)
    same(ours, forms.DateInput(attrs=attrs, format="%Y-%m").render("first_month", value))


@pytest.mark.parametrize("value", [None, [], ["1"], ["1", "3", HOSTILE], ["not a choice"]])
def test_the_direct_checkboxes_write_what_djangos_write(value):
    # A label already marked safe is written as it is, as Django's template writes it.
    choices = [*CHOICES[1:], ("9", mark_safe("<em>Marked</em> safe"))]
    attrs = {"id": "id_partners", "aria-invalid": "true"}
    ours = DirectCheckboxSelectMultiple(attrs={"class": "list"}, choices=choices)
    django = forms.CheckboxSelectMultiple(attrs={"class": "list"}, choices=choices)
    rendered = ours.render("partners", value, attrs)
    same(rendered, django.render("partners", value, attrs))
    assert rendered.count(" checked") == len([v for v in value or [] if v in ("1", "3", HOSTILE)])
