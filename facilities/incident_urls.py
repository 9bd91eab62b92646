"""URLs of attacks on health care, under /attacks/ (``incidents:`` names)."""

from django.urls import path, re_path

from facilities import incident_views as views

app_name = "incidents"
urlpatterns = [
    path("", views.incident_list, name="list"),
    path("new/", views.incident_report, name="report"),
    path("verify/", views.verification_queue, name="queue"),
    re_path(r"^export\.(?P<fmt>csv|xlsx|hxl)/$", views.incident_export, name="export"),
    path("<int:pk>/", views.incident_detail, name="detail"),
    path("<int:pk>/edit/", views.incident_edit, name="edit"),
    path("<int:pk>/verify/", views.incident_verify, name="verify"),
    path("<int:pk>/dismiss/", views.incident_dismiss, name="dismiss"),
]
