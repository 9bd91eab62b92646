"""Permission matrix of the two-factor pages of allauth.mfa, for members without an
authenticator app (the flows with one are in test_mfa.py).

Pages that change the second factor ask for the password again first (reauthentication):
a session opened by the test client's ``force_login`` has no recent password, so they
redirect there.
"""

import pytest
from django.urls import reverse

from tests.matrix import LOGIN, Redirect, Row, check, every_role, params

REAUTHENTICATE = Redirect("/en/accounts/reauthenticate/")


def members(expected, **overrides) -> dict:
    return every_role(expected, anonymous=LOGIN, **overrides)


def landing() -> dict:
    """A signed-in member who opens the login's second step is sent to their landing page."""
    return every_role(
        Redirect("/en/tasks/"),
        anonymous=Redirect("/en/accounts/login/"),
        staff=Redirect(to=lambda w: reverse("partners:detail", args=[w.org_a.pk])),
        other_member=Redirect(to=lambda w: reverse("partners:detail", args=[w.org_b.pk])),
    )


MATRIX = [
    Row("mfa_index", members(200)),
    Row("mfa_authenticate", landing(), note="outside a login"),
    Row("mfa_reauthenticate", members(REAUTHENTICATE), note="without an authenticator"),
    Row("mfa_activate_totp", members(REAUTHENTICATE)),
    Row("mfa_activate_totp", members(REAUTHENTICATE), method="post", data=lambda w: {"code": "1"}),
    Row("mfa_deactivate_totp", members(404), note="without an authenticator"),
    Row("mfa_view_recovery_codes", members(404), note="without recovery codes"),
    Row("mfa_download_recovery_codes", members(404), note="without recovery codes"),
    Row("mfa_generate_recovery_codes", members(REAUTHENTICATE)),
]


@pytest.mark.parametrize(("row", "role"), params(MATRIX), ids=str)
def test_permissions(row, role, world, login):
    check(row, role, world, login)
