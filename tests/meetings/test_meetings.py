"""Meetings: the public list and calendar, the coordinators' form, minutes and cancellation."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from demo import meetings as demo
from meetings.models import Meeting, MeetingKind
from meetings.selectors import next_meetings
from tests.meetings.conftest import PDF, MeetingFactory, pdf_file
from tests.storage import closed_port, storage_url, storages_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(world, login):
    return login(world.user("coordinator"))


def _form(**overrides) -> dict:
    data = {
        "title_en": "Monthly coordination meeting",
        "title_ar": "اجتماع التنسيق الشهري",
        "kind": MeetingKind.GENERAL,
        "starts_at": "2031-03-04T10:00",
        "ends_at": "2031-03-04T12:00",
        "place_en": "Cluster office",
        "place_ar": "",
        "online_url": "",
        "agenda_en": "1. Situation\n2. **Gaps**",
        "agenda_ar": "",
    }
    data.update(overrides)
    return data


def _events(content: bytes) -> list:
    return list(Calendar.from_ical(content).walk("VEVENT"))


# Public list and detail -------------------------------------------------------------------


def test_the_list_separates_upcoming_and_past_meetings(client):
    now = timezone.now()
    MeetingFactory(title_en="Next week", starts_at=now + timedelta(days=7))
    MeetingFactory(title_en="Last month", starts_at=now - timedelta(days=30))
    response = client.get("/en/meetings/")
    assert [m.title_en for m in response.context["upcoming"]] == ["Next week"]
    assert [m.title_en for m in response.context["past"]] == ["Last month"]


def test_past_meetings_are_paginated_latest_first(client):
    now = timezone.now()
    for days in range(1, 13):
        MeetingFactory(title_en=f"Past {days}", starts_at=now - timedelta(days=days))
    first = client.get("/en/meetings/")
    assert [m.title_en for m in first.context["past"]][:2] == ["Past 1", "Past 2"]
    assert len(first.context["past"]) == 10
    second = client.get("/en/meetings/?page=2")
    assert [m.title_en for m in second.context["past"]] == ["Past 11", "Past 12"]


def test_members_only_meetings_are_hidden_from_visitors_but_not_from_members(client, world, login):
    MeetingFactory(title_en="Advisory group", is_members_only=True)
    assert "Advisory group" not in client.get("/en/meetings/").content.decode()
    member = login(world.user("staff"))
    assert "Advisory group" in member.get("/en/meetings/").content.decode()


def test_the_list_makes_a_constant_number_of_queries(client, django_assert_max_num_queries):
    now = timezone.now()
    for days in (1, 2, 3):
        MeetingFactory(starts_at=now + timedelta(days=days))
        MeetingFactory(starts_at=now - timedelta(days=days), minutes=pdf_file())
    with django_assert_max_num_queries(4):
        assert client.get("/en/meetings/").status_code == 200
    for days in (4, 5, 6):
        MeetingFactory(starts_at=now + timedelta(days=days))
        MeetingFactory(starts_at=now - timedelta(days=days), minutes=pdf_file())
    with django_assert_max_num_queries(4):
        assert client.get("/en/meetings/").status_code == 200


def test_the_detail_shows_the_agenda_as_html_and_the_time_zone(client, settings):
    settings.TIME_ZONE = "Asia/Gaza"
    meeting = MeetingFactory(agenda_en="- **Gaps**\n- <script>alert(1)</script>")
    html = client.get(f"/en/meetings/{meeting.pk}/").content.decode()
    assert "<li><strong>Gaps</strong></li>" in html
    assert "<script>alert" not in html
    assert "Asia/Gaza" in html


def test_next_meetings_for_the_home_page_skip_cancelled_members_only_and_past_ones():
    now = timezone.now()
    MeetingFactory(title_en="Past", starts_at=now - timedelta(days=2))
    MeetingFactory(title_en="Cancelled", is_cancelled=True)
    MeetingFactory(title_en="Private", is_members_only=True)
    for days in (3, 1, 2, 4):
        MeetingFactory(title_en=f"In {days} days", starts_at=now + timedelta(days=days))
    assert [m.title_en for m in next_meetings()] == ["In 1 days", "In 2 days", "In 3 days"]


# The calendar feed ---------------------------------------------------------------------


def test_the_calendar_gives_public_meetings_in_utc_matching_the_cluster_time(client, settings):
    settings.TIME_ZONE = "Asia/Gaza"
    gaza = ZoneInfo("Asia/Gaza")
    starts = datetime(2031, 7, 1, 10, 0, tzinfo=gaza)
    meeting = MeetingFactory(
        title_en="Hub meeting",
        title_ar="اجتماع المركز",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place_en="North hub",
        agenda_en="1. **Gaps**\n2. [Plan](https://example.org/plan)",
    )
    MeetingFactory(title_en="Members only", is_members_only=True)

    response = client.get("/en/meetings/calendar.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = _events(response.content)
    assert [str(event["SUMMARY"]) for event in events] == ["Hub meeting"]
    event = events[0]
    start = event.decoded("DTSTART")
    assert start.utcoffset() == timedelta(0)
    assert start.astimezone(gaza) == starts
    assert start.astimezone(gaza).hour == 10
    assert event.decoded("DTEND") - start == timedelta(hours=2)
    assert str(event["UID"]) == f"meeting-{meeting.uid}@testserver"
    assert str(event["LOCATION"]) == "North hub"
    assert str(event["URL"]).endswith(f"/en/meetings/{meeting.pk}/")
    assert str(event["DESCRIPTION"]) == "Gaps\nPlan"
    assert "DTSTAMP" in event

    arabic = _events(client.get("/ar/meetings/calendar.ics").content)
    assert str(arabic[0]["SUMMARY"]) == "اجتماع المركز"
    assert arabic[0]["UID"] == event["UID"]


def test_a_cancelled_meeting_stays_in_the_calendar_as_cancelled(client):
    MeetingFactory(is_cancelled=True)
    (event,) = _events(client.get("/en/meetings/calendar.ics").content)
    assert str(event["STATUS"]) == "CANCELLED"


# The coordinators' form ----------------------------------------------------------------


def test_a_coordinator_plans_a_meeting_in_the_cluster_time_zone(coordinator, settings):
    settings.TIME_ZONE = "Asia/Gaza"
    response = coordinator.get(reverse("meetings:create"))
    assert "In the cluster&#x27;s time zone (Asia/Gaza)." in response.content.decode()
    response = coordinator.post(reverse("meetings:create"), _form())
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("meetings:detail", kwargs={"pk": meeting.pk})
    local = meeting.starts_at.astimezone(ZoneInfo("Asia/Gaza"))
    assert (local.hour, local.minute) == (10, 0)


def test_a_meeting_that_ends_before_it_starts_is_refused(coordinator):
    response = coordinator.post(reverse("meetings:create"), _form(ends_at="2031-03-04T09:00"))
    assert response.status_code == 400
    assert "The meeting ends before it starts." in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_database_refuses_a_meeting_that_ends_before_it_starts():
    with pytest.raises(IntegrityError):
        MeetingFactory(ends_at=timezone.now() - timedelta(days=30))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("minutes.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04 this is a program"),
        ("minutes.pdf", b"Just some notes in a text file.\n"),
        ("setup.exe", b"MZ\x90\x00"),
    ],
)
def test_minutes_that_are_not_a_pdf_are_refused_and_nothing_is_saved(coordinator, name, content):
    meeting = MeetingFactory(title_en="Before")
    response = coordinator.post(
        reverse("meetings:edit", kwargs={"pk": meeting.pk}),
        _form(title_en="After", minutes=SimpleUploadedFile(name, content)),
    )
    assert response.status_code == 400
    assert "This file is not a PDF; nothing was saved." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.title_en == "Before"
    assert not meeting.minutes
    assert meeting.history.count() == 1


def test_minutes_larger_than_ten_megabytes_are_refused(coordinator):
    meeting = MeetingFactory()
    big = SimpleUploadedFile("minutes.pdf", PDF + b"0" * (10 * 1024 * 1024))
    response = coordinator.post(
        reverse("meetings:edit", kwargs={"pk": meeting.pk}), _form(minutes=big)
    )
    assert response.status_code == 400
    assert "larger than 10 MB" in response.content.decode()


def test_uploaded_minutes_are_served_as_a_pdf(coordinator, client, file_store):
    meeting = MeetingFactory()
    coordinator.post(
        reverse("meetings:edit", kwargs={"pk": meeting.pk}),
        _form(minutes=pdf_file("notes.txt")),
    )
    meeting.refresh_from_db()
    assert meeting.minutes.name.endswith(".pdf")
    assert meeting.minutes_uploaded_at is not None
    assert file_store.names() == {meeting.minutes.name}
    client.logout()
    response = client.get(reverse("meetings:minutes", kwargs={"pk": meeting.pk}))
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_minutes_can_be_removed(coordinator, file_store, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(minutes=pdf_file())
    assert file_store.names() == {meeting.minutes.name}
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(
            reverse("meetings:edit", kwargs={"pk": meeting.pk}), _form(remove_minutes="on")
        )
    meeting.refresh_from_db()
    assert not meeting.minutes
    assert file_store.names() == set()


def test_new_minutes_replace_the_old_file(
    coordinator, file_store, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(minutes=pdf_file("first.pdf"))
    first = meeting.minutes.name
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(
            reverse("meetings:edit", kwargs={"pk": meeting.pk}),
            _form(minutes=pdf_file("first.pdf")),
        )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes.name != first
    assert file_store.names() == {meeting.minutes.name}


def test_cancelling_and_reinstating_a_meeting(coordinator, client):
    meeting = MeetingFactory()
    coordinator.post(reverse("meetings:cancel", kwargs={"pk": meeting.pk}))
    meeting.refresh_from_db()
    assert meeting.is_cancelled
    assert meeting.history.first().history_change_reason == "Cancelled"
    assert "This meeting is cancelled." in client.get(meeting.get_absolute_url()).content.decode()
    coordinator.post(reverse("meetings:reinstate", kwargs={"pk": meeting.pk}))
    meeting.refresh_from_db()
    assert not meeting.is_cancelled


def test_the_management_list_makes_a_constant_number_of_queries(
    coordinator, world, django_assert_max_num_queries
):
    MeetingFactory.create_batch(3, updated_by=world.user("coordinator"))
    with django_assert_max_num_queries(8):
        coordinator.get(reverse("meetings:manage"))
    MeetingFactory.create_batch(6, updated_by=world.user("site_admin"))
    with django_assert_max_num_queries(8):
        assert coordinator.get(reverse("meetings:manage")).status_code == 200


# Demo ----------------------------------------------------------------------------------


MIDDAY_17_MARCH_2027 = datetime(2027, 3, 17, 12, 0, tzinfo=ZoneInfo("Asia/Gaza"))


def _demo_meeting_days() -> set[tuple[str, str]]:
    return {
        (meeting.title_en.split()[0], timezone.localdate(meeting.starts_at).isoformat())
        for meeting in Meeting.objects.all()
    }


def test_the_demo_holds_each_series_on_its_day_of_the_month_around_today(time_machine):
    time_machine.move_to(MIDDAY_17_MARCH_2027)
    demo.seed()
    # From 62 days before 17 March to 35 days after, worked out on a calendar.
    assert _demo_meeting_days() == {
        ("North", "2027-02-03"),  # first Wednesdays
        ("North", "2027-03-03"),
        ("North", "2027-04-07"),
        ("Strategic", "2027-03-01"),  # first Monday of odd months
        ("Monthly", "2027-02-09"),  # second Tuesdays
        ("Monthly", "2027-03-09"),
        ("Monthly", "2027-04-13"),
        ("Technical", "2027-01-25"),  # fourth Mondays
        ("Technical", "2027-02-22"),
        ("Technical", "2027-03-22"),
        ("Coast", "2027-01-21"),  # third Thursdays
        ("Coast", "2027-02-18"),
        ("Coast", "2027-03-18"),
        ("Coast", "2027-04-15"),
    }


def test_past_demo_meetings_have_their_minutes_and_coming_ones_none(time_machine):
    time_machine.move_to(MIDDAY_17_MARCH_2027)
    demo.seed()
    past, upcoming = Meeting.objects.past(), Meeting.objects.upcoming()
    assert (past.count(), upcoming.count()) == (9, 5)
    for meeting in past:
        with meeting.minutes.open("rb") as minutes:
            assert minutes.read(5) == b"%PDF-"
    assert not any(meeting.minutes for meeting in upcoming)
    assert upcoming.filter(is_members_only=False).exists()
    assert Meeting.objects.filter(is_members_only=True).count() == 1


def test_seeding_the_demo_again_adds_only_the_meetings_of_the_new_weeks(time_machine):
    time_machine.move_to(MIDDAY_17_MARCH_2027)
    demo.seed()
    demo.seed()
    assert Meeting.objects.count() == 14

    time_machine.move_to(datetime(2027, 4, 10, 12, 0, tzinfo=ZoneInfo("Asia/Gaza")))
    demo.seed()

    assert Meeting.objects.count() == 18
    assert {day for day in _demo_meeting_days() if day[1] > "2027-04-15"} == {
        ("North", "2027-05-05"),
        ("Strategic", "2027-05-03"),
        ("Monthly", "2027-05-11"),
        ("Technical", "2027-04-26"),
    }


# The file store out of reach -------------------------------------------------------------------

STORE_DOWN = (
    "The file store cannot be reached just now; nothing was saved. Try again in a few minutes."
)


def test_a_new_meeting_with_minutes_while_the_file_store_is_down_is_not_saved(
    coordinator, unreachable_store
):
    response = coordinator.post(reverse("meetings:create"), _form(minutes=pdf_file()))
    assert response.status_code == 400
    assert STORE_DOWN in response.content.decode()
    assert not Meeting.objects.exists()


def test_replacing_minutes_while_the_file_store_is_down_keeps_the_old_ones(
    coordinator, s3_bucket, settings, django_capture_on_commit_callbacks
):
    settings.STORAGES = storages_for(s3_bucket.url, settings.STORAGES)
    meeting = MeetingFactory(title_en="Before", minutes=pdf_file("first.pdf"))
    first = meeting.minutes.name
    settings.STORAGES = storages_for(
        storage_url(f"127.0.0.1:{closed_port()}", s3_bucket.name), settings.STORAGES
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(
            reverse("meetings:edit", kwargs={"pk": meeting.pk}),
            _form(title_en="After", minutes=pdf_file("second.pdf")),
        )
    assert response.status_code == 400
    assert STORE_DOWN in response.content.decode()
    meeting.refresh_from_db()
    assert (meeting.title_en, meeting.minutes.name) == ("Before", first)
    assert meeting.history.count() == 1
    assert s3_bucket.object_keys() == {first}
    assert s3_bucket.read(first) == PDF


def test_minutes_while_the_file_store_is_down_answer_a_503(client, unreachable_store):
    meeting = MeetingFactory()
    Meeting.objects.filter(pk=meeting.pk).update(minutes="meetings/minutes/notes.pdf")
    response = client.get(reverse("meetings:minutes", kwargs={"pk": meeting.pk}))
    assert response.status_code == 503
    assert "The file store cannot be reached" in response.content.decode()
