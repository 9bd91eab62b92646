"""URLs of the partners app: the public directory, the coordinators' review and the
membership workflows."""

from partners.views import contacts, directory, review, workflow

app_name = "partners"
urlpatterns = (
    directory.urlpatterns + review.urlpatterns + workflow.urlpatterns + contacts.urlpatterns
)
