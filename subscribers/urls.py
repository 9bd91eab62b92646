"""URLs of the subscriptions, under /<language>/subscribe/."""

from django.urls import path

from subscribers import views

app_name = "subscribers"
urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("requested/", views.requested, name="requested"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
