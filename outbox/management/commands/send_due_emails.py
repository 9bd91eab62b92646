"""Queue (or, in the embedded mode, send) the emails whose turn has come, as the beat does
every minute.

For an installation without a beat (the embedded mode), or an operator who does not want to
wait after an outage.
"""

from django.core.management.base import BaseCommand

from outbox import services


class Command(BaseCommand):
    help = "Queue the sending of every email in the outbox whose (next) attempt has come."

    def handle(self, *args, **options) -> None:
        queued = services.emails_requeue_due()
        self.stdout.write(f"{queued} email(s) queued.")
