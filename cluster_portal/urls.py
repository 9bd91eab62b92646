"""Root URLs: /healthz without a language prefix; every page under /en/ and /ar/."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.urls import include, path

from accounts import views as accounts_views
from api.views import tokens
from cluster_portal import tasks_page, views
from cluster_portal.sitemaps import robots_txt, sitemaps
from strategy.views import identity

# A 500 caused by the file or text a person sent says so, in their language (core/errors.py).
handler500 = "core.views.server_error"

# The admin signs in through the portal's login: its rate limits and two-factor step apply.
admin.site.login = accounts_views.admin_login

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("sitemap.xml", sitemap_view, {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("theme.css", identity.theme_css, name="theme_css"),
    path("cluster-logo/", identity.cluster_logo, name="cluster_logo"),
    path("api/v1/", include("api.v1.urls")),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("tasks/", tasks_page.my_tasks, name="my_tasks"),
    path("tasks/emails/", include("outbox.urls")),
    path("privacy/", accounts_views.privacy_notice, name="privacy"),
    path("accounts/", include("accounts.urls")),
    path("accounts/profile/tokens/", include((tokens.urlpatterns, "api_tokens"))),
    path("accounts/", include("allauth.urls")),
    path("areas/", include("locations.urls")),
    path("partners/", include("partners.urls")),
    path("strategy/", include("strategy.urls")),
    path("assessments/", include("assessments.urls")),
    path("activities/", include("activities.urls")),
    path("facilities/", include("facilities.urls")),
    path("attacks/", include("facilities.incident_urls")),
    path("projects/", include("projects.urls")),
    path("planning/", include("planning.urls")),
    path("dashboard/", include("analysis.urls")),
    path("bulletins/", include("bulletins.urls")),
    path("monitoring/", include("monitoring.urls")),
    path("pages/", include("pages.urls")),
    path("meetings/", include("meetings.urls")),
    path("subscribe/", include("subscribers.urls")),
    path("revisions/", include("core.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)
