"""The field types and parsers for what people type or upload.

Every whole number is read by ``parse_whole_number``: in forms (``WholeNumberField``), in
the cells of the 4W import and of the findings sheet, and in query strings (``query_int``).
Its digits may be ASCII, Arabic-Indic (U+0660 to U+0669) or Extended Arabic-Indic (U+06F0
to U+06F9), grouped by "," or the Arabic thousands separator (U+066C). Anything else is
refused with one message, including what ``str.isdigit`` or ``int`` take besides ("²",
other scripts' digits, "1_000", "+5"). Each number has an upper bound that fits its column,
so a value never reaches PostgreSQL to fail there. A number with decimals (a longitude in a
facility sheet) is read by ``parse_decimal``, with the same digits and a point or the Arabic
decimal separator (U+066B).

Text is refused when it holds a NUL character, which PostgreSQL cannot store, or a lone
surrogate, which cannot be written as UTF-8 (``check_text``, ``TextField``).
"""

import csv
import decimal
import math
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.http import QueryDict
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

INT_MAX = 2_147_483_647  # PostgreSQL's integer
INT_MIN = -INT_MAX - 1
# A 4W row is one activity in one district in one month: more people than this is a typo,
# and six such figures still add up to a total that fits the column.
MAX_PEOPLE_IN_ROW = 10_000_000

_DIGITS = str.maketrans(
    {**{chr(0x0660 + n): str(n) for n in range(10)}, **{chr(0x06F0 + n): str(n) for n in range(10)}}
)
_WHOLE_NUMBER = re.compile(r"-?[0-9]+(?:[,\u066c][0-9]+)*")
# More significant digits than PostgreSQL's bigint holds: out of every bound, found without
# converting thousands of digits.
_MAX_DIGITS = 19
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

NOT_A_NUMBER = gettext_lazy("Enter a whole number, in digits only (for example 1250).")
NOT_A_DECIMAL = gettext_lazy(
    "Enter a number in digits, with a point before any decimals (for example 35.204)."
)
TOO_LARGE = gettext_lazy("Enter a number no larger than %(limit_value)s.")
TOO_SMALL = gettext_lazy("Enter a number no smaller than %(limit_value)s.")
UNSTORABLE_TEXT = gettext_lazy(
    "The text holds an invisible character that cannot be saved (a NUL or a broken "
    "character). Remove it, or type the text again."
)


# --- numbers ---------------------------------------------------------------------------------


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _bound_error(message, code: str, limit: int) -> ValidationError:
    shown = number_format(limit, force_grouping=True)
    return ValidationError(message, code=code, params={"limit_value": shown})


def ascii_digits(text: str) -> str:
    """The text with its Arabic-Indic and Extended Arabic-Indic digits written in ASCII."""
    return text.translate(_DIGITS)


def _text_to_int(text: str) -> int:
    text = ascii_digits(text.strip())
    if not _WHOLE_NUMBER.fullmatch(text):
        raise ValidationError(NOT_A_NUMBER, code="invalid")
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("-").replace(",", "").replace("\u066c", "").lstrip("0") or "0"
    if len(digits) > _MAX_DIGITS:
        return sign * 10**_MAX_DIGITS
    return sign * int(digits)


def _to_int(value: object) -> int:
    if isinstance(value, bool):
        raise ValidationError(NOT_A_NUMBER, code="invalid")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValidationError(NOT_A_NUMBER, code="invalid")
    return _text_to_int(str(value))


def parse_whole_number(
    value: object, *, minimum: int = INT_MIN, maximum: int = INT_MAX
) -> int | None:
    """A whole number typed or read from a cell; None when blank; ValidationError otherwise.

    Spreadsheet cells may hold an int or a float (12.0 is 12); text follows the digit rules
    of the module. The error's code is "invalid", "max_value" or "min_value".
    """
    if is_blank(value):
        return None
    number = _to_int(value)
    if number > maximum:
        raise _bound_error(TOO_LARGE, "max_value", maximum)
    if number < minimum:
        raise _bound_error(TOO_SMALL, "min_value", minimum)
    return number


def whole_number_or_none(value: object, *, minimum: int = 0, maximum: int = INT_MAX) -> int | None:
    """The whole number within bounds, or None when blank or refused (a filter ignores it)."""
    try:
        return parse_whole_number(value, minimum=minimum, maximum=maximum)
    except ValidationError:
        return None


def query_int(
    params: QueryDict, name: str, *, minimum: int = 0, maximum: int = INT_MAX
) -> int | None:
    """A query-string parameter as a whole number within bounds; None when absent or not one."""
    return whole_number_or_none(params.get(name), minimum=minimum, maximum=maximum)


_DECIMAL = re.compile(r"-?(?:[0-9]+(?:[.\u066b][0-9]*)?|[.\u066b][0-9]+)")
# Digits before the decimal mark past which a figure is out of every bound, found without
# converting thousands of digits.
_MAX_WHOLE_DIGITS = 15


def parse_decimal(
    value: object, *, minimum: int, maximum: int, places: int = 6
) -> decimal.Decimal | None:
    """A number with decimals typed or read from a cell, within the bounds, then rounded to
    ``places``; None when blank; ValidationError otherwise.

    The digits follow the rules of ``parse_whole_number``; the decimal mark is a point or
    the Arabic decimal separator (U+066B). No thousands separators, exponents, "NaN" or
    "Infinity". A cell's float is read as the number it shows. The error's code is
    "invalid", "max_value" or "min_value".
    """
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValidationError(NOT_A_DECIMAL, code="invalid")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValidationError(NOT_A_DECIMAL, code="invalid")
        text = repr(value)
        if "e" in text or "E" in text:  # far past any bound, or below a millionth
            text = f"{value:.{places + 1}f}"
    elif isinstance(value, int | decimal.Decimal):
        text = str(value)
    else:
        text = ascii_digits(str(value).strip())
    if not _DECIMAL.fullmatch(text):
        raise ValidationError(NOT_A_DECIMAL, code="invalid")
    text = text.replace("\u066b", ".")
    negative = text.startswith("-")
    if len(text.lstrip("-").split(".")[0].lstrip("0")) > _MAX_WHOLE_DIGITS:
        if negative:
            raise _bound_error(TOO_SMALL, "min_value", minimum)
        raise _bound_error(TOO_LARGE, "max_value", maximum)
    number = decimal.Decimal(text)
    if number > maximum:
        raise _bound_error(TOO_LARGE, "max_value", maximum)
    if number < minimum:
        raise _bound_error(TOO_SMALL, "min_value", minimum)
    return number.quantize(decimal.Decimal(1).scaleb(-places))


def message_of(error: ValidationError) -> str:
    """The first message of a parser's error, its parameters filled in."""
    return next(iter(error))


# --- text ------------------------------------------------------------------------------------


def is_storable_text(text: str) -> bool:
    """False when the text holds a NUL character or a lone surrogate."""
    return not _UNSTORABLE.search(text)


def storable(text: str) -> str:
    """The text with each character that cannot be stored replaced by U+FFFD, to keep what
    was typed around it (an unfinished row, a findings cell)."""
    return _UNSTORABLE.sub("\ufffd", text)


def check_text(value: object) -> None:
    """Raise a ValidationError when a text cannot be stored as it is."""
    if isinstance(value, str) and not is_storable_text(value):
        raise ValidationError(UNSTORABLE_TEXT, code="unstorable_text")


def query_text(params: QueryDict, name: str, *, max_length: int) -> str | None:
    """A query-string parameter's text, stripped and cut; None when it cannot be stored."""
    text = (params.get(name) or "")[:max_length].strip()
    return text if is_storable_text(text) else None


def csv_problem(error: csv.Error) -> str:
    """What Python's CSV reader could not read, in the user's language."""
    reason = str(error)
    if reason.startswith("field larger than field limit"):
        return _("a cell is longer than %(limit)s characters") % {
            "limit": number_format(csv.field_size_limit(), force_grouping=True)
        }
    if "expected after" in reason or "unexpected end of data" in reason:
        return _("a quotation mark is missing, or a character follows a closing quotation mark")
    return _("its separators or quotation marks are not as CSV expects")


# --- form fields -----------------------------------------------------------------------------


class WholeNumberField(forms.IntegerField):
    """An integer field that reads digits as ``parse_whole_number`` does, bounded by its column.

    ``max_value`` defaults to PostgreSQL's integer; give a field its plausible maximum. Its
    messages are formatted with ``limit_value``: a "%" of their own is written "%%".
    """

    default_error_messages = {
        "invalid": NOT_A_NUMBER,
        "max_value": TOO_LARGE,
        "min_value": TOO_SMALL,
    }

    def __init__(self, *, max_value: int = INT_MAX, min_value: int | None = None, **kwargs):
        super().__init__(max_value=max_value, min_value=min_value, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        minimum = INT_MIN if self.min_value is None else self.min_value
        try:
            return parse_whole_number(value, minimum=minimum, maximum=self.max_value)
        except ValidationError as error:
            # Always parameters, so every message is formatted once, whatever its code.
            params = {"limit_value": "", **(error.params or {})}
            raise ValidationError(
                self.error_messages[error.code], code=error.code, params=params
            ) from None


class TextField(forms.CharField):
    """A text field that refuses NUL characters and lone surrogates with one message."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [
            validator
            for validator in self.validators
            if not isinstance(validator, ProhibitNullCharactersValidator)
        ]
        self.validators.append(check_text)
