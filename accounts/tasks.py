"""Background jobs of the accounts app: the nightly retention purge."""

from celery import shared_task

from accounts.services import personal_data_purge


@shared_task(
    name="accounts.tasks.purge_personal_data",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=240,
    time_limit=300,
)
def purge_personal_data() -> dict[str, int]:
    """Run by the beat every night; safe to run twice, the second run finds nothing."""
    return personal_data_purge()
