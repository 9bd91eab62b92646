"""Bulletins in the Django admin: read what a build left, for support."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from bulletins.models import Bulletin


@admin.register(Bulletin)
class BulletinAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "language", "first_month", "last_month", "status"]
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
