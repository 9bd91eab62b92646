"""Copy every object of the bucket (STORAGE_URL) into a media.tar.gz: run by scripts/backup."""

from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from core.bucket_archive import bucket_to_archive
from core.storage import StorageUnavailable


class Command(BaseCommand):
    help = "Write every object of the portal's bucket into ARCHIVE (a .tar.gz)."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive: Path, **options):
        try:
            count = bucket_to_archive(default_storage, archive)
        except StorageUnavailable as error:
            raise CommandError(f"The file store cannot be reached: {error.__cause__}") from None
        self.stdout.write(f"{count} files from the bucket written to {archive}.")
