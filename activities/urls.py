"""URLs of the activities app: the catalogue and periods, report entry and review, completeness."""

from activities.views import catalogue, completeness, reports

app_name = "activities"
urlpatterns = catalogue.urlpatterns + reports.urlpatterns + completeness.urlpatterns
