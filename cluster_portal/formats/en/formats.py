"""English dates as the UN system writes them: day, month in words, year ("6 December 2026";
"6 Dec 2026" where room is short), and a 24-hour clock ("23:59"). Django's own (US) formats
wrote "12/04/2026", read as April by half the readers, and "11:59 p.m.", whose period doubled
at the end of a sentence."""

from django.conf.locale.en.formats import *  # noqa: F403

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
FIRST_DAY_OF_WEEK = 1  # Monday
