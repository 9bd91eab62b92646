"""Fixtures of the API's tests: the clock pinned, a token per person, a client that sends it."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from rest_framework.test import APIClient

from api import services
from tests.facilities.conftest import PINNED


@pytest.fixture(autouse=True)
def pinned_day(time_machine):
    """Tokens expire and record their use from "now"; meetings are upcoming or past."""
    time_machine.move_to(PINNED, tick=True)


def with_totp(user):
    """The user with an authenticator app set up, as two-factor authentication asks."""
    TOTP.activate(user, generate_totp_secret())
    return user


def token_for(user, **kwargs) -> str:
    """A new token's secret for ``user`` (coordinators and admins get their authenticator)."""
    if user.has_privileged_role:
        with_totp(user)
    return services.token_create(user=user, name="Power BI", **kwargs).secret


@pytest.fixture
def api():
    """A client of the API; ``api.as_(secret)`` sends the token, ``api.as_(None)`` none."""
    client = APIClient()

    def as_(secret: str | None) -> APIClient:
        client.credentials(**({"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}))
        return client

    client.as_ = as_
    return client
