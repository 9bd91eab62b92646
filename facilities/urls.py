"""URLs of the facility registry: the facilities, their types and supports, and their
statuses with the coordinators' review."""

from facilities.views import registry, statuses

app_name = "facilities"
urlpatterns = registry.urlpatterns + statuses.urlpatterns
