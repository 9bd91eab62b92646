"""Put a media.tar.gz back into the bucket (STORAGE_URL), as it was: run by scripts/restore."""

from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from core.bucket_archive import archive_to_bucket
from core.storage import StorageUnavailable


class Command(BaseCommand):
    help = (
        "Put every file of ARCHIVE (a .tar.gz) into the portal's bucket, then delete the "
        "objects the archive does not hold."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive: Path, **options):
        try:
            restored, deleted = archive_to_bucket(default_storage, archive)
        except StorageUnavailable as error:
            raise CommandError(f"The file store cannot be reached: {error.__cause__}") from None
        self.stdout.write(f"{restored} files restored into the bucket, {deleted} others deleted.")
