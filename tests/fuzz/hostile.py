"""Hypothesis strategies of what a hostile or unlucky person types into a field.

Every value is a ``str`` as a form or a query string carries it: numbers past every column's
range, digits of every script (most pass ``str.isdigit`` and some fail ``int``), NUL and
other control characters, lone surrogates, right-to-left overrides, texts of 100,000
characters and markup nested deep enough to exhaust a recursive parser. Lone surrogates
cannot be encoded in UTF-8; the walker sends them as a client can (``surrogatepass``).
"""

import functools
import zlib

from hypothesis import strategies as st

# The zero of each script's decimal digits, and the characters that read as digits
# without being decimal ones (``"²".isdigit()`` is true, ``int("²")`` fails).
DIGIT_ZEROS = {
    "Arabic-Indic": 0x0660,
    "Extended Arabic-Indic": 0x06F0,
    "Devanagari": 0x0966,
    "Bengali": 0x09E6,
    "Thai": 0x0E50,
    "Myanmar": 0x1040,
    "Fullwidth": 0xFF10,
    "Mathematical bold": 0x1D7CE,
}
NOT_DECIMAL_DIGITS = "²³¹⁰⁴⁵⁹₀₁₂①②⑳⓪❶𐩀Ⅻ½¼"

# One of each class that has crashed a parser or a page, first in the order the derandomized
# run of `make test` sends them: the roles of one URL get consecutive ones. A field of a
# known kind gets the classes that matter for it first.
FIRST_CLASSICS = {
    "": [
        "2147483648",  # past a PostgreSQL integer
        "²",  # passes str.isdigit, fails int
        "1\x00",  # NUL, refused by PostgreSQL text columns
        "- " * 1000 + "x",  # 2 KB of nested Markdown lists
        "١٢٣",  # Arabic-Indic digits
        "\ud800",  # a lone surrogate
        "[" * 5000,  # a run of link openers
        "a" * 100_000,  # far past every column's length
    ],
    # Six, one for each role: every role of a public page sends each one to each parameter.
    "query": ["²", "1\x00", "2147483648", "١٢٣", "-2147483649", "a" * 100_000],
    "number": ["2147483648", "²", "١٢٣", "-2147483649"],
    "textarea": ["- " * 1000 + "x", "[" * 5000, "1\x00", "a" * 100_000],
}
# Values every parser has met at least once in a bug report.
CLASSICS = [
    *FIRST_CLASSICS[""],
    "-2147483649",
    "9223372036854775808",
    "99999999999999999999999999999999",
    "-1",
    "-0",
    "0",
    "1e309",
    "-1e309",
    "1E5",
    "NaN",
    "Infinity",
    "0x1F",
    "1_000",
    "1,000",
    "1٬000",
    "1.5",
    "۱۲۳",
    "2²",
    "\u0661,\u0662\u0663\u0664",  # 1,234 in Arabic-Indic digits
    "\u0663.\u0665",  # 3.5
    "\x00",
    "a\udfffb",
    "\u202e1234",
    "\u200f٣\u200e",
    "\ufeff1",
    "0000-00-00",
    "9999-12-31",
    "2026-02-30",
    "99999-01-01",
    "=1+2",
    "@SUM(A1)",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%00",
    "%",
    "",
    " ",
]

SEPARATORS = ["", ",", "\u066c", ".", "\u066b", " ", "\u00a0", "_", "'"]
CONTROL = ["\x00", "\x01", "\x08", "\x1b", "\x7f", "\x85", "\u2028", "\ufffe", "\uffff"]
SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff"]
DIRECTION = ["\u202e", "\u202d", "\u2066", "\u2067", "\u2069", "\u200f", "\u061c"]
LONG_SIZES = [256, 1001, 5001, 65_536, 100_000]

# Openers whose parsers recurse or backtrack: Markdown lists, quotes, links, emphasis and
# code spans, and HTML.
NESTED_RUNS = ["[", "![", "(", "*", "_", "`", "- ", "1. ", "> ", "<div>", "<b><i>", "{{", "\\"]


def _in_script(number: int, zero: int) -> str:
    return "".join(chr(zero + int(digit)) if digit.isdigit() else digit for digit in str(number))


def _grouped(number: int, separator: str) -> str:
    text = f"{abs(number):,}".replace(",", separator)
    return ("-" if number < 0 else "") + text


def _nested_list(depth: int, marker: str) -> str:
    # Python-Markdown nests a list item indented by four spaces.
    return "\n".join("    " * level + marker + " x" for level in range(depth))


def _nested_quote(depth: int) -> str:
    return "> " * depth + "x"


def _nested_html(depth: int) -> str:
    return "<ul><li>" * depth + "x" + "</li></ul>" * depth


def numbers() -> st.SearchStrategy[str]:
    """Integers and decimals outside every column's range, in plain and grouped forms."""
    big = st.one_of(
        st.integers(min_value=2**31 - 2, max_value=2**31 + 2),
        st.integers(min_value=2**63 - 2, max_value=2**63 + 2),
        st.integers(min_value=-(2**64), max_value=2**64),
        st.integers(),
    )
    plain = big.map(str)
    grouped = st.builds(_grouped, big, st.sampled_from(SEPARATORS))
    decimals = st.floats(allow_nan=True, allow_infinity=True).map(repr)
    exponents = st.integers(min_value=-400, max_value=400).map(lambda e: f"1e{e}")
    return st.one_of(plain, grouped, decimals, exponents)


def digits_of_every_script() -> st.SearchStrategy[str]:
    """Numbers written with another script's digits, alone, mixed or grouped."""
    number = st.one_of(st.integers(min_value=0, max_value=999), st.integers(min_value=0))
    one_script = st.builds(_in_script, number, st.sampled_from(sorted(DIGIT_ZEROS.values())))
    not_decimal = st.text(alphabet=NOT_DECIMAL_DIGITS + "0123456789", min_size=1, max_size=12)
    mixed = st.lists(st.one_of(one_script, not_decimal), min_size=2, max_size=4).map(
        lambda parts: "".join(parts)
    )
    grouped = st.builds(
        lambda text, separator: separator.join([text, text]),
        one_script,
        st.sampled_from(SEPARATORS),
    )
    return st.one_of(one_script, not_decimal, mixed, grouped)


def invisible_and_broken() -> st.SearchStrategy[str]:
    """Plausible values with NUL, control characters, lone surrogates or direction marks."""
    plain = st.sampled_from(["1", "12", "North", "2026-01-15", "abc", "fuzz@example.org"])
    oddity = st.sampled_from(CONTROL + SURROGATES + DIRECTION)
    return st.one_of(
        st.builds(lambda left, odd, right: left + odd + right, plain, oddity, plain),
        st.builds(lambda odd, value: odd + value, oddity, plain),
        st.text(alphabet=CONTROL + SURROGATES + DIRECTION, min_size=1, max_size=8),
    )


def long_texts() -> st.SearchStrategy[str]:
    """Texts from just past a column's length to 100,000 characters."""
    unit = st.sampled_from(["a", "9", "٣", "²", "ش", "\u202e", "é", "😀", "ab\n", "\x00"])
    return st.builds(lambda text, size: (text * size)[:size], unit, st.sampled_from(LONG_SIZES))


def nested_markup() -> st.SearchStrategy[str]:
    """Deeply nested Markdown and HTML, and long runs of openers."""
    depth = st.sampled_from([50, 200, 1000, 5000])
    runs = st.builds(lambda opener, size: opener * size + "x", st.sampled_from(NESTED_RUNS), depth)
    return st.one_of(
        st.builds(_nested_list, st.sampled_from([50, 200]), st.sampled_from(["-", "*", "1."])),
        st.builds(_nested_quote, depth),
        st.builds(_nested_html, depth),
        runs,
    )


@functools.cache
def _hostile_from(first: str) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from([first, *CLASSICS]),
        numbers(),
        digits_of_every_script(),
        invisible_and_broken(),
        long_texts(),
        nested_markup(),
        st.text(max_size=40),
    )


def hostile_values(key: str = "", turn: int = 0, kind: str = "") -> st.SearchStrategy[str]:
    """Any of the above, and now and then a random text.

    Hypothesis tries the simplest value first: a classic from ``FIRST_CLASSICS`` for the
    field's kind ("query", "number", "textarea" or any other). Which one depends on ``key`` (the URL
    and field) and ``turn`` (the role), so that a single derandomized example still sends the
    fields of a page, and each role, different ones.
    """
    firsts = FIRST_CLASSICS.get(kind, FIRST_CLASSICS[""])
    return _hostile_from(firsts[(zlib.crc32(key.encode()) + turn) % len(firsts)])


def wire(value: str) -> bytes:
    """The bytes a client sends for the value; a lone surrogate goes as its UTF-8 form."""
    return value.encode("utf-8", "surrogatepass")


def describe(value: str, limit: int = 60) -> str:
    """A short, printable description of a value: its start, and its length when long."""
    shown = repr(value[:limit])
    return shown if len(value) <= limit else f"{shown}... ({len(value):,} characters)"
