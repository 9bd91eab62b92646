"""URLs of the plan per area, under /<language>/planning/."""

from django.urls import path

from planning import views

app_name = "planning"
urlpatterns = [
    path("cycles/<int:cycle_pk>/caseloads/", views.caseloads, name="caseloads"),
    path("cycles/<int:cycle_pk>/caseloads/upload/", views.caseload_upload, name="caseload_upload"),
    path("caseloads/template.csv", views.caseload_template, name="caseload_template"),
    path("indicators/<int:indicator_pk>/targets/", views.area_targets, name="area_targets"),
]
