"""Permission matrix of the privacy pages: the public notice, a member's data download and
account deletion, and the Django admin's login, which now sends everyone to the portal's."""

import pytest

from tests.factories import PASSWORD
from tests.matrix import LOGIN, Redirect, Row, check, every_role, params

ACCOUNT_LOGIN = Redirect("/en/accounts/login/")
HOME = Redirect("/en/")


def members(expected, **overrides) -> dict:
    return every_role(expected, anonymous=LOGIN, **overrides)


MATRIX = [
    Row("privacy", every_role(200)),
    Row("privacy", every_role(405), method="post", note="refuses a POST"),
    Row("accounts:data_download", members(200)),
    Row("accounts:data_download", members(405), method="post", note="refuses a POST"),
    Row("accounts:delete", members(200)),
    Row(
        "accounts:delete",
        members(200),
        method="post",
        data=lambda w: {"password": "not-the-password"},
        note="with a wrong password (nothing deleted)",
    ),
    Row(
        "accounts:delete",
        # The world's only site administrator is told to appoint another one first.
        members(HOME, site_admin=200),
        method="post",
        data=lambda w: {"password": PASSWORD},
        note="with the right password",
    ),
    # The admin takes no password itself: visitors go to the portal's login, signed-in users
    # who are not administrators are refused, administrators go on to the admin.
    Row(
        "admin:login",
        every_role(403, anonymous=ACCOUNT_LOGIN, site_admin=Redirect("/en/admin/")),
    ),
    Row(
        "admin:login",
        every_role(403, anonymous=ACCOUNT_LOGIN, site_admin=Redirect("/en/admin/")),
        method="post",
        data=lambda w: {"username": "ada@example.org", "password": PASSWORD},
        note="with the administrator's password",
    ),
]


@pytest.mark.parametrize(("row", "role"), params(MATRIX), ids=str)
def test_permissions(row, role, world, login):
    check(row, role, world, login)
