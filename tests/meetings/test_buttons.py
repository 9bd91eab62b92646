"""A meeting's page offers an action exactly when doing it works.

For a meeting planned, cancelled, and for members only, seen by every role of the permission
matrix, each button or link of its page is there if and only if its POST changes the meeting
(``tests/buttons.py``). The page asks ``meetings.policy`` and the services enforce it: this
checks that the two agree.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from tests.buttons import Action, mismatches
from tests.conftest import ROLES
from tests.meetings.conftest import MeetingFactory

pytestmark = pytest.mark.django_db


def _page(meeting: Meeting) -> str:
    return reverse("meetings:detail", kwargs={"pk": meeting.pk})


def _url(name: str):
    return lambda meeting: reverse(f"meetings:{name}", kwargs={"pk": meeting.pk})


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _edit_data(meeting: Meeting) -> dict:
    data = {
        "title_en": "Checked meeting",
        "title_ar": meeting.title_ar,
        "kind": meeting.kind,
        "starts_at": _local(meeting.starts_at),
        "ends_at": _local(meeting.ends_at),
        "place_en": meeting.place_en,
        "place_ar": meeting.place_ar,
        "online_url": "",
        "agenda_en": meeting.agenda_en,
        "agenda_ar": meeting.agenda_ar,
    }
    if meeting.is_members_only:
        data["is_members_only"] = "on"
    return data


def _becomes_cancelled(cancelled: bool):
    return lambda before, after: (
        (before.is_cancelled, after.is_cancelled)
        == (
            not cancelled,
            cancelled,
        )
    )


ACTIONS = [
    Action(
        "edit",
        _page,
        _url("edit"),
        lambda before, after: after.title_en == "Checked meeting",
        _edit_data,
    ),
    Action("cancel", _page, _url("cancel"), _becomes_cancelled(True)),
    Action("reinstate", _page, _url("reinstate"), _becomes_cancelled(False)),
]

STATES = {
    "planned": {},
    "cancelled": {"is_cancelled": True},
    "for members only": {"is_members_only": True},
    "for members only, cancelled": {"is_members_only": True, "is_cancelled": True},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", STATES)
def test_the_meeting_page_shows_a_button_exactly_when_its_action_works(state, role, world, login):
    meeting = MeetingFactory(**STATES[state])
    client = login(world.user(role))

    def reload(record: Meeting) -> Meeting:
        return Meeting.objects.get(pk=record.pk)

    assert mismatches(client, meeting, ACTIONS, reload) == []
