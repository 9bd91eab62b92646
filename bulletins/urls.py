"""URLs of the bulletins, under /<language>/bulletins/: the public archive, pages, PDFs and
feed at the top; the coordinators' pages under manage/."""

from django.urls import path

from bulletins import feeds, public_views, views

app_name = "bulletins"
urlpatterns = [
    path("", public_views.archive, name="archive"),
    path("feed/", feeds.bulletin_feed, name="feed"),
    path("<int:number>/", public_views.public_detail, name="public"),
    path("<int:number>/pdf/", public_views.public_pdf, name="public_pdf"),
    path("manage/", views.bulletin_list, name="list"),
    path("manage/new/", views.bulletin_create, name="create"),
    path("manage/<int:pk>/", views.bulletin_detail, name="detail"),
    path("manage/<int:pk>/edit/", views.bulletin_edit, name="edit"),
    path("manage/<int:pk>/autosave/", views.bulletin_autosave, name="autosave"),
    path("manage/<int:pk>/build/", views.bulletin_build, name="build"),
    path("manage/<int:pk>/status.json", views.bulletin_status, name="status"),
    path("manage/<int:pk>/preview/", views.bulletin_preview, name="preview"),
    path("manage/<int:pk>/pdf/", views.bulletin_download, name="download"),
    path("manage/<int:pk>/publish/", views.bulletin_publish, name="publish"),
    path("manage/<int:pk>/withdraw/", views.bulletin_withdraw, name="withdraw"),
]
