"""Bulletins in the Django admin: read what a build left, and what was published, for
support."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from bulletins.models import Bulletin, BulletinRedirect, Edition, EditionVersion


@admin.register(Bulletin)
class BulletinAdmin(SimpleHistoryAdmin):
    list_display = ["number", "first_month", "last_month"]
    readonly_fields = ["snapshot", "snapshot_taken_at"]


@admin.register(Edition)
class EditionAdmin(SimpleHistoryAdmin):
    list_display = ["bulletin", "language", "title", "status", "published_at", "withdrawn_at"]
    list_filter = ["status", "language"]
    search_fields = ["title"]
    readonly_fields = [
        "status",
        "status_reason",
        "status_detail",
        "snapshot",
        "snapshot_taken_at",
        "pdf",
        "built_at",
        "build_token",
        "build_attempts",
        "queued_at",
        "build_started_at",
        "heartbeat_at",
        "published_at",
        "withdrawn_at",
    ]


@admin.register(EditionVersion)
class EditionVersionAdmin(admin.ModelAdmin):
    """Published versions are the public record: read only."""

    list_display = ["edition", "number", "published_at", "note"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(BulletinRedirect)
class BulletinRedirectAdmin(admin.ModelAdmin):
    list_display = ["number", "edition"]
