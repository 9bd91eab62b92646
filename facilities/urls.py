"""URLs of the facility registry: the facilities, their types and supports, their statuses
with the coordinators' review, the imports from Excel templates and the exports."""

from facilities.views import exports, imports, registry, statuses

app_name = "facilities"
urlpatterns = (
    registry.urlpatterns + statuses.urlpatterns + imports.urlpatterns + exports.urlpatterns
)
