"""URLs of the coordinators' failed emails, under /<language>/tasks/emails/."""

from django.urls import path

from outbox import views

app_name = "outbox"
urlpatterns = [
    path("", views.failed_list, name="failed"),
    path("<int:pk>/retry/", views.retry, name="retry"),
    path("retry-all/", views.retry_all, name="retry_all"),
]
