"""Queue again the announcements whose sending stalled, as the beat does every 15 minutes.

For when the broker was down at publication time and an operator does not want to wait.
"""

from django.core.management.base import BaseCommand

from subscribers import services


class Command(BaseCommand):
    help = "Queue the sending of every unfinished announcement that has stalled."

    def handle(self, *args, **options) -> None:
        queued = services.announcements_requeue_pending()
        self.stdout.write(f"{queued} announcement(s) queued.")
