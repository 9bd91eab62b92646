"""URLs of partners' projects: the list and a project's page, the form, the review and the
funding updates, and the list's files."""

from django.urls import path, re_path

from projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    re_path(r"^export\.(?P<fmt>csv|xlsx|hxl)/$", views.project_export, name="export"),
    path("new/", views.project_create, name="create"),
    path("import/", views.project_import, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("review/", views.review_queue, name="review_queue"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/submit/", views.project_submit, name="submit"),
    path("<int:pk>/accept/", views.project_accept, name="accept"),
    path("<int:pk>/return/", views.project_return, name="return"),
    path("<int:pk>/funding/new/", views.funding_add, name="funding_add"),
]
