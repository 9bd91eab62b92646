"""A field as every form shows it (``core.fields``, through ``partials/field.html``): its
label tied to its input, "(required)", its help text read out with it, its errors."""

from html.parser import HTMLParser

import pytest
from django import forms
from django.template.loader import render_to_string
from django.utils import translation

HOSTILE = "<script>alert(1)</script>"


class Sample(forms.Form):
    name = forms.CharField(label="name of the site", help_text="As on its sign.")
    note = forms.CharField(label=HOSTILE, required=False)
    urgent = forms.BooleanField(label="urgent", required=False, help_text="Tick if today.")
    partners = forms.MultipleChoiceField(
        label="partners",
        choices=[("1", "Alpha"), ("2", "Beta")],
        widget=forms.CheckboxSelectMultiple,
        help_text="Those who took part.",
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)


class Tags(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        if data.strip():
            self.text.append(data.strip())

    def first(self, tag: str, **attrs) -> dict:
        return next(a for t, a in self.tags if t == tag and attrs.items() <= a.items())


def shown(form: forms.Form, name: str) -> Tags:
    return Tags(render_to_string("partials/field.html", {"field": form[name]}))


def test_a_field_names_itself_says_it_is_required_and_reads_out_its_help():
    page = shown(Sample(), "name")
    label, box = page.first("label"), page.first("input", name="name")
    assert label["for"] == box["id"] == "id_name"
    assert page.text[:2] == ["Name of the site", "(required)"]
    help_text = page.first("div", id="id_name_helptext")
    assert help_text
    assert "As on its sign." in page.text
    assert box["aria-describedby"] == "id_name_helptext"


def test_a_field_shows_its_errors_and_is_marked_invalid():
    form = Sample(data={"name": ""})
    form.is_valid()
    page = shown(form, "name")
    assert "This field is required." in page.text
    assert page.first("input", name="name")["aria-invalid"] == "true"


def test_an_optional_field_does_not_say_required_and_its_label_is_escaped():
    page = shown(Sample(), "note")
    assert "(required)" not in page.text
    assert page.text[0] == HOSTILE
    assert not any(tag == "script" for tag, _ in page.tags)


def test_a_checkbox_has_its_label_after_it():
    page = shown(Sample(), "urgent")
    assert page.first("div")["class"] == "form-check mb-3"
    assert page.first("label")["for"] == page.first("input", type="checkbox")["id"]
    assert page.text == ["Urgent", "Tick if today."]


def test_a_list_of_boxes_is_a_fieldset_whose_legend_and_help_are_read_out():
    page = shown(Sample(), "partners")
    fieldset = page.first("fieldset")
    assert fieldset["aria-describedby"] == "id_partners_helptext"
    assert page.first("div", id="id_partners_helptext")
    assert page.text[:3] == ["Partners", "(required)", "Those who took part."]
    assert [a["value"] for t, a in page.tags if t == "input"] == ["1", "2"]


def test_a_hidden_field_is_only_its_input():
    page = shown(Sample(initial={"token": "x"}), "token")
    assert [tag for tag, _ in page.tags] == ["input"]
    assert page.text == []


@pytest.mark.parametrize(("language", "required"), [("en", "(required)"), ("ar", "(مطلوب)")])
def test_required_is_said_in_the_pages_language(language, required):
    with translation.override(language):
        assert required in shown(Sample(), "name").text
