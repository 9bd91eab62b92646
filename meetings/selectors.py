"""Reads of meetings: what a user may see, the upcoming and past lists, the home page's next
meetings and the public calendar."""

from datetime import timedelta

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from meetings.models import Meeting
from partners.access import reads_member_content

CALENDAR_HISTORY = timedelta(days=365)


def may_see_members_only(user) -> bool:
    return reads_member_content(user)


def meetings_for_user(user) -> QuerySet[Meeting]:
    """Every meeting for coordinators and members; public meetings for everybody else."""
    meetings = Meeting.objects.all()
    return meetings if may_see_members_only(user) else meetings.public()


def get_meeting_for_user(user, pk: int) -> Meeting:
    meeting = meetings_for_user(user).filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting


def next_meetings(limit: int = 3) -> list[Meeting]:
    """The next public meetings that are not cancelled, the soonest first (for the home page)."""
    return list(Meeting.objects.public().filter(is_cancelled=False).upcoming()[:limit])


def calendar_meetings() -> QuerySet[Meeting]:
    """Public meetings of the past year and the future, cancelled ones included so that
    subscribed calendars learn of the cancellation."""
    since = timezone.now() - CALENDAR_HISTORY
    return Meeting.objects.public().filter(ends_at__gte=since).order_by("starts_at", "pk")


def meetings_for_management() -> QuerySet[Meeting]:
    return Meeting.objects.select_related("updated_by").order_by("-starts_at", "-pk")
