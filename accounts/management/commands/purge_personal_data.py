"""Delete personal data past its retention period, as the nightly beat task does."""

from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.services import personal_data_purge


class Command(BaseCommand):
    help = (
        "Delete accounts that never confirmed their email address after "
        "UNCONFIRMED_SIGNUP_RETENTION_DAYS days, and expired sessions."
    )

    def handle(self, *args, **options) -> None:
        counts = personal_data_purge()
        self.stdout.write(
            f"Deleted {counts['unconfirmed_signups']} unconfirmed sign-up(s) older than "
            f"{settings.UNCONFIRMED_SIGNUP_RETENTION_DAYS} days and "
            f"{counts['expired_sessions']} expired session(s)."
        )
