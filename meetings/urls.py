"""URLs of the meetings, under /<language>/meetings/."""

from django.urls import path

from meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("calendar.ics", views.meeting_calendar, name="ics"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/minutes/", views.meeting_minutes, name="minutes"),
    path("manage/", views.meeting_manage, name="manage"),
    path("manage/new/", views.meeting_create, name="create"),
    path("manage/<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("manage/<int:pk>/cancel/", views.meeting_cancel, name="cancel"),
    path("manage/<int:pk>/reinstate/", views.meeting_reinstate, name="reinstate"),
]
