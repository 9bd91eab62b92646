import sys

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from core import embedded_beat, page_cache

        page_cache.connect_signals()
        embedded_beat.start_if_wanted(sys.argv)
