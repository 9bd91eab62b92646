"""URLs of the public pages and their editor, under /<language>/pages/."""

from django.urls import path

from pages import views

app_name = "pages"
urlpatterns = [
    path("", views.page_list, name="list"),
    path("image/<int:pk>/", views.page_image, name="image"),
    path("manage/", views.page_manage, name="manage"),
    path("manage/new/", views.page_create, name="create"),
    path("manage/draft/", views.page_draft_save, name="draft_save"),
    path("manage/draft/discard/", views.page_draft_discard, name="draft_discard"),
    path("manage/<int:pk>/edit/", views.page_edit, name="edit"),
    path("manage/<int:pk>/publish/", views.page_publish, name="publish"),
    path("manage/<int:pk>/unpublish/", views.page_unpublish, name="unpublish"),
    path("manage/<int:pk>/images/", views.page_image_upload, name="image_upload"),
    path("manage/images/<int:pk>/delete/", views.page_image_delete, name="image_delete"),
    path("<slug:slug>/", views.page_detail, name="detail"),
]
