"""Site administration of the facility registry, with its audit history.

Day-to-day work goes through the portal's pages (which check the rules, place a facility from
its coordinates and give codes); the administration is for corrections by site
administrators.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from facilities.models import Facility, FacilityStatus, FacilitySupport, FacilityType


@admin.register(FacilityType)
class FacilityTypeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_en", "name_ar", "is_hospital", "order"]
    list_editable = ["order"]
    search_fields = ["code", "name_en", "name_ar"]


class FacilitySupportInline(admin.TabularInline):
    model = FacilitySupport
    extra = 0
    fields = ["organisation", "kind", "start", "end"]
    raw_id_fields = ["organisation"]


@admin.register(Facility)
class FacilityAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_en", "type", "ownership", "area", "longitude", "latitude"]
    list_filter = ["type", "ownership"]
    list_select_related = ["type", "area"]
    search_fields = ["code", "name_en", "name_ar", "area__pcode"]
    raw_id_fields = ["area"]
    filter_horizontal = ["domains"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [FacilitySupportInline]


@admin.register(FacilityStatus)
class FacilityStatusAdmin(SimpleHistoryAdmin):
    list_display = ["facility", "as_of", "functionality", "organisation", "state", "created_at"]
    list_filter = ["state", "functionality", "building", "accessibility"]
    list_select_related = ["facility", "organisation"]
    search_fields = ["facility__code", "facility__name_en", "source"]
    date_hierarchy = "as_of"
    raw_id_fields = ["facility", "organisation", "recorded_by", "reviewed_by"]
    readonly_fields = ["created_at"]


@admin.register(FacilitySupport)
class FacilitySupportAdmin(SimpleHistoryAdmin):
    list_display = ["facility", "organisation", "kind", "start", "end"]
    list_filter = ["kind"]
    list_select_related = ["facility", "organisation"]
    search_fields = ["facility__code", "facility__name_en", "organisation__name_en"]
    raw_id_fields = ["facility", "organisation"]
