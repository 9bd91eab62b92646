"""Failures caused by what a person sent: a file or a text the portal could not read.

The code that reads an upload or a typed text runs under ``reading_input(what)``, as a
``with`` block or a decorator. An unexpected error there (a parser's IndexError, a
RecursionError, a value out of the database's range) becomes an ``UnreadableInput`` that
names what was being read, chained to the original error. The 500 page
(``core.views.server_error``) then tells the person, in their language, that something in
what they sent could not be read, rather than asking them to try again later. The answer is
still a 500, and Django logs it with the original traceback like any other.

Only the reading goes under it, so the cause is known to be the input. Errors that are not
the input's are left as they are: those Django answers with a 4xx (a form's ValidationError,
PermissionDenied, Http404, a suspicious request), a database that fails for another reason
than a value it refuses, the network, running out of memory.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import (
    BadRequest,
    PermissionDenied,
    SuspiciousOperation,
    ValidationError,
)
from django.db import DatabaseError, DataError
from django.http import Http404

# Answered by Django with a 4xx, or failures of the server rather than of the input.
NOT_THE_INPUT = (
    ValidationError,
    PermissionDenied,
    Http404,
    SuspiciousOperation,
    BadRequest,
    ConnectionError,
    TimeoutError,
    MemoryError,
)


class UnreadableInput(Exception):
    """What a request sent could not be read; ``what`` names it for the person who sent it."""

    def __init__(self, what: str) -> None:
        super().__init__(str(what))
        self.what = what


def is_the_inputs_fault(error: Exception) -> bool:
    """Whether an error raised while reading what was sent can be put down to it."""
    if isinstance(error, NOT_THE_INPUT):
        return False
    return not isinstance(error, DatabaseError) or isinstance(error, DataError)


@contextmanager
def reading_input(what: str) -> Iterator[None]:
    """Put an unexpected error of the reading inside down to the input named ``what``
    (a lazy translation, shown in the language of the 500 page)."""
    try:
        yield
    except UnreadableInput:
        raise
    except Exception as error:
        if not is_the_inputs_fault(error):
            raise
        raise UnreadableInput(what) from error
