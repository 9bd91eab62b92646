"""Site administration of partners' projects, with their audit history.

Day-to-day work goes through the portal's pages, which check the workflow's rules; the
administration is for corrections by site administrators.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from projects.models import FundingUpdate, PlannedActivity, Project, ProjectShare


class FundingUpdateInline(admin.TabularInline):
    model = FundingUpdate
    extra = 0
    fields = ["date", "amount_received_usd", "source", "recorded_by"]
    raw_id_fields = ["recorded_by"]


class ProjectShareInline(admin.TabularInline):
    model = ProjectShare
    extra = 0
    fields = ["objective", "area", "share_percent"]
    raw_id_fields = ["objective", "area"]


class PlannedActivityInline(admin.TabularInline):
    model = PlannedActivity
    extra = 0
    fields = [
        "activity",
        "area",
        "first_month",
        "last_month",
        "target",
        "girls",
        "boys",
        "women",
        "men",
    ]
    raw_id_fields = ["activity", "area"]


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ["title_en", "organisation", "plan_code", "status", "state", "start", "end"]
    list_filter = ["status", "state"]
    search_fields = ["title_en", "title_ar", "plan_code", "organisation__name_en"]
    raw_id_fields = ["organisation", "reviewed_by", "created_by"]
    filter_horizontal = ["implementing_partners", "objectives"]
    inlines = [ProjectShareInline, PlannedActivityInline, FundingUpdateInline]
