"""URLs of the partners app: the public directory and the membership workflows."""

from partners.views import directory, workflow

app_name = "partners"
urlpatterns = directory.urlpatterns + workflow.urlpatterns
