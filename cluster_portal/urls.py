"""Root URLs: /healthz without a language prefix; every page under /en/ and /ar/."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from cluster_portal import tasks_page, views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("tasks/", tasks_page.my_tasks, name="my_tasks"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("areas/", include("locations.urls")),
    path("partners/", include("partners.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)
