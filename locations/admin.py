from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from locations.models import AdminArea, AreaPopulation


@admin.register(AdminArea)
class AdminAreaAdmin(SimpleHistoryAdmin):
    list_display = ["pcode", "name_en", "name_ar", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["pcode", "name_en", "name_ar"]
    raw_id_fields = ["parent"]


@admin.register(AreaPopulation)
class AreaPopulationAdmin(SimpleHistoryAdmin):
    list_display = ["area", "year", "total", "female", "male", "children", "source", "loaded_at"]
    list_filter = ["year"]
    search_fields = ["area__pcode", "area__name_en", "area__name_ar", "source"]
    raw_id_fields = ["area"]
    list_select_related = ["area"]
