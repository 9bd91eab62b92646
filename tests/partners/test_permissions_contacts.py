"""The member contact list by role: members and coordinators read it, visitors log in first."""

import pytest

from tests.matrix import LOGIN, Row, check, every_role, params

MATRIX = [
    Row("partners:contacts", every_role(200, anonymous=LOGIN)),
    Row("partners:contacts", every_role(405, anonymous=405), method="post", note="by POST"),
]


@pytest.mark.parametrize(("row", "role"), params(MATRIX), ids=str)
def test_permissions(row, role, world, login):
    check(row, role, world, login)
