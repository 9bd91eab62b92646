"""Site administration of caseloads and area targets, with their audit history.

Coordinators use the planning pages, which check the sets' rules (levels, double counting,
the cluster-wide target); the administration is for corrections by site administrators.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from planning.models import Caseload, IndicatorAreaTarget


@admin.register(Caseload)
class CaseloadAdmin(SimpleHistoryAdmin):
    list_display = ["cycle", "area", "group", "people_in_need", "people_targeted", "source"]
    list_filter = ["cycle", "group"]
    search_fields = ["area__pcode", "area__name_en", "area__name_ar"]
    raw_id_fields = ["area", "updated_by"]


@admin.register(IndicatorAreaTarget)
class IndicatorAreaTargetAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "area", "target"]
    search_fields = ["indicator__code", "area__pcode", "area__name_en"]
    raw_id_fields = ["indicator", "area", "updated_by"]
