from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from locations.models import AdminArea


@admin.register(AdminArea)
class AdminAreaAdmin(SimpleHistoryAdmin):
    list_display = ["pcode", "name_en", "name_ar", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["pcode", "name_en", "name_ar"]
    raw_id_fields = ["parent"]
