from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from core.revisions import register_revisable
        from meetings.models import Meeting

        # Minutes are files checked on upload; restoring another version's file name is not
        # offered, so a restore never points at a file that was replaced.
        register_revisable(Meeting, label="meetings.meeting", exclude=["minutes"])
