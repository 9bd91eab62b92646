"""Site administration of the activity reports, with their audit history.

Day-to-day work goes through the coordinators' pages (which check the rules and send the
emails); the administration is for corrections by site administrators.
"""

from django.contrib import admin
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from activities.models import (
    Activity,
    PeriodReopening,
    Report,
    ReportingPeriod,
    ReportRow,
    ValidatedVersion,
)


class PeriodReopeningInline(admin.TabularInline):
    model = PeriodReopening
    extra = 0
    fields = ["organisation", "until", "reason", "created_by", "created_at"]
    readonly_fields = ["created_at"]
    raw_id_fields = ["organisation", "created_by"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "year", "month", "opens_at", "deadline"]
    list_filter = ["year"]
    ordering = ["-year", "-month"]
    inlines = [PeriodReopeningInline]


@admin.register(PeriodReopening)
class PeriodReopeningAdmin(SimpleHistoryAdmin):
    list_display = ["period", "organisation", "until", "created_by", "created_at"]
    list_select_related = ["period", "organisation", "created_by"]
    raw_id_fields = ["organisation", "created_by"]
    readonly_fields = ["created_at"]


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_en", "indicator", "unit", "figures", "is_active", "order"]
    list_filter = ["is_active", "unit", "collects", "domains"]
    list_select_related = ["indicator"]
    search_fields = ["code", "name_en", "name_ar"]
    filter_horizontal = ["domains"]
    raw_id_fields = ["indicator"]

    @admin.display(description=_("figures collected"), ordering="collects")
    def figures(self, activity: Activity) -> str:
        return capfirst(activity.figures_text())


class ReportRowInline(admin.TabularInline):
    model = ReportRow
    extra = 0
    fields = [
        "activity",
        "area",
        "facility",
        "project",
        "implementing_organisation",
        "status",
        "total",
        "order",
    ]
    raw_id_fields = ["activity", "area", "facility", "project", "implementing_organisation"]


@admin.register(Report)
class ReportAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "period", "status", "version", "submitted_at", "validated_at"]
    list_filter = ["status", "period"]
    list_select_related = ["organisation", "period"]
    search_fields = ["organisation__name_en", "organisation__acronym"]
    raw_id_fields = ["organisation", "period", "created_by", "submitted_by", "validated_by"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [ReportRowInline]


@admin.register(ValidatedVersion)
class ValidatedVersionAdmin(admin.ModelAdmin):
    list_display = ["report", "version", "validated_at", "validated_by"]
    list_select_related = ["report__organisation", "report__period", "validated_by"]
    raw_id_fields = ["report", "validated_by"]
    readonly_fields = ["report", "version", "rows", "validated_at", "validated_by"]
