"""Keeps the analysis tables in step with the activity reports they summarise."""

from analysis.services import refresh_report


def refresh_report_figures(sender, *, report_id: int, **kwargs) -> None:
    refresh_report(report_id)


def follow_activity(sender, *, instance, **kwargs) -> None:
    from analysis.services import reassign_indicator

    reassign_indicator(activity_id=instance.pk, indicator_id=instance.indicator_id)
