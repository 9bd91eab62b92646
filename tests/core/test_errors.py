"""What ``reading_input`` puts down to the input a request sent, and what it leaves alone."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation, ValidationError
from django.db import DataError, OperationalError
from django.http import Http404

from core.errors import UnreadableInput, reading_input


@pytest.mark.parametrize(
    "error",
    [IndexError("index"), RecursionError("deep"), ValueError("bad"), DataError("out of range")],
)
def test_an_error_while_reading_is_put_down_to_the_input_and_chained(error):
    with pytest.raises(UnreadableInput) as raised, reading_input("the sheet"):
        raise error

    assert raised.value.what == "the sheet"
    assert raised.value.__cause__ is error


@pytest.mark.parametrize(
    "error",
    [
        ValidationError("refused cleanly"),
        PermissionDenied(),
        Http404(),
        SuspiciousOperation(),
        OperationalError("the database is down"),
        ConnectionError("the network"),
        MemoryError(),
    ],
)
def test_answers_and_failures_of_the_server_are_left_as_they_are(error):
    with pytest.raises(type(error)) as raised, reading_input("the sheet"):
        raise error

    assert raised.value is error


def test_it_decorates_a_reader():
    @reading_input("the file of areas")
    def read(data: bytes) -> list:
        return data.decode().split(",")[5]

    assert read(b"a,b,c,d,e,f") == "f"
    with pytest.raises(UnreadableInput):
        read(b"a,b")


def test_the_innermost_reader_names_the_input():
    with (
        pytest.raises(UnreadableInput) as raised,
        reading_input("the upload"),
        reading_input("its first sheet"),
    ):
        raise KeyError("A1")

    assert raised.value.what == "its first sheet"
