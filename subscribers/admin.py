"""Subscribers are deliberately not in the Django admin.

A change list of subscribers would be a list of email addresses, the very leak the
subscriptions are designed to avoid: coordinators see counts (``selectors.subscriber_counts``)
and nobody sees who subscribed. Announcements hold no addresses; site administrators may read
them, to see whether a sending finished.
"""

from django.contrib import admin

from subscribers.models import Announcement


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ["key", "language", "subject", "created_at", "finished_at"]
    list_filter = ["language"]
    search_fields = ["key", "subject"]
    readonly_fields = [
        "key",
        "language",
        "subject",
        "body",
        "url",
        "created_at",
        "last_batch_at",
        "finished_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
