"""URLs of the activities app: catalogue and periods, reports, completeness, Excel in and out."""

from activities.views import catalogue, completeness, exports, imports, reminders, reports

app_name = "activities"
urlpatterns = (
    catalogue.urlpatterns
    + reports.urlpatterns
    + completeness.urlpatterns
    + imports.urlpatterns
    + exports.urlpatterns
    + reminders.urlpatterns
)
