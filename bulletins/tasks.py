"""Background jobs of the bulletins: an edition's PDF build and the beat's sweep of dead
builds.

Tasks take ids and plain values. A build is safe to run twice: its token says whether it
is still the one wanted (see ``bulletins/build.py``), and a rerun replaces the file.
"""

from celery import shared_task

from bulletins import build, services


@shared_task(
    bind=True,
    name="bulletins.tasks.build_edition",
    acks_late=True,
    reject_on_worker_lost=True,
    # The sender passes the limits from settings (BULLETIN_BUILD_*); these apply otherwise.
    soft_time_limit=240,
    time_limit=300,
)
def build_edition(self, edition_id: int, build_token: str) -> str:
    """Build the edition's PDF, if this token's build is still the one wanted."""
    return build.build_run(
        edition_id=edition_id, token=build_token, in_worker=not self.request.is_eager
    )


@shared_task(
    name="bulletins.tasks.fail_stale_builds",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=50,
    time_limit=60,
)
def fail_stale_builds() -> int:
    """Run by the beat every minute: builds that never started or went silent are failed."""
    return services.editions_fail_stale()
