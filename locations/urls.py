"""URLs of the locations app, under /<language>/areas/."""

from django.urls import path

from locations import views

app_name = "locations"
urlpatterns = [
    path("", views.area_list, name="list"),
    path("search/", views.area_search_json, name="search"),
    path("upload/", views.upload, name="upload"),
    path("population/upload/", views.population_upload, name="population_upload"),
]
