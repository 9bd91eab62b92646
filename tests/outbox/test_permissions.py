"""The undelivered emails page and its buttons: coordinators and site administrators only.

Visitors are sent to the login page and partner members get a 403: the list names people's
addresses. Trying again is a POST; an email that does not exist is a 404.
"""

import pytest
from django.urls import reverse

from tests.matrix import LOGIN, Redirect, Row, check, every_role, params
from tests.outbox.factories import OutboundEmailFactory

COORDINATORS_ONLY = every_role(403, anonymous=LOGIN, coordinator=200, site_admin=200)
BACK_TO_LIST = Redirect(to=lambda world: reverse("outbox:failed"))
COORDINATORS_ACT = every_role(
    403, anonymous=LOGIN, coordinator=BACK_TO_LIST, site_admin=BACK_TO_LIST
)


def _failed(world) -> dict:
    return {"pk": OutboundEmailFactory().pk}


MATRIX = [
    Row("outbox:failed", COORDINATORS_ONLY),
    Row("outbox:retry", COORDINATORS_ACT, kwargs=_failed, method="post"),
    Row(
        "outbox:retry",
        every_role(403, anonymous=LOGIN, coordinator=404, site_admin=404),
        kwargs=lambda world: {"pk": 999_999},
        method="post",
        note="of an email that does not exist",
    ),
    Row("outbox:retry", every_role(405), kwargs=_failed, note="by GET"),
    Row("outbox:retry_all", COORDINATORS_ACT, method="post"),
    Row("outbox:retry_all", every_role(405), note="by GET"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role"), params(MATRIX), ids=str)
def test_permissions(row, role, world, login):
    check(row, role, world, login)
