from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = _("Public pages")

    def ready(self) -> None:
        from core.revisions import register_revisable
        from pages.models import Page

        # "Last changed" is stamped on every save; the restorer becomes "last changed by".
        register_revisable(Page, label="pages.page")
