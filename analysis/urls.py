"""The dashboard under /<language>/dashboard/."""

from django.urls import path

from analysis.views import downloads, pages

app_name = "analysis"

urlpatterns = [
    path("", pages.overview, name="overview"),
    path("areas/", pages.areas, name="areas"),
    path("people/", pages.people, name="people"),
    path("presence/", pages.presence_page, name="presence"),
    path("gaps/", pages.gaps_page, name="gaps"),
    path("overlaps/", pages.overlaps_page, name="overlaps"),
    path("facilities/", pages.facilities_page, name="facilities"),
    path("attacks/", pages.attacks_page, name="attacks"),
    path("funding/", pages.funding_page, name="funding"),
    path("coverage/", pages.coverage_page, name="coverage"),
    path("charts/<slug:name>.svg", downloads.chart, name="chart"),
    path("<slug:table>.csv", downloads.table_csv, name="csv"),
]
