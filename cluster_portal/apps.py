from django.apps import AppConfig


class ClusterPortalConfig(AppConfig):
    name = "cluster_portal"
    verbose_name = "Cluster portal"

    def ready(self) -> None:
        from accounts import profile_sections
        from analysis import cache
        from api.views import tokens
        from cluster_portal import composition, warming
        from strategy import progress

        progress.register(composition.indicator_progress)
        profile_sections.register(tokens.profile_section)
        cache.on_change(warming.schedule)
