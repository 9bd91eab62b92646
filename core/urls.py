"""URLs of the coordinators' revision pages, under /<language>/revisions/."""

from django.urls import path

from core import views

app_name = "core"
urlpatterns = [
    path("<str:label>/<int:pk>/", views.revision_list, name="revision_list"),
    path("<str:label>/<int:pk>/<int:history_id>/", views.revision_compare, name="revision_compare"),
    path(
        "<str:label>/<int:pk>/<int:history_id>/restore/",
        views.revision_restore_view,
        name="revision_restore",
    ),
]
