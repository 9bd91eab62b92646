"""How the facility imports read a cell: numbers with decimals (``core.inputs.parse_decimal``),
lists of answers in either language, days, hashtags, and the template's own quoted text."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.inputs import parse_decimal
from core.sheets import cell_text, normal_tag
from facilities.imports import _choice_words, _date, _listed
from facilities.models import Cause


@pytest.mark.parametrize(
    ("value", "number"),
    [
        (35.204, Decimal("35.204000")),
        ("35.2041237", Decimal("35.204124")),
        ("\u0663\u0665\u066b\u0662", Decimal("35.200000")),  # 35.2 in Arabic-Indic digits
        ("-180", Decimal("-180.000000")),
        (" 12 ", Decimal("12.000000")),
        (".5", Decimal("0.500000")),
        (1e-7, Decimal("0.000000")),
        ("", None),
        (None, None),
    ],
)
def test_a_number_with_decimals_is_read_in_either_script(value, number):
    assert parse_decimal(value, minimum=-180, maximum=180) == number


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("east", "invalid"),
        ("1e5", "invalid"),
        ("NaN", "invalid"),
        ("Infinity", "invalid"),
        (float("inf"), "invalid"),
        (float("nan"), "invalid"),
        ("1,5", "invalid"),
        (True, "invalid"),
        ("9" * 100_000, "max_value"),
        ("-" + "9" * 100_000, "min_value"),
        (1e300, "max_value"),
        ("-180.0000001", "min_value"),
    ],
)
def test_anything_else_is_refused_with_a_code(value, code):
    with pytest.raises(ValidationError) as refused:
        parse_decimal(value, minimum=-180, maximum=180)
    assert refused.value.code == code


def test_causes_are_read_as_codes_or_words_even_with_commas_inside():
    words = _choice_words(Cause)
    text = "staff، Lack of utilities (power, fuel, water); INSECURITY"
    assert _listed(text, words) == (["staff", "utilities", "insecurity"], [])
    assert _listed("staff, bad luck,,", words) == (["staff"], ["bad luck"])


def test_a_list_of_thousands_of_commas_is_read_in_one_pass():
    found, unknown = _listed("," * 50_000 + "x" + ",y" * 20_000, _choice_words(Cause))
    assert (found, len(unknown)) == ([], 20_001)


@pytest.mark.parametrize(
    ("value", "day"),
    [
        # A spreadsheet's dates are naive.
        (datetime.datetime(2026, 3, 4, 0, 0), datetime.date(2026, 3, 4)),  # noqa: DTZ001
        (datetime.date(2026, 3, 4), datetime.date(2026, 3, 4)),
        ("2026-3-4", datetime.date(2026, 3, 4)),
        ("٢٠٢٦-٠٣-٠٤", datetime.date(2026, 3, 4)),
    ],
)
def test_a_day_is_a_date_cell_or_year_month_day(value, day):
    assert _date(value) == day


@pytest.mark.parametrize("value", ["4/3/2026", "2026-02-30", "2026-13-01", 46000, "", "x" * 1000])
def test_anything_else_is_not_a_day(value):
    with pytest.raises(ValueError):  # noqa: PT011 - what the reader catches
        _date(value)


def test_hashtags_are_compared_whatever_their_case_spaces_and_order_of_attributes():
    assert normal_tag(" #LOC +i_en+name ") == normal_tag("#loc+name+i_en")
    assert normal_tag("#status") != normal_tag("#status+building")


def test_the_quote_the_template_puts_before_a_formula_is_taken_off():
    assert cell_text("'=SUM(A1)") == "=SUM(A1)"
    assert cell_text("'quoted") == "'quoted"
    assert cell_text(12.0) == "12"
