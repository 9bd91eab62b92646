from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class AnalysisConfig(AppConfig):
    name = "analysis"
    verbose_name = _("Analysis")

    def ready(self) -> None:
        from activities.signals import report_figures_changed
        from analysis import cache, receivers

        cache.connect_signals()
        report_figures_changed.connect(receivers.refresh_report_figures, dispatch_uid="analysis")
        post_save.connect(
            receivers.follow_activity, sender="activities.Activity", dispatch_uid="analysis"
        )
