"""URLs of the assessments app: the workflow of an assessment and the public registry."""

from assessments.views import registry, workflow

app_name = "assessments"
urlpatterns = registry.urlpatterns + workflow.urlpatterns
