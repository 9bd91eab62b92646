from django.apps import AppConfig


class ClusterPortalConfig(AppConfig):
    name = "cluster_portal"
    verbose_name = "Cluster portal"

    def ready(self) -> None:
        from cluster_portal import composition
        from strategy import progress

        progress.register(composition.indicator_progress)
