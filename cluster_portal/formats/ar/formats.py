"""Arabic formats.

Numbers: Django's own group nothing and use "." for thousands and "," for decimals, which a
reader of English figures takes the other way round. The Arabic separators (U+066C
thousands, U+066B decimal) group by three and cannot be misread; the digits stay the ones
the Arabic pages use everywhere (0-9).

Dates: the same order as the English pages (day, month in words, year) with the Arabic
comma before the time, and a 24-hour clock; Django has no Arabic date-and-time format and
fell back to the English one ("Dec. 6, 2026, 11:59 p.m.")."""

from django.conf.locale.ar.formats import *  # noqa: F403

DECIMAL_SEPARATOR = "\u066b"
THOUSAND_SEPARATOR = "\u066c"
NUMBER_GROUPING = 3

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y\u060c H:i"
SHORT_DATETIME_FORMAT = "j F Y\u060c H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
FIRST_DAY_OF_WEEK = 6  # Saturday
