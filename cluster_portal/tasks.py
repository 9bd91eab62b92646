"""Background jobs composed from several apps."""

from celery import shared_task

from cluster_portal import warming


@shared_task(name="cluster_portal.tasks.warm_figures", ignore_result=True, time_limit=300)
def warm_figures() -> None:
    """Compute the most-read pages' figures after a change (``cluster_portal.warming``)."""
    warming.warm()
