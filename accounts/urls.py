"""The portal's own account pages; django-allauth's (login, signup, password) come after them."""

from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/data/", views.data_download, name="data_download"),
    path("profile/delete/", views.account_delete, name="delete"),
]
