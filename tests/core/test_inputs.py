"""The one set of parsers and field types for what people type or upload (issue 21)."""

import csv
import io

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import translation

from core.inputs import (
    INT_MAX,
    TextField,
    WholeNumberField,
    check_text,
    csv_problem,
    parse_whole_number,
    query_int,
    query_text,
    whole_number_or_none,
)

NOT_A_NUMBER = "Enter a whole number, in digits only (for example 1250)."


@pytest.mark.parametrize(
    ("value", "number"),
    [
        ("1250", 1250),
        (" 1,250 ", 1250),
        ("١٢٥٠", 1250),  # Arabic-Indic
        ("۱۲۵۰", 1250),  # Extended Arabic-Indic (Persian, Urdu)
        ("\u0661\u066c\u0662\u0665\u0660", 1250),  # the Arabic thousands separator
        ("1٬250", 1250),
        ("-4", -4),
        ("007", 7),
        (12, 12),
        (12.0, 12),
        ("2147483647", INT_MAX),
    ],
)
def test_it_reads_digits_of_the_three_accepted_scripts(value, number):
    assert parse_whole_number(value) == number


@pytest.mark.parametrize(
    "value",
    [
        "²",  # str.isdigit() accepts it, int() does not: the crash of issue 21
        "³",
        "१२",  # Devanagari: int() accepts it, the portal does not
        "\uff11\uff12",  # full-width digits
        "1²",
        "1_000",
        "+5",
        "12.0",
        "1 250",
        ",12",
        "1,,2",
        "ten",
        "\x00",
        12.5,
        float("nan"),
        True,
    ],
)
def test_it_refuses_anything_else_with_one_message(value):
    with pytest.raises(ValidationError) as caught:
        parse_whole_number(value)

    assert caught.value.messages == [NOT_A_NUMBER]
    assert caught.value.code == "invalid"


@pytest.mark.parametrize("value", [None, "", "   "])
def test_a_blank_value_is_none(value):
    assert parse_whole_number(value) is None


@pytest.mark.parametrize("value", ["2147483648", 2_147_483_648, 3e12, "9" * 100_000])
def test_a_number_too_large_for_the_column_is_refused_before_the_database(value):
    with pytest.raises(ValidationError) as caught:
        parse_whole_number(value)

    assert caught.value.messages == ["Enter a number no larger than 2,147,483,647."]


def test_a_field_has_its_own_plausible_maximum_and_minimum():
    with pytest.raises(ValidationError) as too_large:
        parse_whole_number("1001", maximum=1000)
    with pytest.raises(ValidationError) as too_small:
        parse_whole_number("-1", minimum=0)

    assert too_large.value.messages == ["Enter a number no larger than 1,000."]
    assert too_small.value.messages == ["Enter a number no smaller than 0."]


def test_whole_number_or_none_ignores_what_it_cannot_read():
    assert whole_number_or_none("٣") == 3
    assert whole_number_or_none("²") is None
    assert whole_number_or_none("-1") is None
    assert whole_number_or_none("2147483648") is None


def test_query_int_reads_a_parameter_or_ignores_it():
    params = QueryDict("page=%C2%B2&level=2&organisation=99999999999&month=%D9%A3")

    assert query_int(params, "page") is None
    assert query_int(params, "level", maximum=3) == 2
    assert query_int(params, "organisation") is None
    assert query_int(params, "month", minimum=1, maximum=12) == 3
    assert query_int(params, "missing") is None


def test_query_text_refuses_a_nul_and_cuts_to_its_length():
    params = QueryDict("q=a%00b&name=%20north%20")

    assert query_text(params, "q", max_length=100) is None
    assert query_text(params, "name", max_length=3) == "no"
    assert query_text(params, "missing", max_length=10) == ""


@pytest.mark.parametrize("text", ["a\x00b", "\ud800", "x\udfffy"])
def test_text_with_a_nul_or_a_lone_surrogate_is_refused(text):
    with pytest.raises(ValidationError) as caught:
        check_text(text)

    assert caught.value.code == "unstorable_text"


def test_ordinary_text_in_any_script_passes():
    check_text("Hôpital الشمال 🏥 ‮")


class NumbersForm(forms.Form):
    """A bounded whole number and a text, as the portal's forms declare them."""

    people = WholeNumberField(required=False, min_value=0, max_value=10_000)
    name = TextField(required=False, max_length=20)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("²", NOT_A_NUMBER),
        ("१२", NOT_A_NUMBER),
        ("10001", "Enter a number no larger than 10,000."),
        ("99999999999999999999", "Enter a number no larger than 10,000."),
        ("-1", "Enter a number no smaller than 0."),
    ],
)
def test_the_number_field_refuses_with_the_parsers_message(value, message):
    form = NumbersForm({"people": value})

    assert not form.is_valid()
    assert form.errors["people"] == [message]


def test_the_number_field_reads_arabic_indic_digits():
    form = NumbersForm({"people": "٩٬٩٩٩", "name": "x"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["people"] == 9999


def test_the_number_field_tells_the_browser_its_bounds():
    html = str(NumbersForm(None)["people"])

    assert 'max="10000"' in html
    assert 'min="0"' in html


@pytest.mark.parametrize("value", ["a\x00b", "\ud800"])
def test_the_text_field_refuses_with_one_message(value):
    form = NumbersForm({"name": value})

    assert not form.is_valid()
    assert form.errors["name"] == [
        "The text holds an invisible character that cannot be saved (a NUL or a broken "
        "character). Remove it, or type the text again."
    ]


def _csv_error(text: str) -> csv.Error:
    try:
        list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as error:
        return error
    raise AssertionError("the text was read")


def test_the_csv_readers_complaints_are_said_in_the_users_language():
    too_long = _csv_error("a" * (csv.field_size_limit() + 1))
    quotes = _csv_error('"a"b,c\n')

    assert csv_problem(too_long) == "a cell is longer than 131,072 characters"
    assert "quotation mark" in csv_problem(quotes)
    with translation.override("ar"):
        assert "field limit" not in csv_problem(too_long)
        assert "131" in csv_problem(too_long)
