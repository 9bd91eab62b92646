"""Site administration of pages, with their audit history; coordinators use the editor."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from pages.models import Page, PageDraft, PageImage


class PageImageInline(admin.TabularInline):
    model = PageImage
    extra = 0
    fields = ["image", "alt_en", "alt_ar", "content_type", "uploaded_at", "uploaded_by"]
    readonly_fields = ["image", "content_type", "uploaded_at", "uploaded_by"]
    can_delete = False


@admin.register(Page)
class PageAdmin(SimpleHistoryAdmin):
    list_display = ["title_en", "slug", "order", "is_published", "updated_at", "updated_by"]
    list_filter = ["is_published"]
    search_fields = ["title_en", "title_ar", "slug"]
    list_select_related = ["updated_by"]
    raw_id_fields = ["updated_by"]
    readonly_fields = ["updated_at"]
    inlines = [PageImageInline]


@admin.register(PageDraft)
class PageDraftAdmin(SimpleHistoryAdmin):
    list_display = ["user", "page", "updated_at"]
    list_select_related = ["user", "page"]
    raw_id_fields = ["user", "page"]
    readonly_fields = ["updated_at"]
