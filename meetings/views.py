"""Meetings: the public list, each meeting, its minutes and the calendar feed; the
coordinators' pages to plan, edit, cancel and reinstate them. Which actions are offered, and
allowed, is ``meetings.policy``'s to say."""

from datetime import UTC
from html import unescape

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.html import strip_tags
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from icalendar import Calendar, Event

from core.decorators import coordinator_required
from core.markdown import render_markdown
from meetings import policy, selectors, services
from meetings.forms import MeetingForm
from meetings.models import Meeting

PAST_PAGE_SIZE = 10
REVISION_LABEL = "meetings.meeting"


def _time_zone() -> str:
    return timezone.get_current_timezone_name()


# Public ----------------------------------------------------------------------------------


@require_safe
def meeting_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    visible = selectors.meetings_for_user(request.user)
    past = Paginator(visible.past(now), PAST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/list.html",
        {
            "upcoming": list(visible.upcoming(now)),
            "page_obj": past,
            "past": past.object_list,
            "time_zone": _time_zone(),
            "can_manage": policy.can_manage(request.user),
        },
    )


@require_safe
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "time_zone": _time_zone(),
            "actions": policy.meeting_actions(request.user, meeting),
            "revision_label": REVISION_LABEL,
        },
    )


@require_safe
def meeting_minutes(request: HttpRequest, pk: int) -> FileResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    if not meeting.minutes:
        raise Http404
    try:
        handle = meeting.minutes.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    day = timezone.localtime(meeting.starts_at).date().isoformat()
    response = FileResponse(
        handle, content_type="application/pdf", filename=f"minutes-{day}-{meeting.pk}.pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    if meeting.is_members_only:
        patch_cache_control(response, private=True, no_store=True)
    else:
        patch_cache_control(response, public=True, max_age=3600)
    return response


def _plain_text(markdown_text: str) -> str:
    text = unescape(strip_tags(render_markdown(markdown_text)))
    lines = [line.strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def _event(request: HttpRequest, meeting: Meeting, host: str) -> Event:
    event = Event()
    event.add("uid", f"meeting-{meeting.uid}@{host}")
    event.add("dtstamp", meeting.updated_at.astimezone(UTC))
    event.add("last-modified", meeting.updated_at.astimezone(UTC))
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", meeting.ends_at.astimezone(UTC))
    event.add("summary", str(meeting.title))
    location = ", ".join(part for part in (str(meeting.place), meeting.online_url) if part)
    if location:
        event.add("location", location)
    event.add("url", request.build_absolute_uri(meeting.get_absolute_url()))
    description = _plain_text(str(meeting.agenda))
    if description:
        event.add("description", description)
    event.add("categories", [meeting.get_kind_display()])
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    return event


@require_safe
def meeting_calendar(request: HttpRequest) -> HttpResponse:
    """The public meetings as an iCalendar feed, in the language of the URL."""
    calendar = Calendar()
    calendar.add("prodid", "-//Health Cluster Portal//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("Health cluster meetings"))
    calendar.add("x-wr-timezone", _time_zone())
    host = request.get_host().split(":")[0] or "health-cluster"
    for meeting in selectors.calendar_meetings():
        calendar.add_component(_event(request, meeting, host))
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = (
        f'inline; filename="health-cluster-meetings-{get_language() or "en"}.ics"'
    )
    patch_cache_control(response, public=True, max_age=900)
    return response


# Coordinators ----------------------------------------------------------------------------


@require_safe
@coordinator_required
def meeting_manage(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.meetings_for_management(), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/manage.html",
        {"page_obj": page, "meetings": page.object_list, "time_zone": _time_zone()},
    )


def _render_form(
    request: HttpRequest, form: MeetingForm, meeting: Meeting | None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "meetings/form.html",
        {
            "form": form,
            "meeting": meeting,
            "time_zone": _time_zone(),
            "revision_label": REVISION_LABEL,
        },
        status=status,
    )


def _save(request: HttpRequest, form: MeetingForm, meeting: Meeting | None) -> HttpResponse:
    try:
        if meeting is None:
            meeting = services.meeting_create(
                fields=form.cleaned_data, by=request.user, minutes=form.cleaned_data["minutes"]
            )
        else:
            meeting = services.meeting_update(
                meeting=meeting,
                fields=form.cleaned_data,
                by=request.user,
                minutes=form.cleaned_data["minutes"],
                remove_minutes=form.cleaned_data.get("remove_minutes", False),
            )
    except ValidationError as error:
        form.add_error(None, error)
        return _render_form(request, form, meeting, status=400)
    messages.success(request, _("The meeting “%(title)s” is saved.") % {"title": meeting.title})
    return redirect("meetings:detail", pk=meeting.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _render_form(request, MeetingForm(), None)
    form = MeetingForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_form(request, form, None, status=400)
    return _save(request, form, None)


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    if request.method != "POST":
        return _render_form(request, MeetingForm(instance=meeting), meeting)
    form = MeetingForm(request.POST, request.FILES, instance=meeting)
    if not form.is_valid():
        # The instance was changed by the form's validation; show it as it is stored.
        return _render_form(request, form, Meeting.objects.get(pk=pk), status=400)
    return _save(request, form, meeting)


@require_POST
@coordinator_required
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    try:
        meeting = services.meeting_cancel(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The meeting “%(title)s” is cancelled. It stays listed, marked as cancelled.")
            % {"title": meeting.title},
        )
    return redirect("meetings:detail", pk=meeting.pk)


@require_POST
@coordinator_required
def meeting_reinstate(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    try:
        meeting = services.meeting_reinstate(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The meeting “%(title)s” takes place again.") % {"title": meeting.title}
        )
    return redirect("meetings:detail", pk=meeting.pk)
