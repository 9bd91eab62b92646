"""Permission matrix of the URLs the platform registers itself: home, health check, My tasks,
the account pages of django-allauth and the entry points of the Django admin.

The admin's per-model pages are guarded by Django's own permission system and are not listed
here (see tests/test_url_coverage.py).
"""

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.urls import reverse

from tests.matrix import LOGIN, Redirect, Row, check, every_role, params

MY_TASKS = Redirect("/en/tasks/")
ADMIN_LOGIN = Redirect("/en/admin/login/")
ADMIN_INDEX = Redirect("/en/admin/")


def landing(**overrides) -> dict:
    """Where a logged-in member is sent (cluster_portal.account_adapter.landing_url): staff to
    their organisation's page, focal points and coordinators to My tasks."""
    organisation_page = {
        "staff": Redirect(to=lambda w: reverse("partners:detail", args=[w.org_a.pk])),
        "other_member": Redirect(to=lambda w: reverse("partners:detail", args=[w.org_b.pk])),
    }
    return every_role(MY_TASKS, **organisation_page, **overrides)


def members(expected, **overrides) -> dict:
    """The same answer for every logged-in role, a login redirect for anonymous visitors."""
    return every_role(expected, anonymous=LOGIN, **overrides)


def reset_key(world) -> dict:
    user = world.user("staff")
    return {"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)}


MATRIX = [
    Row("home", every_role(200)),
    Row("healthz", every_role(200)),
    Row("my_tasks", members(200)),
    # Entrance pages: open to visitors; a member who is already logged in is sent on.
    Row("account_login", landing(anonymous=200)),
    Row("account_signup", landing(anonymous=200)),
    Row(
        "account_login",
        landing(anonymous=200),
        method="post",
        data=lambda w: {"login": "nobody@example.org", "password": "wrong-password"},
        note="with a wrong password",
    ),
    Row("account_reset_password", every_role(200)),
    Row("account_reset_password_done", every_role(200)),
    Row(
        "account_reset_password_from_key",
        every_role(200),
        kwargs=lambda w: {"uidb36": "0", "key": "not-a-key"},
        note="with a bad key",
    ),
    Row(
        "account_reset_password_from_key",
        every_role(302),
        kwargs=reset_key,
        note="with a valid key (moved into the session, then a redirect to the form)",
    ),
    Row("account_reset_password_from_key_done", every_role(200)),
    Row("account_email_verification_sent", every_role(200)),
    Row(
        "account_confirm_email",
        every_role(200),
        kwargs=lambda w: {"key": "expired-or-unknown"},
        note="with an unknown key",
    ),
    Row("account_inactive", every_role(200)),
    # Login by emailed code is off: the page sends visitors back to the login form.
    Row("account_confirm_login_code", landing(anonymous=Redirect("/en/accounts/login/"))),
    # A member's own account.
    Row("account_logout", every_role(200, anonymous=Redirect("/"))),
    Row("account_logout", every_role(Redirect("/")), method="post", note="logs out"),
    Row("account_email", members(200)),
    Row("account_change_password", members(200)),
    # Every member has a password, so "set a password" forwards to "change your password".
    Row("account_set_password", members(Redirect("/en/accounts/password/change/"))),
    Row("account_reauthenticate", members(200)),
    # The Django admin: for the site administrator only (is_staff); others meet its login.
    Row("admin:index", every_role(ADMIN_LOGIN, site_admin=200)),
    # Its login sends visitors to the portal's (see test_permissions_privacy.py).
    Row(
        "admin:login",
        every_role(403, anonymous=Redirect("/en/accounts/login/"), site_admin=ADMIN_INDEX),
    ),
    Row("admin:logout", every_role(ADMIN_INDEX, site_admin=405), note="by GET"),
    Row("admin:logout", every_role(ADMIN_INDEX, site_admin=200), method="post", note="logs out"),
]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The world's five personas each get a password; the default hasher makes that slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.parametrize(("row", "role"), params(MATRIX), ids=str)
def test_permission_matrix(row, role, world, login):
    check(row, role, world, login)
