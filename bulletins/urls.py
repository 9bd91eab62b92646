"""URLs of the bulletins, under /<language>/bulletins/: the public archive, pages, PDFs and
feed at the top (a bulletin's editions under /<number>/<edition language>/); the
coordinators' pages under manage/."""

from django.conf import settings
from django.urls import path, register_converter

from bulletins import feeds, public_views, views


class EditionLanguage:
    """The language of an edition: one of ``LANGUAGES``."""

    regex = "|".join(code for code, _name in settings.LANGUAGES)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(EditionLanguage, "edition_language")

app_name = "bulletins"
urlpatterns = [
    path("", public_views.archive, name="archive"),
    path("feed/", feeds.bulletin_feed, name="feed"),
    path("<int:number>/", public_views.public_detail, name="public"),
    path("<int:number>/pdf/", public_views.public_pdf, name="public_pdf"),
    path("<int:number>/<edition_language:language>/", public_views.edition_detail, name="edition"),
    path(
        "<int:number>/<edition_language:language>/pdf/",
        public_views.edition_pdf,
        name="edition_pdf",
    ),
    path(
        "<int:number>/<edition_language:language>/v<int:version>/pdf/",
        public_views.version_pdf,
        name="version_pdf",
    ),
    path("manage/", views.bulletin_list, name="list"),
    path("manage/new/", views.bulletin_create, name="create"),
    path("manage/<int:pk>/", views.bulletin_detail, name="detail"),
    path("manage/<int:pk>/settings/", views.bulletin_edit, name="settings"),
    path("manage/<int:pk>/build/", views.bulletin_build, name="build"),
    path("manage/<int:pk>/publish/", views.bulletin_publish, name="publish"),
    path("manage/<int:pk>/withdraw/", views.bulletin_withdraw, name="withdraw"),
    path(
        "manage/<int:pk>/<edition_language:language>/edit/",
        views.edition_edit,
        name="edition_edit",
    ),
    path(
        "manage/<int:pk>/<edition_language:language>/autosave/",
        views.edition_autosave,
        name="edition_autosave",
    ),
    path(
        "manage/<int:pk>/<edition_language:language>/build/",
        views.edition_build,
        name="edition_build",
    ),
    path(
        "manage/<int:pk>/<edition_language:language>/status.json",
        views.edition_status,
        name="edition_status",
    ),
    path(
        "manage/<int:pk>/<edition_language:language>/preview/",
        views.edition_preview,
        name="edition_preview",
    ),
    path(
        "manage/<int:pk>/<edition_language:language>/pdf/",
        views.edition_download,
        name="edition_download",
    ),
    path(
        "manage/<int:pk>/<edition_language:language>/revise/",
        views.edition_revise,
        name="edition_revise",
    ),
]
