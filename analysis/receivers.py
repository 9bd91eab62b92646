"""Keeps the analysis tables in step with the activity reports they summarise."""

from analysis.services import refresh_report


def refresh_report_figures(sender, *, report_id: int, **kwargs) -> None:
    refresh_report(report_id)


def follow_activity(sender, *, instance, **kwargs) -> None:
    from activities.models import ActivityUnit
    from analysis.services import reassign_activity

    reassign_activity(
        activity_id=instance.pk,
        indicator_id=instance.indicator_id,
        people=instance.unit == ActivityUnit.PEOPLE,
    )
