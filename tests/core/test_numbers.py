"""``grouped`` writes what Django's ``intcomma`` writes, in every language of the portal."""

import pytest
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import translation

from core.numbers import grouped

NUMBERS = [0, 7, -7, 999, 1000, -1000, 12_345, 999_999, 1_000_000, -2_147_483_648, 10**15]


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
@pytest.mark.parametrize("number", NUMBERS)
def test_a_whole_number_is_written_as_intcomma_writes_it(language, number):
    with translation.override(language):
        assert grouped(number) == intcomma(number)


@pytest.mark.parametrize("value", [None, "", "text", 12.5, True])
def test_anything_else_goes_through_intcomma(value):
    with translation.override("ar"):
        assert grouped(value) == intcomma(value)


def test_arabic_groups_with_the_arabic_thousands_separator():
    with translation.override("ar"):
        assert grouped(1_234_567) == "1\u066c234\u066c567"
