"""Arabic number formats: Django's own group nothing and use "." for thousands and "," for
decimals, which a reader of English figures takes the other way round. The Arabic separators
(U+066C thousands, U+066B decimal) group by three and cannot be misread."""

from django.conf.locale.ar.formats import *  # noqa: F403

DECIMAL_SEPARATOR = "\u066b"
THOUSAND_SEPARATOR = "\u066c"
NUMBER_GROUPING = 3
