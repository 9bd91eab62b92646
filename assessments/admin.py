"""Site administration of needs assessments, with their audit history.

The workflow (submit, return, publish, with its emails) goes through the portal's
pages; the administration is for corrections by site administrators.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from assessments.models import Assessment, Attachment, Finding


class FindingInline(admin.TabularInline):
    model = Finding
    extra = 0
    fields = ["area", "domain", "severity", "people_in_need"]
    raw_id_fields = ["area"]


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["kind", "original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        # Files are added through the portal, which checks their type from the content.
        return False


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = [
        "title_en",
        "lead_organisation",
        "type",
        "status",
        "is_restricted",
        "start_date",
    ]
    list_filter = ["status", "type", "is_restricted"]
    search_fields = [
        "title_en",
        "title_ar",
        "lead_organisation__name_en",
        "lead_organisation__acronym",
    ]
    list_select_related = ["lead_organisation"]
    date_hierarchy = "start_date"
    raw_id_fields = ["lead_organisation", "created_by", "updated_by"]
    filter_horizontal = ["participating_organisations"]
    autocomplete_fields = ["areas"]
    readonly_fields = ["submitted_at", "published_at", "created_at", "updated_at"]
    inlines = [FindingInline, AttachmentInline]


@admin.register(Attachment)
class AttachmentAdmin(SimpleHistoryAdmin):
    list_display = ["original_name", "assessment", "kind", "size", "uploaded_at"]
    list_filter = ["kind"]
    search_fields = ["original_name", "assessment__title_en"]
    list_select_related = ["assessment"]
    fields = [
        "assessment",
        "kind",
        "original_name",
        "content_type",
        "size",
        "uploaded_by",
        "uploaded_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False
