"""The meetings permission matrix: every URL of the app by every role.

Public meetings, their minutes and the calendar are open to all. A members-only meeting and
its minutes are a 404 for anonymous visitors; members of partner organisations and the
coordinators see them. Planning pages refuse members (403) and ask anonymous visitors to log in.
"""

import pytest
from django.urls import reverse

from tests.matrix import LOGIN, Redirect, Row, check, every_role, params
from tests.meetings.conftest import MeetingFactory, pdf_file

COORDINATORS_ONLY = every_role(403, anonymous=LOGIN, coordinator=200, site_admin=200)
MEMBERS = every_role(404, staff=200, focal=200, other_member=200, coordinator=200, site_admin=200)


def _meeting(world, **fields) -> dict:
    return {"pk": MeetingFactory(**fields).pk}


def _with_minutes(world, **fields) -> dict:
    return _meeting(world, minutes=pdf_file(), **fields)


def _detail(world) -> str:
    from meetings.models import Meeting

    return reverse("meetings:detail", kwargs={"pk": Meeting.objects.latest("pk").pk})


def coordinators_act() -> dict:
    return every_role(
        403, anonymous=LOGIN, coordinator=Redirect(to=_detail), site_admin=Redirect(to=_detail)
    )


MATRIX = [
    Row("meetings:list", every_role(200)),
    Row("meetings:ics", every_role(200)),
    Row("meetings:detail", every_role(200), kwargs=_meeting, note="public"),
    Row(
        "meetings:detail",
        MEMBERS,
        kwargs=lambda w: _meeting(w, is_members_only=True),
        note="members only",
    ),
    Row("meetings:minutes", every_role(200), kwargs=_with_minutes, note="public"),
    Row(
        "meetings:minutes",
        MEMBERS,
        kwargs=lambda w: _with_minutes(w, is_members_only=True),
        note="members only",
    ),
    Row("meetings:minutes", every_role(404), kwargs=_meeting, note="not uploaded yet"),
    Row("meetings:manage", COORDINATORS_ONLY),
    Row("meetings:create", COORDINATORS_ONLY),
    Row("meetings:edit", COORDINATORS_ONLY, kwargs=_meeting),
    Row("meetings:cancel", coordinators_act(), kwargs=_meeting, method="post"),
    Row(
        "meetings:reinstate",
        coordinators_act(),
        kwargs=lambda w: _meeting(w, is_cancelled=True),
        method="post",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role"), params(MATRIX), ids=str)
def test_permissions(row, role, world, login):
    check(row, role, world, login)
