"""Site administration of meetings, with their audit history; coordinators use the portal."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from meetings.models import Meeting


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["title_en", "kind", "starts_at", "ends_at", "is_members_only", "is_cancelled"]
    list_filter = ["kind", "is_members_only", "is_cancelled"]
    search_fields = ["title_en", "title_ar", "place_en", "place_ar"]
    date_hierarchy = "starts_at"
    list_select_related = ["updated_by"]
    raw_id_fields = ["updated_by"]
    readonly_fields = ["uid", "minutes", "minutes_uploaded_at", "created_at", "updated_at"]
