from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyConfig(AppConfig):
    name = "strategy"
    verbose_name = _("Cluster strategy")

    def ready(self) -> None:
        from core.emails import add_email_context
        from core.revisions import register_revisable
        from strategy import models
        from strategy.selectors import cluster_profile_for_home

        # Every email signs with the cluster's name, in the recipient's language.
        add_email_context(lambda: {"cluster_name": str(cluster_profile_for_home().cluster_name)})

        # Coordinators edit these in the portal; their revision pages list, compare, restore.
        for model in (
            models.ClusterProfile,
            models.StrategyCycle,
            models.StrategicPriority,
            models.StrategicApproach,
            models.StrategicObjective,
            models.Indicator,
            models.HealthDomain,
        ):
            register_revisable(model, label=model._meta.label_lower)
