"""The API's version 1, under /api/v1/ (no language prefix: names come in both languages)."""

from django.urls import path

from api.v1 import docs, figures, hdx, records, rows, views

app_name = "api_v1"
urlpatterns = [
    path("organisations/", views.OrganisationList.as_view(), name="organisations"),
    path(
        "organisations/<uuid:public_id>/",
        views.OrganisationDetail.as_view(),
        name="organisation",
    ),
    path("areas/", views.AdminAreaList.as_view(), name="areas"),
    path("strategy/", views.CurrentStrategy.as_view(), name="strategy"),
    path("meetings/", views.MeetingList.as_view(), name="meetings"),
    path("bulletins/", views.BulletinList.as_view(), name="bulletins"),
    path("assessments/", views.AssessmentList.as_view(), name="assessments"),
    # Open data: the public figures and the HDX package (docs/api.md, "Open data").
    path("figures/", figures.FigureList.as_view(), name="figures"),
    path("hdx/", hdx.HdxPackage.as_view(), name="hdx"),
    path("hdx/presence/", hdx.PresenceList.as_view(), name="hdx-presence"),
    # The token's scope: reports, rows and their export; facilities, projects, incidents.
    path("reports/", rows.ReportList.as_view(), name="reports"),
    path("reports/<int:pk>/", rows.ReportDetail.as_view(), name="report"),
    path("rows/", rows.RowList.as_view(), name="rows"),
    path("rows/export/", rows.RowExport.as_view(), name="rows_export"),
    path("facilities/", records.FacilityList.as_view(), name="facilities"),
    path("projects/", records.ProjectList.as_view(), name="projects"),
    path("incidents/", records.IncidentList.as_view(), name="incidents"),
    path("incidents/counts/", records.IncidentCounts.as_view(), name="incident_counts"),
    path("schema/", views.Schema.as_view(), name="schema"),
    path("docs/", docs.documentation, name="docs"),
]
