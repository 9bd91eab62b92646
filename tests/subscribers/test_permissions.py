"""The subscriptions permission matrix: every page is public and behaves the same for every
role; what decides is the signed link, not who is logged in. No page lists subscribers."""

import pytest
from django.urls import reverse

from subscribers.tokens import confirmation_token, unsubscribe_token
from tests.matrix import Redirect, Row, check, every_role, params
from tests.subscribers.conftest import SubscriberFactory

REQUESTED = Redirect(to=lambda w: reverse("subscribers:requested"))


def _confirm(world) -> dict:
    subscriber = SubscriberFactory(confirmed_at=None)
    return {"token": confirmation_token(subscriber.uid, "en")}


def _unsubscribe(world) -> dict:
    return {"token": unsubscribe_token(SubscriberFactory().uid)}


def _forged(world) -> dict:
    return {"token": "forged:token"}


MATRIX = [
    Row("subscribers:subscribe", every_role(200)),
    Row(
        "subscribers:subscribe",
        every_role(REQUESTED),
        method="post",
        data=lambda w: {"email": "reader@example.net", "language": "ar"},
        note="valid",
    ),
    Row(
        "subscribers:subscribe",
        every_role(400),
        method="post",
        data=lambda w: {"email": "not an address", "language": "en"},
        note="malformed address",
    ),
    Row("subscribers:requested", every_role(200)),
    Row("subscribers:requested", every_role(405), method="post", note="read only"),
    Row("subscribers:confirm", every_role(200), kwargs=_confirm),
    Row("subscribers:confirm", every_role(200), kwargs=_confirm, method="post"),
    Row("subscribers:confirm", every_role(400), kwargs=_forged, note="forged"),
    Row("subscribers:confirm", every_role(400), kwargs=_forged, method="post", note="forged"),
    Row("subscribers:unsubscribe", every_role(200), kwargs=_unsubscribe),
    Row("subscribers:unsubscribe", every_role(200), kwargs=_unsubscribe, method="post"),
    Row("subscribers:unsubscribe", every_role(400), kwargs=_forged, note="forged"),
    Row("subscribers:unsubscribe", every_role(400), kwargs=_forged, method="post", note="forged"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role"), params(MATRIX), ids=str)
def test_permissions(row, role, world, login):
    check(row, role, world, login)
