"""Permission matrix of the accounts app's own pages (allauth's are in test_permissions.py)."""

import pytest

from tests.matrix import LOGIN, Row, check, every_role, params

MATRIX = [
    Row("accounts:profile", every_role(200, anonymous=LOGIN)),
    Row(
        "accounts:profile",
        every_role(302, anonymous=LOGIN),
        method="post",
        data=lambda w: {"full_name": "Someone Else", "language": "ar"},
    ),
    Row(
        "accounts:profile",
        every_role(200, anonymous=LOGIN),
        method="post",
        note="with an empty form",
    ),
]


@pytest.mark.parametrize(("row", "role"), params(MATRIX), ids=str)
def test_permissions(row, role, world, login):
    check(row, role, world, login)
