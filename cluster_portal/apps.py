from django.apps import AppConfig


class ClusterPortalConfig(AppConfig):
    name = "cluster_portal"
    verbose_name = "Cluster portal"
