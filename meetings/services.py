"""Changes to meetings: create, edit (with the minutes), cancel and reinstate.

Each asks ``meetings.policy`` first: a refusal raises ``PermissionDenied`` (who asks) or
``ValidationError`` (the meeting's state) and changes nothing.
"""

from functools import partial
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.storage import delete_quietly
from meetings import policy
from meetings.models import Meeting

EDITABLE_FIELDS = (
    "title_en",
    "title_ar",
    "kind",
    "starts_at",
    "ends_at",
    "place_en",
    "place_ar",
    "online_url",
    "agenda_en",
    "agenda_ar",
    "is_members_only",
)


def _apply_minutes(meeting: Meeting, *, minutes: UploadedFile | None, remove: bool) -> str:
    """Attach or remove the minutes; returns the name of a replaced file to delete."""
    old_name = meeting.minutes.name if meeting.minutes else ""
    if minutes is not None:
        meeting.minutes.save(minutes.name, minutes, save=False)
        meeting.minutes_uploaded_at = timezone.now()
        return old_name
    if remove and old_name:
        meeting.minutes = None
        meeting.minutes_uploaded_at = None
        return old_name
    return ""


def _delete_after_commit(meeting: Meeting, name: str) -> None:
    if name:
        transaction.on_commit(partial(delete_quietly, meeting.minutes.storage, name))


@transaction.atomic
def meeting_create(*, fields: dict[str, Any], by, minutes: UploadedFile | None = None) -> Meeting:
    """A new meeting from the form's cleaned fields, with its minutes if given."""
    policy.can_manage(by).enforce()
    meeting = Meeting(**{name: fields[name] for name in EDITABLE_FIELDS if name in fields})
    meeting.full_clean(exclude=["minutes"])
    _apply_minutes(meeting, minutes=minutes, remove=False)
    meeting.updated_by = by
    meeting._history_user = by
    meeting.save()
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    fields: dict[str, Any],
    by,
    minutes: UploadedFile | None = None,
    remove_minutes: bool = False,
) -> Meeting:
    """Save the form's fields; new minutes replace the old ones, whose file then goes."""
    policy.can_edit(by, meeting).enforce()
    for name in EDITABLE_FIELDS:
        if name in fields:
            setattr(meeting, name, fields[name])
    meeting.full_clean(exclude=["minutes"])
    replaced = _apply_minutes(meeting, minutes=minutes, remove=remove_minutes)
    meeting.updated_by = by
    meeting._history_user = by
    if minutes is not None:
        meeting._change_reason = _("Minutes uploaded")
    meeting.save()
    _delete_after_commit(meeting, replaced)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    policy.can_cancel(by, meeting).enforce()
    return _set_cancelled(meeting=meeting, by=by, cancelled=True)


@transaction.atomic
def meeting_reinstate(*, meeting: Meeting, by) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    policy.can_reinstate(by, meeting).enforce()
    return _set_cancelled(meeting=meeting, by=by, cancelled=False)


def _set_cancelled(*, meeting: Meeting, by, cancelled: bool) -> Meeting:
    meeting.is_cancelled = cancelled
    meeting.updated_by = by
    meeting._history_user = by
    meeting._change_reason = _("Cancelled") if cancelled else _("Reinstated")
    meeting.save(update_fields=["is_cancelled", "updated_by", "updated_at"])
    return meeting
