"""Site administration of organisations and memberships, with their audit history.

Day-to-day decisions go through the coordinators' pages (which send the emails);
the administration is for corrections by site administrators.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from partners.models import Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "organisation"
    extra = 0
    fields = ["user", "role", "status", "created_at", "decided_at", "ended_at"]
    readonly_fields = ["created_at"]
    raw_id_fields = ["user"]
    show_change_link = True


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name_en", "acronym", "type", "status", "status_changed_at", "created_at"]
    list_filter = ["status", "type"]
    search_fields = ["name_en", "name_ar", "acronym", "contact_email"]
    list_select_related = ["status_changed_by"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["areas"]
    raw_id_fields = ["registered_by", "status_changed_by"]
    readonly_fields = ["created_at", "status_changed_at"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisation", "role", "status", "created_at", "ended_at"]
    list_filter = ["status", "role"]
    search_fields = [
        "user__email",
        "user__full_name",
        "organisation__name_en",
        "organisation__acronym",
    ]
    list_select_related = ["user", "organisation"]
    raw_id_fields = ["user", "organisation", "decided_by"]
    readonly_fields = ["created_at"]
